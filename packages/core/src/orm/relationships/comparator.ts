import { ArgumentError } from '../../errors/errors.js'
import { JOIN_PATH, type JoinPath } from '../../sql/builders/protocols.js'
import { select } from '../../sql/builders/select.js'
import { BindParam, type ColumnElement, and, exists, or } from '../../sql/nodes/elements.js'
import type { FromClause } from '../../sql/nodes/from.js'
import { Join } from '../../sql/nodes/from.js'
import { maybeState } from '../mapping/instance-state.js'
import type { RelationshipExpr } from '../mapping/types.js'
import type { Relationship } from './relationship.js'

/**
 * `User.c.orders` / `Order.c.user`: a relationship in queries. It is a
 * join path (`select(User).join(User.c.orders)`), a loader-option path
 * (`selectinload(User.c.orders)`), and compares with objects
 * (`Order.c.user.eq(user)` binds user's key when the statement runs).
 */
export class RelationshipComparator<R = unknown, O = unknown> implements RelationshipExpr<R, O>, JoinPath {
  constructor(readonly relationship: Relationship, readonly ownerFrom?: FromClause, readonly targetFrom?: FromClause) {}

  get key(): string { return this.relationship.key }

  get [JOIN_PATH](): () => { target: FromClause; on: ColumnElement<boolean> } {
    return () => {
      const rel = this.relationship
      if (rel.direction === 'manyToMany') {
        const sec = rel.secondary!
        const target = this.targetFrom ?? rel.target.table
        const remote = and(...rel.remotePairs.map((p) => (target as any).c[p.referenced.key].eq(p.referencing)))
        const local = and(...rel.pairs.map((p) => p.referencing.eq(((this.ownerFrom ?? rel.owner.table) as any).c[p.referenced.key])))
        return { target: new Join(sec, target, remote, 'INNER'), on: local }
      }
      return { target: this.targetFrom ?? rel.target.table, on: rel.joinCondition(this.ownerFrom, this.targetFrom) }
    }
  }

  /** Join this relationship to an aliased target (`User.c.orders.of(aliased(Order))`). */
  of(target: { [k: symbol]: any }): RelationshipComparator<R, O> {
    const from = (target as any)?.from ?? target
    return new RelationshipComparator(this.relationship, this.ownerFrom, from as FromClause)
  }

  eq(other: R | null): ColumnElement<boolean> { return this.compare(other, false) }
  ne(other: R | null): ColumnElement<boolean> { return this.compare(other, true) }

  private compare(other: unknown, negate: boolean): ColumnElement<boolean> {
    const rel = this.relationship
    if (rel.direction !== 'manyToOne') {
      throw new ArgumentError(`${rel.owner.name}.${rel.key}.eq(): compare many-to-one relationships with an object; for collections use .any(criterion)`)
    }
    if (other === undefined) throw new ArgumentError(`${rel.owner.name}.${rel.key}.eq(undefined): pass an object or null`)
    if (other === null) {
      const tests = rel.pairs.map((p) => (negate ? p.referencing.isNotNull() : p.referencing.isNull()))
      return negate ? or(...tests) : and(...tests)
    }
    const st = maybeState(other)
    if (!st || st.mapper !== rel.target) throw new ArgumentError(`${rel.owner.name}.${rel.key}.eq() takes a ${rel.target.name} object`)
    const tests = rel.pairs.map((p) => {
      const key = rel.target.keyOf(p.referenced)
      // deferred: the key is read when the statement runs, after autoflush gave it one
      const bind = new BindParam(() => st.dict[key], p.referencing.type, undefined, true)
      return negate ? p.referencing.ne(bind) : p.referencing.eq(bind)
    })
    return negate ? or(...tests) : and(...tests)
  }

  /** EXISTS over related rows, optionally filtered: `User.c.orders.any(Order.c.total.gt(100))`. */
  any(criterion?: ColumnElement<boolean>): ColumnElement<boolean> {
    const rel = this.relationship
    const t = rel.target
    const path = this[JOIN_PATH]()
    const inner = select(...t.pkColumns).selectFrom(path.target).where(...[path.on, ...(criterion ? [criterion] : [])])
    return exists(inner)
  }
}
