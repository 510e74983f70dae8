import { ArgumentError } from '../../errors/errors.js'
import type { RelationshipExpr } from '../mapping/types.js'
import { RelationshipComparator } from '../relationships/comparator.js'
import type { Relationship } from '../relationships/relationship.js'
import type { LazyStrategy } from '../relationships/relationship-options.js'

/** Loader instructions per relationship, nested along paths. */
export type LoadPlan = Map<Relationship, { strategy: LazyStrategy | undefined; children: LoadPlan }>

interface Segment { readonly rel: Relationship; readonly strategy: LazyStrategy }

/**
 * A loader option for `select(...).options(...)`: a path of relationships
 * each with a strategy. Chain to go deeper:
 * `selectinload(User.c.orders).selectinload(Order.c.items)`.
 */
export class LoaderOption {
  constructor(readonly segments: readonly Segment[]) {}
  selectinload(rel: RelationshipExpr<any, any>): LoaderOption { return this.then(rel, 'selectin') }
  joinedload(rel: RelationshipExpr<any, any>): LoaderOption { return this.then(rel, 'joined') }
  subqueryload(rel: RelationshipExpr<any, any>): LoaderOption { return this.then(rel, 'subquery') }
  raiseload(rel: RelationshipExpr<any, any>): LoaderOption { return this.then(rel, 'raise') }
  noload(rel: RelationshipExpr<any, any>): LoaderOption { return this.then(rel, 'noload') }
  private then(rel: RelationshipExpr<any, any>, strategy: LazyStrategy): LoaderOption {
    const r = relOf(rel)
    const last = this.segments[this.segments.length - 1]
    if (last && r.owner !== last.rel.target) throw new ArgumentError(`${r.owner.name}.${r.key} does not continue the path from ${last.rel.owner.name}.${last.rel.key} (which leads to ${last.rel.target.name})`)
    return new LoaderOption([...this.segments, { rel: r, strategy }])
  }
}

function relOf(x: RelationshipExpr<any, any>): Relationship {
  if (x instanceof RelationshipComparator) return x.relationship
  throw new ArgumentError(`expected a relationship such as User.c.orders, got ${String(x)}`)
}

const start = (strategy: LazyStrategy) => (rel: RelationshipExpr<any, any>): LoaderOption => new LoaderOption([{ rel: relOf(rel), strategy }])

/** Load a relationship with a second SELECT ... WHERE fk IN (parent keys), in chunks. */
export const selectinload: (rel: RelationshipExpr<any, any>) => LoaderOption = start('selectin')
/** Load a relationship in the same SELECT with a LEFT OUTER JOIN (collections need `result.unique()`). */
export const joinedload: (rel: RelationshipExpr<any, any>) => LoaderOption = start('joined')
/** Load a relationship with a second SELECT joined to the original query as a subquery. */
export const subqueryload: (rel: RelationshipExpr<any, any>) => LoaderOption = start('subquery')
/** Leave a relationship unloaded: touching it throws `UnloadedRelationshipError`. */
export const raiseload: (rel: RelationshipExpr<any, any>) => LoaderOption = start('raise')
/** Load nothing: the relationship reads as empty (or null). */
export const noload: (rel: RelationshipExpr<any, any>) => LoaderOption = start('noload')

/** Merge `.options(...)` into one tree. */
export function planFromOptions(options: readonly unknown[]): LoadPlan {
  const root: LoadPlan = new Map()
  for (const o of options) {
    if (!(o instanceof LoaderOption)) continue
    let level = root
    o.segments.forEach((seg, i) => {
      let node = level.get(seg.rel)
      if (!node) { node = { strategy: undefined, children: new Map() }; level.set(seg.rel, node) }
      // the last segment's strategy is what the option says; earlier ones only when not set yet
      if (i === o.segments.length - 1 || node.strategy === undefined) node.strategy = seg.strategy
      level = node.children
    })
  }
  return root
}
