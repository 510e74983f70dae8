import { ArgumentError } from '../../errors/errors.js'
import { type ColumnElement, type OrderBy, and } from '../../sql/nodes/elements.js'
import { type Alias, type Column, type FromClause } from '../../sql/nodes/from.js'
import type { Table } from '../../sql/schema/table.js'
import type { Mapper, MapperRelationship } from '../mapping/mapper.js'
import { maybeMapperOf } from '../mapping/registry.js'
import { type Cascades, parseCascade } from './cascade.js'
import type { LazyStrategy, OrderByArg, RelationshipDefinition, RelationshipKind } from './relationship-options.js'

export type Direction = 'manyToOne' | 'oneToMany' | 'manyToMany'

/** A column pair of a join: the referenced (key) column and the referencing (foreign key) column. */
export interface ColumnPair { readonly referenced: Column<any>; readonly referencing: Column<any> }

/**
 * A configured relationship: its target mapper, direction, the column
 * pairs it joins on, cascades and the reverse side kept in sync in memory.
 * For many-to-one the referencing columns are on the owner's table; for
 * one-to-many on the target's; for many-to-many on the secondary table.
 */
export class Relationship implements MapperRelationship {
  readonly kind: RelationshipKind
  readonly direction: Direction
  readonly uselist: boolean
  readonly cascade: Cascades
  readonly lazy: LazyStrategy
  readonly postUpdate: boolean
  readonly passiveDeletes: boolean
  /** Owner-side pairs (many-to-many: owner table ↔ secondary). */
  readonly pairs: readonly ColumnPair[]
  /** Many-to-many: target table ↔ secondary. */
  readonly remotePairs: readonly ColumnPair[]
  readonly secondary: Table<any> | undefined
  reverse: Relationship | undefined

  constructor(readonly owner: Mapper, readonly key: string, readonly def: RelationshipDefinition, readonly target: Mapper) {
    const o = def.options
    this.kind = def.kind
    this.direction = def.kind === 'belongsTo' ? 'manyToOne' : def.kind === 'manyToMany' ? 'manyToMany' : 'oneToMany'
    this.uselist = def.kind === 'hasMany' || def.kind === 'manyToMany'
    this.cascade = parseCascade(o.cascade)
    this.lazy = o.lazy ?? 'raise'
    this.postUpdate = !!o.postUpdate
    this.passiveDeletes = !!o.passiveDeletes
    const fkKeys = o.foreignKey === undefined ? undefined : typeof o.foreignKey === 'string' ? [o.foreignKey] : [...o.foreignKey]
    if (this.direction === 'manyToMany') {
      const sec = resolveSecondary(o.secondary, `${owner.name}.${key}`)
      this.secondary = sec
      this.pairs = findPairs(sec, owner.table, fkKeys, `${owner.name}.${key}`)
      const remoteKeys = owner.table === target.table ? [...sec.columns.filter((c) => !this.pairs.some((p) => p.referencing === c)).map((c) => c.key)] : undefined
      this.remotePairs = findPairs(sec, target.table, remoteKeys, `${owner.name}.${key}`)
    } else {
      this.secondary = undefined
      this.remotePairs = []
      this.pairs = this.direction === 'manyToOne'
        ? findPairs(owner.table, target.table, fkKeys, `${owner.name}.${key}`)
        : findPairs(target.table, owner.table, fkKeys, `${owner.name}.${key}`)
    }
  }

  /** Mapper holding the referencing (foreign key) columns, for one-to-many and many-to-one. */
  get fkMapper(): Mapper { return this.direction === 'manyToOne' ? this.owner : this.target }
  /** Mapper holding the referenced (key) columns. */
  get keyMapper(): Mapper { return this.direction === 'manyToOne' ? this.target : this.owner }

  /** The collection order, resolved (a thunk is called now). */
  orderBy(): (ColumnElement<any> | OrderBy)[] {
    let ob: OrderByArg | (() => OrderByArg) | undefined = this.def.options.orderBy
    if (typeof ob === 'function') ob = (ob as () => OrderByArg)()
    if (ob === undefined) return []
    return Array.isArray(ob) ? [...ob] : [ob as ColumnElement<any>]
  }

  /**
   * The join condition from owner to target, optionally against aliases
   * of either side (a column of an alias is looked up by key).
   */
  joinCondition(ownerFrom?: FromClause, targetFrom?: FromClause): ColumnElement<boolean> {
    const on = (c: Column<any>, from: FromClause | undefined): Column<any> => (from && from !== c.table ? (from as Alias).c[c.key] : c)
    if (this.direction === 'manyToMany') throw new ArgumentError(`${this.owner.name}.${this.key}: a many-to-many join needs the secondary table; use secondaryJoin()`)
    const ownerSide = this.direction === 'manyToOne' ? 'referencing' : 'referenced'
    const targetSide = this.direction === 'manyToOne' ? 'referenced' : 'referencing'
    return and(...this.pairs.map((p) => on(p[ownerSide], ownerFrom).eq(on(p[targetSide], targetFrom))))
  }
}

function resolveSecondary(s: unknown, where: string): Table<any> {
  const v = typeof s === 'function' && !maybeMapperOf(s) ? (s as () => unknown)() : s
  if ((v as { visitName?: string } | null)?.visitName === 'table') return v as Table<any>
  const m = maybeMapperOf(v)
  if (m) return m.table
  throw new ArgumentError(`${where}: manyToMany needs { secondary: table or model }`)
}

/** Foreign-key column pairs from `fkTable` to `refTable` (choose with `fkKeys` when several exist). */
function findPairs(fkTable: Table<any>, refTable: Table<any>, fkKeys: string[] | undefined, where: string): ColumnPair[] {
  const candidates = fkTable.foreignKeys.filter((fk) => fk.references[0].slice(0, fk.references[0].lastIndexOf('.')) === refTable.name)
  const chosen = fkKeys
    ? candidates.filter((fk) => fk.columns.every((c) => fkKeys.includes(c.key) || fkKeys.includes(c.name)))
    : candidates
  if (!chosen.length) {
    throw new ArgumentError(`${where}: no foreign key from '${fkTable.name}' to '${refTable.name}'${fkKeys ? ` on [${fkKeys}]` : ''}; declare one with column(..., { foreignKey: '${refTable.name}.id' })`)
  }
  if (chosen.length > 1) {
    throw new ArgumentError(`${where}: several foreign keys from '${fkTable.name}' to '${refTable.name}' (${chosen.map((c) => c.columns.map((x) => x.key).join('+')).join(', ')}); say which with { foreignKey: '${chosen[0].columns[0].key}' }`)
  }
  const fk = chosen[0]
  return fk.columns.map((col, i) => {
    const ref = fk.references[i]
    const refCol = refTable.column(ref.slice(ref.lastIndexOf('.') + 1))
    if (!refCol) throw new ArgumentError(`${where}: '${ref}' names no column of '${refTable.name}'`)
    return { referenced: refCol, referencing: col }
  })
}

/** The full Relationship objects of a mapper (configured). */
export function relationshipsOf(mapper: Mapper): Map<string, Relationship> {
  return mapper.relationships as Map<string, Relationship>
}

/** A relationship by key, with a clear error. */
export function relationshipOf(mapper: Mapper, key: string): Relationship {
  const r = relationshipsOf(mapper).get(key)
  if (!r) throw new ArgumentError(`${mapper.name} has no relationship '${key}' (relationships: ${[...mapper.relationships.keys()].join(', ') || 'none'})`)
  return r
}

