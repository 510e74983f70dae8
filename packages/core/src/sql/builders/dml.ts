import { ArgumentError } from '../../errors/errors.js'
import { BindParam, ColumnElement, type SelectLike, and, toExpr } from '../nodes/elements.js'
import type { SqlType } from '../types/type.js'
import { Column } from '../nodes/from.js'
import { type KeyWriter, Node } from '../nodes/node.js'
import { Table } from '../schema/table.js'
import { ENTITY, type EntityLike } from './protocols.js'

type Values = Record<string, unknown>
export type TableArg = Table<any> | EntityLike

export function toTable(x: TableArg): Table<any> {
  if (x instanceof Table) return x
  const ent = (x as any)?.[ENTITY]
  const from = ent?.().from
  if (from instanceof Table) return from
  throw new ArgumentError(`expected a table or a mapped model, got ${String(x)}`)
}

/** `col = value` pairs keyed by column; values are expressions (binds included). */
function assignments(table: Table<any>, values: Values, what: string): [Column<any>, ColumnElement<any>][] {
  const out: [Column<any>, ColumnElement<any>][] = []
  for (const [k, v] of Object.entries(values)) {
    const col = table.column(k)
    if (!col) throw new ArgumentError(`${what}(${table.name}): no column '${k}'`)
    if (v === undefined) throw new ArgumentError(`${what}(${table.name}): value for '${k}' is undefined (pass null for SQL NULL)`)
    out.push([col, toExpr(v as any, col.type)])
  }
  return out
}

function returningColumns(table: Table<any>, cols: unknown[]): ColumnElement<any>[] {
  return cols.flatMap((c) => (c === table || (c as any)?.[ENTITY] ? [...table.columns] : [c as ColumnElement<any>]))
}

function writeReturning(w: KeyWriter, cols: readonly ColumnElement<any>[]): void {
  if (cols.length) { w.parts.push('RET'); for (const c of cols) c.cacheKey(w) }
}

export interface OnConflict {
  kind: 'update' | 'nothing' | 'duplicateKey'
  target: readonly Column<any>[]
  set: readonly [Column<any>, ColumnElement<any>][]
  where?: ColumnElement<boolean>
}

/** A reference to the row that failed to insert: `EXCLUDED.col` / `VALUES(col)`. */
export class Excluded<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'excluded'
  readonly type: SqlType
  constructor(readonly column: Column<T>) { super(); this.type = column.type; Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('exc', this.column.name) }
}

interface InsertState {
  table: Table<any>
  columns: readonly Column<any>[]
  rows: readonly (readonly ColumnElement<any>[])[]
  fromSelect?: SelectLike
  returning: readonly ColumnElement<any>[]
  onConflict?: OnConflict
}

/** An INSERT statement: `insert(users).values({ name: 'x' })`. */
export class Insert extends Node {
  readonly visitName = 'insert'
  constructor(readonly state: InsertState) { super(); Object.freeze(this) }
  get table(): Table<any> { return this.state.table }
  /** One row (an object) or several (an array of objects with the same keys). Client defaults fill missing columns. */
  values(values: Values | readonly Values[]): Insert {
    const list = Array.isArray(values) ? values : [values]
    if (!list.length) throw new ArgumentError(`insert(${this.state.table.name}).values([]): no rows`)
    const table = this.state.table
    const filled = list.map((v) => withDefaults(table, v))
    const keys = Object.keys(filled[0])
    const columns = keys.map((k) => table.column(k) ?? noColumn(table, k))
    const rows = filled.map((row, i) => {
      const rk = Object.keys(row)
      if (rk.length !== keys.length || rk.some((k) => !(k in filled[0]))) {
        throw new ArgumentError(`insert(${table.name}).values(): row ${i} has keys [${rk}] but row 0 has [${keys}]; every row needs the same keys`)
      }
      return assignments(table, Object.fromEntries(keys.map((k) => [k, row[k]])), 'insert').map(([, e]) => e)
    })
    return new Insert({ ...this.state, columns, rows })
  }
  /** `INSERT INTO t (cols) SELECT ...`. */
  fromSelect(columns: (string | Column<any>)[], select: SelectLike): Insert {
    const table = this.state.table
    const cols = columns.map((c) => (typeof c === 'string' ? table.column(c) ?? noColumn(table, c) : c))
    return new Insert({ ...this.state, columns: cols, rows: [], fromSelect: select })
  }
  returning(...cols: unknown[]): Insert { return new Insert({ ...this.state, returning: returningColumns(this.state.table, cols) }) }
  /** The row that failed to insert, for `onConflictDoUpdate` / `onDuplicateKeyUpdate` values. */
  get excluded(): Record<string, Excluded<any>> {
    return new Proxy({}, { get: (_, k: string) => new Excluded(this.state.table.column(k) ?? noColumn(this.state.table, k)) }) as any
  }
  /** PostgreSQL and SQLite: `ON CONFLICT (target) DO UPDATE SET ...`. */
  onConflictDoUpdate(opts: { target: Column<any> | Column<any>[]; set: Values; where?: ColumnElement<boolean> }): Insert {
    const target = Array.isArray(opts.target) ? opts.target : [opts.target]
    return new Insert({ ...this.state, onConflict: { kind: 'update', target, set: assignments(this.state.table, opts.set, 'onConflictDoUpdate'), where: opts.where } })
  }
  /** PostgreSQL and SQLite: `ON CONFLICT DO NOTHING`. */
  onConflictDoNothing(opts: { target?: Column<any> | Column<any>[] } = {}): Insert {
    const target = opts.target === undefined ? [] : Array.isArray(opts.target) ? opts.target : [opts.target]
    return new Insert({ ...this.state, onConflict: { kind: 'nothing', target, set: [] } })
  }
  /** MySQL and MariaDB: `ON DUPLICATE KEY UPDATE ...`. */
  onDuplicateKeyUpdate(opts: { set: Values }): Insert {
    return new Insert({ ...this.state, onConflict: { kind: 'duplicateKey', target: [], set: assignments(this.state.table, opts.set, 'onDuplicateKeyUpdate') } })
  }
  cacheKey(w: KeyWriter): void {
    const s = this.state
    w.parts.push('INS(', s.table.name, String(s.columns.length))
    for (const c of s.columns) w.parts.push(c.name)
    w.parts.push('R', String(s.rows.length))
    for (const row of s.rows) for (const v of row) v.cacheKey(w)
    if (s.fromSelect) { w.parts.push('FS'); s.fromSelect.cacheKey(w) }
    if (s.onConflict) {
      const oc = s.onConflict
      w.parts.push('OC', oc.kind, oc.target.map((c) => c.name).join(','))
      for (const [c, v] of oc.set) { w.parts.push(c.name); v.cacheKey(w) }
      if (oc.where) oc.where.cacheKey(w)
    }
    writeReturning(w, s.returning)
    w.parts.push(')')
  }
}

function withDefaults(table: Table<any>, values: Values): Values {
  let out: Values | undefined
  for (const col of table.columns) {
    const d = col.options.default
    if (d === undefined || col.key in values || col.name in values) continue
    out ??= { ...values }
    out[col.key] = typeof d === 'function' ? (d as () => unknown)() : d
  }
  return out ?? values
}

function noColumn(table: Table<any>, k: string): never {
  throw new ArgumentError(`table '${table.name}' has no column '${k}'`)
}

/** Start an INSERT into a table or mapped model. */
export function insert(table: TableArg): Insert {
  return new Insert({ table: toTable(table), columns: [], rows: [], returning: [] })
}

interface UpdateState {
  table: Table<any>
  set: readonly [Column<any>, ColumnElement<any>][]
  where?: ColumnElement<boolean>
  returning: readonly ColumnElement<any>[]
  options: readonly unknown[]
}

/** An UPDATE statement. */
export class Update extends Node {
  readonly visitName = 'update'
  constructor(readonly state: UpdateState) { super(); Object.freeze(this) }
  get table(): Table<any> { return this.state.table }
  values(values: Values): Update {
    const table = this.state.table
    const set = [...this.state.set, ...assignments(table, values, 'update')]
    for (const col of table.columns) {
      const u = col.options.onUpdateValue
      if (u !== undefined && !set.some(([c]) => c === col)) set.push([col, new BindParam(typeof u === 'function' ? (u as () => unknown)() : u, col.type)])
    }
    return new Update({ ...this.state, set })
  }
  where(...conditions: ColumnElement<boolean>[]): Update {
    const all = this.state.where ? [this.state.where, ...conditions] : conditions
    return new Update({ ...this.state, where: all.length === 1 ? all[0] : and(...all) })
  }
  returning(...cols: unknown[]): Update { return new Update({ ...this.state, returning: returningColumns(this.state.table, cols) }) }
  /** Execution hints for the ORM (e.g. `{ synchronizeSession: false }`). */
  options(...opts: unknown[]): Update { return new Update({ ...this.state, options: [...this.state.options, ...opts] }) }
  cacheKey(w: KeyWriter): void {
    const s = this.state
    w.parts.push('UPD(', s.table.name)
    for (const [c, v] of s.set) { w.parts.push(c.name); v.cacheKey(w) }
    if (s.where) { w.parts.push('W'); s.where.cacheKey(w) }
    writeReturning(w, s.returning)
    w.parts.push(')')
  }
}

/** Start an UPDATE of a table or mapped model. */
export function update(table: TableArg): Update {
  return new Update({ table: toTable(table), set: [], returning: [], options: [] })
}

interface DeleteState {
  table: Table<any>
  where?: ColumnElement<boolean>
  returning: readonly ColumnElement<any>[]
  options: readonly unknown[]
}

/** A DELETE statement. */
export class Delete extends Node {
  readonly visitName = 'delete'
  constructor(readonly state: DeleteState) { super(); Object.freeze(this) }
  get table(): Table<any> { return this.state.table }
  where(...conditions: ColumnElement<boolean>[]): Delete {
    const all = this.state.where ? [this.state.where, ...conditions] : conditions
    return new Delete({ ...this.state, where: all.length === 1 ? all[0] : and(...all) })
  }
  returning(...cols: unknown[]): Delete { return new Delete({ ...this.state, returning: returningColumns(this.state.table, cols) }) }
  options(...opts: unknown[]): Delete { return new Delete({ ...this.state, options: [...this.state.options, ...opts] }) }
  cacheKey(w: KeyWriter): void {
    const s = this.state
    w.parts.push('DEL(', s.table.name)
    if (s.where) { w.parts.push('W'); s.where.cacheKey(w) }
    writeReturning(w, s.returning)
    w.parts.push(')')
  }
}

/** Start a DELETE from a table or mapped model. */
export function deleteFrom(table: TableArg): Delete {
  return new Delete({ table: toTable(table), returning: [], options: [] })
}


