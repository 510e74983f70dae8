import type { RetortError, StatementInfo } from '../errors/errors.js'
import type { SqlCompiler } from '../sql/compiler/sql-compiler.js'
import type { Column } from '../sql/nodes/from.js'
import type { Table } from '../sql/schema/table.js'
import type { SqlType } from '../sql/types/type.js'
import type { DatabaseUrl } from './url.js'

/** What a driver returns for one statement: positional rows and column names. */
export interface DriverResult {
  rows: unknown[][]
  columns: string[]
  /** Rows matched (UPDATE/DELETE) or returned/inserted. */
  rowCount: number
  /** Generated id of an INSERT: the first row's on MySQL, the last row's on SQLite (`lastID`). */
  insertId?: number | bigint
}

/** Rows as the driver's own objects, keyed by column name. */
export interface DriverObjectResult {
  rows: Record<string, unknown>[]
  rowCount: number
}

/** One live connection, as the pool sees it. Implemented by each driver package. */
export interface DriverConnection {
  /** Run one statement with positional parameters. */
  query(sql: string, params: readonly unknown[]): Promise<DriverResult>
  /**
   * Optional: run a statement that returns rows and give them as the
   * driver's own objects keyed by column name (the ORM hydrates them without
   * a positional copy). Asked for only when the column names are unique.
   */
  queryObjects?(sql: string, params: readonly unknown[]): Promise<DriverObjectResult>
  /** Stream rows in batches, bounded in memory; ending the iteration closes the cursor. */
  stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<{ columns: string[]; rows: unknown[][] }>
  /** Cancel the statement running now on the server; a no-op when none runs. */
  cancel(): Promise<void>
  /** Cheap liveness check (`poolPrePing`). */
  ping(): Promise<void>
  close(): Promise<void>
  /** True once the driver reported the connection dead (server gone, socket closed). */
  readonly broken: boolean
  /** The driver's own connection object, for `onConnect`. */
  readonly raw: unknown
}

export interface ConnectOptions {
  url: DatabaseUrl
  /** Time allowed to open a connection, ms. */
  connectTimeout?: number
}

/**
 * How a backend proves the keys of a multi-row INSERT without RETURNING.
 * `probe` runs before the INSERT and returns one row `[largest key or null,
 * usable (1 or 0)]`; usable means each key the INSERT hands out is larger
 * than every key already in the table and one more than the one before, in
 * VALUES order (SQLite: the key is the table's rowid and no trigger writes
 * the table). `firstAbove` runs after it with that largest key and returns
 * one row `[smallest key above it]`, which must equal the driver's insert id
 * minus the row count plus one (else `executeInsertMany` throws: the rows
 * cannot be matched to their keys).
 */
export interface InsertKeyRange {
  readonly minRows: number
  /** `undefined`: never for this table (e.g. in another schema). */
  probe(table: Table<any>, key: Column<any>): { sql: string; params: unknown[] } | undefined
  firstAbove(table: Table<any>, key: Column<any>): string
}

/**
 * A dialect: capability flags, a compiler, type conversion, error
 * conversion, and a way to open connections. Driver packages implement it
 * and register it with `registerDialect`; a third party can too.
 */
export interface Dialect {
  /** `postgresql`, `mysql`, `sqlite`. */
  readonly name: string
  /** `pg`, `mysql2`, `sqlite3`. */
  readonly driver: string
  readonly supportsReturning: boolean
  readonly supportsUpdateReturning: boolean
  readonly supportsMultiRowInsert: boolean
  /**
   * `UPDATE t SET c = v.c FROM (VALUES ...) AS v WHERE t.k = v.k` (PostgreSQL,
   * SQLite ≥ 3.33); batched updates use `CASE k WHEN ...` when false or undefined.
   */
  readonly supportsUpdateFromValues?: boolean
  readonly supportsSavepoints: boolean
  readonly supportsAlterForeignKeys: boolean
  readonly supportsIntersectExcept: boolean
  readonly supportsNativeEnum: boolean
  /** Most bound parameters one statement may carry. */
  readonly maxBindParams: number
  /**
   * Most bytes of values one many-row statement should carry (estimated from
   * a sample of its rows); undefined: the bind limit alone. MySQL/MariaDB:
   * the server's network buffer grows to the largest statement a connection
   * has sent and never shrinks, and a grown buffer holds result rows back
   * until it is full, so every later large SELECT on that pooled connection
   * streams late.
   */
  readonly maxStatementBytes?: number
  /**
   * Without RETURNING: whether one multi-row INSERT gets consecutive ids
   * (`lastInsertId`, `+ insertIdStep`, ...). False (MySQL's
   * `innodb_autoinc_lock_mode = 2`): insert row by row when ids are needed.
   * Undefined: the backend has RETURNING or reports one id per row only.
   */
  readonly consecutiveInsertIds?: boolean
  /**
   * Keys of a multi-row INSERT proved without RETURNING (SQLite, where
   * RETURNING costs more per row than the INSERT's own work). Used for
   * batches of at least `minRows` rows whose only RETURNING column is the
   * table's autoincrement key.
   */
  readonly insertKeyRange?: InsertKeyRange
  /** Distance between consecutive generated ids (MySQL's `auto_increment_increment`); 1 when undefined. */
  readonly insertIdStep?: number
  /** Pool defaults this backend needs (SQLite `:memory:` shares one connection). */
  poolDefaults?(url: DatabaseUrl): { poolSize?: number; maxOverflow?: number }
  /** A compiler for one statement. */
  createCompiler(): SqlCompiler
  /** Open a connection. */
  connect(options: ConnectOptions): Promise<DriverConnection>
  /** Run once on the first connection (e.g. detect the server version and set capabilities). */
  initialize?(conn: DriverConnection): Promise<void>
  /** Convert a driver error into Retort's tree (the driver error becomes `cause`). */
  convertError(err: unknown, info: StatementInfo): RetortError
  /** JS → driver value for a type; `undefined` when none is needed. */
  bindProcessor(type: SqlType): ((value: any) => unknown) | undefined
  /** Driver value → JS for a type; `undefined` when none is needed. */
  resultProcessor(type: SqlType): ((value: any) => unknown) | undefined
  /** SQL that starts a transaction with an isolation level (undefined: the server's default). */
  beginStatements(isolationLevel?: string): string[]
  /** SQL that lists the tables of the current database/schema, one name per row in column 0. */
  readonly tableNamesSql: string
  /** Cancel a statement running on `conn` (a separate connection or a cancel request). */
}

/** Bytes assumed per bound value when no rows are sampled (keys in IN lists: short numbers and text). */
const VALUE_BYTES = 16

/**
 * Rows per many-row statement: under the bind limit (`paramsPerRow` binds
 * each, `reserved` besides), and at most `requested` (a caller's
 * `batchSize`), else within the dialect's `maxStatementBytes` at
 * `rowBytes` a row (see `estimateRowBytes`).
 */
export function rowsPerStatement(d: Dialect, paramsPerRow: number, opts: { reserved?: number; requested?: number; rowBytes?: number } = {}): number {
  const perRow = Math.max(1, paramsPerRow)
  const byBinds = Math.floor((d.maxBindParams - (opts.reserved ?? 0)) / perRow)
  const budget = d.maxStatementBytes
  const cap = opts.requested ?? (budget === undefined ? byBinds : budget / Math.max(1, opts.rowBytes ?? perRow * VALUE_BYTES))
  return Math.max(1, Math.min(byBinds, Math.floor(cap)))
}

/**
 * Bytes of SQL text one row's values take, estimated from up to 16 rows
 * spread over `rows` (`keys`: the properties bound).
 */
export function estimateRowBytes(rows: readonly Record<string, unknown>[], keys: readonly string[]): number {
  const samples = Math.min(rows.length, 16)
  let total = 0
  for (let s = 0; s < samples; s++) {
    const row = rows[Math.floor((s * rows.length) / samples)]
    for (let j = 0; j < keys.length; j++) total += valueBytes(row[keys[j]]) + 2
  }
  return samples ? total / samples + 4 : keys.length * VALUE_BYTES
}

function valueBytes(v: unknown): number {
  switch (typeof v) {
    case 'string': return v.length + 2
    case 'number': case 'bigint': return String(v).length
    case 'boolean': return 1
    case 'object':
      if (v === null) return 4
      if (v instanceof Date) return 28
      if (v instanceof Uint8Array) return v.length * 2 + 3
      return 64
    default: return VALUE_BYTES
  }
}

export type DialectLoader = () => Dialect | Promise<Dialect>
