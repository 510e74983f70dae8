import { ArgumentError } from '../errors/errors.js'
import { Insert } from '../sql/builders/dml.js'
import { BindParam, type ColumnElement, toExpr } from '../sql/nodes/elements.js'
import type { Column } from '../sql/nodes/from.js'
import type { Table } from '../sql/schema/table.js'
import type { CompiledTemplate } from './compiled.js'
import type { AsyncConnection, ExecuteOptions } from './connection.js'
import { estimateRowBytes, rowsPerStatement } from './dialect.js'
import { type KeyRangePlan, insertByKeyRange, keyRangePlan } from './insert-key-range.js'
import { paramFiller } from './insert-many-params.js'
import { expandedInsert } from './insert-many-sql.js'
import { orderByAutoincrement, orderBySentinel } from './insert-sentinel.js'
import { Result, positionalRows, rowNamer } from './result.js'

/**
 * How to match the rows of `INSERT ... RETURNING` to the input rows:
 * columns whose values the caller gives and that are unique per batch (a
 * client-side key, a row-number column), or `'autoincrement'` (the table's
 * autoincrement key, handed out in VALUES order).
 */
export type InsertSentinel = 'autoincrement' | Column<any> | readonly Column<any>[]

export interface InsertManyOptions extends ExecuteOptions {
  /** Columns to insert, by key or as columns. Default: the keys of the first row plus columns with a client default. */
  columns?: readonly (string | Column<any>)[]
  /** RETURNING columns (default: the statement's own `returning()`). */
  returning?: readonly ColumnElement<any>[]
  /**
   * Return the rows in input order (`result.rows[i]` is `rows[i]`'s), matched
   * by this sentinel, never by position; its columns are added to RETURNING
   * when missing. `'autoincrement'` without RETURNING (MySQL) gives the ids
   * from the first insert id, or inserts row by row when they are not consecutive.
   */
  sentinel?: InsertSentinel
  /** Most rows per statement (default: as many as fit the dialect's `maxStatementBytes`, if any; the bind-parameter limit caps it anyway). */
  batchSize?: number
}

interface Plan {
  readonly table: Table<any>
  readonly columns: readonly Column<any>[]
  /** The property each column's value is read from. */
  readonly access: readonly string[]
  readonly returning: readonly ColumnElement<any>[]
  readonly template: CompiledTemplate
  readonly batch: number
  /** Input column indexes and RETURNING positions of a value sentinel. */
  readonly sentinelIn?: readonly number[]
  readonly sentinelOut?: readonly number[]
  /** RETURNING position of the autoincrement key used as the sentinel. */
  readonly autoOut?: number
  /** No RETURNING: ids from the insert id (MySQL), named by this column. */
  readonly idsOf?: Column<any>
  /** Distance between consecutive generated ids. */
  readonly idStep: number
  /** Large batches: keys from the range they filled, without RETURNING (SQLite). */
  readonly range?: KeyRangePlan
}

/**
 * `conn.executeInsertMany`: the single-row INSERT is compiled once (through
 * the statement cache), its VALUES group repeated textually per batch size
 * (cached), and each batch bound as one flat array read straight from the
 * row objects through the columns' bind processors. Every batch runs through
 * the connection's one execution path.
 */
export async function executeInsertMany(conn: AsyncConnection, stmt: Insert, rows: readonly Record<string, unknown>[], options: InsertManyOptions = {}): Promise<Result> {
  if (!(stmt instanceof Insert) || stmt.state.rows.length || stmt.state.fromSelect) {
    throw new ArgumentError('executeInsertMany() takes insert(table) without values() or fromSelect()')
  }
  if (!rows.length) return new Result<unknown[]>([], [], 0)
  const plan = planInsert(conn, stmt, rows, options)
  const t = plan.template
  const fill = paramFiller(t, plan.access)
  const missing = (row: Record<string, unknown>, j: number, index: number): unknown => valueAt(plan, row, j, index)
  let out: unknown[][] | undefined
  let rowCount = 0
  let insertId: number | bigint | undefined
  for (let from = 0; from < rows.length; from += plan.batch) {
    const to = Math.min(rows.length, from + plan.batch)
    let res: Result
    const n = to - from
    const values = new Array<unknown>(n * plan.columns.length)
    const sql = plan.columns.length ? expandedInsert(conn.dialect, plan.table, plan.columns, t, n) : t.sql
    const filled = sql !== undefined && (!plan.columns.length || fill(rows, from, to, values, missing))
    const ranged = filled && plan.range !== undefined && n >= plan.range.minRows ? await insertByKeyRange(conn, plan.range, values, n, options) : undefined
    let got: readonly unknown[][] | undefined
    if (ranged !== undefined) {
      res = ranged.res
      got = ranged.rows
    } else if (filled) {
      res = await conn.executeRendered(sql!, plan.columns.length ? values : [], t, options)
    } else {
      // SQL expressions among the values, or a template that cannot be expanded: an ordinary statement
      const exprs = rows.slice(from, to).map((r, i) => plan.columns.map((c, j) => toExpr(valueAt(plan, r, j, from + i) as any, c.type)))
      res = await conn.executeCompiled(conn.engine.compile(new Insert({ ...stmt.state, columns: plan.columns, rows: exprs, returning: plan.returning })), undefined, options)
    }
    rowCount += res.rowCount
    insertId ??= res.lastInsertId
    got ??= batchRows(plan, res, rows, from, to)
    // one batch (the usual case): its rows are the result, no copy
    if (out === undefined) out = from + plan.batch >= rows.length ? got as unknown[][] : got.slice()
    else for (let i = 0; i < got.length; i++) out.push(got[i])
  }
  const names = plan.idsOf ? [plan.idsOf.name] : t.resultNames ?? []
  // rows are read positionally here (converted, not named); the result names them on first read
  return new Result(out ?? [], names, rowCount, insertId, rowNamer(names))
}

function planInsert(conn: AsyncConnection, stmt: Insert, rows: readonly Record<string, unknown>[], options: InsertManyOptions): Plan {
  const first = rows[0]
  const d = conn.dialect
  const table = stmt.state.table
  const columns: Column<any>[] = []
  const access: string[] = []
  const add = (c: Column<any>, key: string): void => {
    if (columns.includes(c)) throw new ArgumentError(`insert(${table.name}): column '${c.name}' is given twice`)
    columns.push(c); access.push(key)
  }
  if (options.columns) {
    for (const c of options.columns) typeof c === 'string' ? add(table.column(c) ?? noColumn(table, c), c) : add(c, c.key)
  } else {
    for (const k of Object.keys(first)) add(table.column(k) ?? noColumn(table, k), k)
    for (const c of table.columns) if (c.options.default !== undefined && !columns.includes(c)) add(c, c.key)
  }
  const returning = [...(options.returning ?? stmt.state.returning)]
  let batch = columns.length && d.supportsMultiRowInsert ? rowsPerStatement(d, columns.length, { requested: options.batchSize, rowBytes: d.maxStatementBytes === undefined ? undefined : estimateRowBytes(rows, access) }) : 1
  let sentinelIn: number[] | undefined
  let sentinelOut: number[] | undefined
  let autoOut: number | undefined
  let idsOf: Column<any> | undefined
  const s = options.sentinel
  const auto = s === 'autoincrement' ? table.columns.find((c) => table.isAutoincrement(c)) : undefined
  if (s === 'autoincrement' && !auto) throw new ArgumentError(`insert(${table.name}): sentinel 'autoincrement' needs an autoincrement column`)
  if (auto && !columns.includes(auto)) {
    if (d.supportsReturning) autoOut = positionIn(returning, auto)
    else {
      if (returning.length) throw new ArgumentError(`insert(${table.name}): this backend has no RETURNING`)
      idsOf = auto
      if (d.consecutiveInsertIds !== true) batch = 1
    }
  } else if (s !== undefined) {
    const cols = s === 'autoincrement' ? [auto!] : Array.isArray(s) ? s as readonly Column<any>[] : [s as Column<any>]
    sentinelIn = cols.map((c) => {
      const i = columns.indexOf(c)
      if (i < 0) throw new ArgumentError(`insert(${table.name}): sentinel column '${c.name}' is not among the inserted columns`)
      return i
    })
    sentinelOut = cols.map((c) => positionIn(returning, c))
  }
  const single = (ret: ColumnElement<any>[]): Insert => new Insert({ ...stmt.state, columns, rows: columns.length ? [columns.map((c) => new BindParam(null, c.type))] : [], returning: ret })
  const template = conn.engine.compile(single(returning)).template
  // only the autoincrement key comes back: large batches may read it from the key range they filled
  const kr = d.insertKeyRange
  const range = kr !== undefined && rows.length >= kr.minRows && autoOut === 0 && returning.length === 1 && columns.length && !stmt.state.onConflict
    ? keyRangePlan(kr, table, columns, auto!, () => conn.engine.compile(single([])).template, template.resultProcessors[0])
    : undefined
  return { table, columns, access, returning, template, batch, sentinelIn, sentinelOut, autoOut, idsOf, idStep: d.insertIdStep ?? 1, range }
}

/** A row's value for column j: given, else the column's client default; undefined is refused (null is SQL NULL). */
function valueAt(plan: Plan, row: Record<string, unknown>, j: number, index: number): unknown {
  const k = plan.access[j]
  const v = row[k]
  if (v !== undefined) return v
  const d = plan.columns[j].options.default
  if (d !== undefined && !(k in row)) return typeof d === 'function' ? (d as () => unknown)() : d
  throw new ArgumentError(`insert(${plan.table.name}): row ${index} has no value for '${k}' (undefined; pass null for SQL NULL)`)
}

/** The batch's result rows, in input order when a sentinel was asked for. */
function batchRows(plan: Plan, res: Result, rows: readonly Record<string, unknown>[], from: number, to: number): readonly unknown[][] {
  const got = positionalRows(res) as unknown[][]
  if (plan.sentinelIn) {
    const sent = rows.slice(from, to).map((r) => plan.sentinelIn!.map((j) => r[plan.access[j]]))
    return orderBySentinel(got, sent, plan.sentinelOut!, plan.table.name)
  }
  if (plan.autoOut !== undefined) return orderByAutoincrement(got, to - from, plan.autoOut, plan.table.name)
  if (plan.idsOf) {
    const first = res.lastInsertId
    if (first === undefined || first === null) throw new ArgumentError(`insert(${plan.table.name}): the driver reported no insert id`)
    const n = to - from
    const out = new Array<unknown[]>(n)
    const step = plan.idStep
    if (typeof first === 'bigint') for (let i = 0; i < n; i++) out[i] = [first + BigInt(i * step)]
    else { const f = Number(first); for (let i = 0; i < n; i++) out[i] = [f + i * step] }
    return out
  }
  return got
}

function positionIn(returning: ColumnElement<any>[], col: Column<any>): number {
  const i = returning.indexOf(col)
  if (i >= 0) return i
  returning.push(col)
  return returning.length - 1
}

function noColumn(table: Table<any>, k: string): never {
  throw new ArgumentError(`table '${table.name}' has no column '${k}'`)
}
