import { ArgumentError } from '../errors/errors.js'
import { type TableArg, toTable } from '../sql/builders/dml.js'
import type { UpdateManyShape } from '../sql/compiler/bulk-dml-compiler.js'
import type { Column } from '../sql/nodes/from.js'
import { isNode } from '../sql/nodes/node.js'
import type { Table } from '../sql/schema/table.js'
import type { AsyncConnection, ExecuteOptions } from './connection.js'
import { type Dialect, rowsPerStatement } from './dialect.js'
import { Result } from './result.js'

export interface UpdateManyOptions extends ExecuteOptions {
  /** Columns to assign, per row. */
  set: readonly (string | Column<any>)[]
  /** Columns that identify a row (default: the primary key). */
  key?: readonly (string | Column<any>)[]
  /** Further columns each row must still equal, e.g. a version counter's old value (its new one goes in `set`). */
  match?: readonly (string | Column<any>)[]
  /** Most rows per statement (the bind limit caps it; the CASE form defaults to 250: its cost grows with rows²). */
  batchSize?: number
}

/** A row: `[...key, ...match, ...set]` values, or an object keyed by column key (when no column is both matched and set). */
export type UpdateManyRow = readonly unknown[] | Readonly<Record<string, unknown>>

/** Rows per CASE statement by default: each CASE scans its WHEN list per row. */
export const CASE_BATCH = 250

type Processor = ((v: any) => unknown) | undefined

/**
 * `conn.executeUpdateMany`: UPDATE many rows by key, the same columns each,
 * as one statement per batch — `UPDATE ... FROM (VALUES ...)` where the
 * dialect has it, else `SET c = CASE k WHEN ? THEN ? ... END WHERE k IN (...)`.
 * The SQL is cached per (table, columns, batch size); values bind flat.
 * `rowCount` is the number of rows matched (compare it with `rows.length`
 * to detect stale rows).
 */
export async function executeUpdateMany(conn: AsyncConnection, target: TableArg, rows: readonly UpdateManyRow[], options: UpdateManyOptions): Promise<Result> {
  const d = conn.dialect
  const table = toTable(target)
  const cols = (list: readonly (string | Column<any>)[] | undefined): Column<any>[] =>
    (list ?? []).map((c) => (typeof c === 'string' ? table.column(c) ?? noColumn(table, c) : c))
  const key = options.key ? cols(options.key) : [...table.primaryKey]
  const match = cols(options.match)
  const set = cols(options.set)
  if (!key.length) throw new ArgumentError(`updateMany(${table.name}): no key columns (the table has no primary key)`)
  if (!set.length) throw new ArgumentError(`updateMany(${table.name}): no columns to set`)
  if (!rows.length) return new Result<unknown[]>([], [], 0)
  const fromValues = d.supportsUpdateFromValues === true
  // MySQL assigns left to right and a later CASE would see a changed key: key columns go last
  const setOrder = set.map((_, i) => i)
  if (!fromValues) setOrder.sort((a, b) => Number(key.includes(set[a])) - Number(key.includes(set[b])))
  const shape: UpdateManyShape = { table, key, match, set: setOrder.map((i) => set[i]) }
  const all = [...key, ...match, ...set]
  const procs = all.map((c) => d.bindProcessor(c.type) as Processor)
  const perRow = fromValues ? all.length : set.length * (key.length + 1) + key.length + match.length
  const batch = rowsPerStatement(d, perRow, { requested: options.batchSize ?? (fromValues ? undefined : CASE_BATCH) })
  const read = reader(table, all, key.length + match.length, rows[0])
  let rowCount = 0
  for (let from = 0; from < rows.length; from += batch) {
    const to = Math.min(rows.length, from + batch)
    const sql = updateSql(d, shape, fromValues, to - from)
    const values = new Array<unknown>((to - from) * perRow)
    let n = 0
    const put = (r: number, i: number): void => {
      const v = read(rows[r], i, r)
      const p = procs[i]
      values[n++] = p !== undefined && v !== null ? p(v) : v
    }
    const kn = key.length
    const kmn = kn + match.length
    if (fromValues) {
      for (let r = from; r < to; r++) for (let i = 0; i < all.length; i++) put(r, i)
    } else {
      for (const s of setOrder) for (let r = from; r < to; r++) { for (let i = 0; i < kn; i++) put(r, i); put(r, kmn + s) }
      for (let r = from; r < to; r++) for (let i = 0; i < kmn; i++) put(r, i)
    }
    rowCount += (await conn.executeRendered(sql, values, undefined, options)).rowCount
  }
  return new Result<unknown[]>([], [], rowCount)
}

/** Reads value i of a row (the `[...key, ...match, ...set]` order), refusing undefined and SQL expressions. */
function reader(table: Table<any>, all: readonly Column<any>[], setFrom: number, first: UpdateManyRow): (row: UpdateManyRow, i: number, r: number) => unknown {
  if (!Array.isArray(first)) {
    for (let i = setFrom; i < all.length; i++) {
      if (all.indexOf(all[i]) < setFrom) throw new ArgumentError(`updateMany(${table.name}): '${all[i].key}' is both matched and set; pass rows as arrays [...key, ...match, ...set]`)
    }
  }
  return (row, i, r) => {
    const v = Array.isArray(row) ? row[i] : (row as Record<string, unknown>)[all[i].key]
    if (v === undefined) throw new ArgumentError(`updateMany(${table.name}): row ${r} has no value for '${all[i].key}' (undefined; pass null for SQL NULL)`)
    if (typeof v === 'object' && v !== null && isNode(v)) throw new ArgumentError(`updateMany(${table.name}): row ${r}: values are bound, not SQL expressions ('${all[i].key}')`)
    return v
  }
}

const MAX_SHAPES_PER_TABLE = 64
const cache = new WeakMap<Dialect, WeakMap<Table<any>, Map<string, string>>>()

/** The SQL text for `rows` rows, cached per (dialect, table, columns, form, rows). */
function updateSql(d: Dialect, shape: UpdateManyShape, fromValues: boolean, rows: number): string {
  let byTable = cache.get(d)
  if (byTable === undefined) cache.set(d, (byTable = new WeakMap()))
  let byShape = byTable.get(shape.table)
  if (byShape === undefined) byTable.set(shape.table, (byShape = new Map()))
  const names = (cs: readonly Column<any>[]): string => cs.map((c) => c.name).join(',')
  const k = `${fromValues ? 'V' : 'C'}|${names(shape.key)}|${names(shape.match)}|${names(shape.set)}|${rows}`
  let sql = byShape.get(k)
  if (sql === undefined) {
    const c = d.createCompiler()
    sql = fromValues ? c.updateManyFromValues(shape, rows) : c.updateManyCase(shape, rows)
    if (byShape.size >= MAX_SHAPES_PER_TABLE) byShape.delete(byShape.keys().next().value!)
    byShape.set(k, sql)
  }
  return sql
}

function noColumn(table: Table<any>, k: string): never {
  throw new ArgumentError(`table '${table.name}' has no column '${k}'`)
}
