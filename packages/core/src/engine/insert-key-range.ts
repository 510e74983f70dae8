import { ArgumentError } from '../errors/errors.js'
import type { Column } from '../sql/nodes/from.js'
import type { Table } from '../sql/schema/table.js'
import type { CompiledTemplate } from './compiled.js'
import type { AsyncConnection, ExecuteOptions } from './connection.js'
import type { InsertKeyRange } from './dialect.js'
import { expandedInsert } from './insert-many-sql.js'
import { type Result, positionalRows } from './result.js'

/** Largest key before an INSERT that leaves every key of the batch an exact double. */
const MAX_BEFORE = 2 ** 52

/** A batch INSERT whose keys come from the key range it filled (see `InsertKeyRange`). */
export interface KeyRangePlan {
  readonly table: Table<any>
  readonly columns: readonly Column<any>[]
  readonly minRows: number
  readonly probe: { readonly sql: string; readonly params: readonly unknown[] }
  readonly firstAbove: string
  /** The single-row INSERT without RETURNING. */
  readonly template: CompiledTemplate
  /** The key column's result processor (e.g. BigInteger → bigint). */
  readonly convert: ((v: any) => unknown) | undefined
}

/**
 * The plan when the dialect can prove keys for this table (the caller has
 * checked that the statement returns only its autoincrement key, `convert`
 * being that key's result processor); `withoutReturning` compiles the
 * single-row INSERT without RETURNING.
 */
export function keyRangePlan(kr: InsertKeyRange, table: Table<any>, columns: readonly Column<any>[], key: Column<any>,
  withoutReturning: () => CompiledTemplate, convert: KeyRangePlan['convert']): KeyRangePlan | undefined {
  const probe = kr.probe(table, key)
  if (probe === undefined) return undefined
  return { table, columns, minRows: kr.minRows, probe, firstAbove: kr.firstAbove(table, key), template: withoutReturning(), convert }
}

/**
 * Run one batch without RETURNING and give its keys in VALUES order: the
 * probe reads the largest key before it (and whether the table qualifies),
 * the INSERT runs, and the smallest key above the old largest one must be
 * the driver's last insert id minus n-1 — then the batch filled exactly that
 * range, in order. `undefined`: the table does not qualify now (the caller
 * uses RETURNING).
 */
export async function insertByKeyRange(conn: AsyncConnection, p: KeyRangePlan, values: readonly unknown[], n: number, options: ExecuteOptions): Promise<{ res: Result; rows: unknown[][] } | undefined> {
  const sql = expandedInsert(conn.dialect, p.table, p.columns, p.template, n)
  if (sql === undefined) return undefined
  const probe = positionalRows(await conn.executeRendered(p.probe.sql, p.probe.params, undefined, options))[0]
  const before = probe?.[0] ?? 0
  if (!probe?.[1] || typeof before !== 'number' || before > MAX_BEFORE) return undefined
  const res = await conn.executeRendered(sql, values, p.template, options)
  const last = res.lastInsertId
  const first = positionalRows(await conn.executeRendered(p.firstAbove, [before], undefined, options))[0]?.[0]
  if (res.rowCount !== n || typeof last !== 'number' || first !== last - n + 1) {
    throw new ArgumentError(`insert into '${p.table.name}': the ${n} inserted rows did not get consecutive keys (${String(first)} … ${String(last)}, ${res.rowCount} rows); cannot match keys to rows`)
  }
  const rows = new Array<unknown[]>(n)
  const convert = p.convert
  for (let i = 0; i < n; i++) rows[i] = [convert === undefined ? first + i : convert(first + i)]
  return { res, rows }
}
