import type { DriverConnection, DriverObjectResult, DriverResult } from '@retort/core/dialect'
import type { RowBatch, Sqlite3Database, Sqlite3Error, Sqlite3Module, Sqlite3RunContext } from './sqlite-driver-types.js'
import { toDriverParams } from './sqlite-params.js'
import { rowsToArrays } from './sqlite-rows.js'
import { isQuery, streamRows } from './sqlite-stream.js'

const RETURNS_ROWS = /^\s*(pragma|explain)\b|\breturning\b/i
/** Result codes after which the handle cannot be trusted again. */
const FATAL_CODES = new Set(['SQLITE_MISUSE', 'SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_IOERR', 'SQLITE_NOMEM'])
const NO_TRANSACTION = /no transaction is active/

/** sqlite3's object rows as positional rows, with the column names of the first. */
function objectRowsToArrays(rows: Record<string, unknown>[]): DriverResult {
  const n = rows.length
  if (!n) return { rows: [], columns: [], rowCount: 0 }
  const columns = Object.keys(rows[0])
  return { rows: rowsToArrays(columns)(rows), columns, rowCount: n }
}

/** How to open one database handle. */
export interface SqliteOpenOptions {
  /** A file path, or `:memory:`. */
  filename: string
  foreignKeys: boolean
  /** ms a writer waits for a lock before `SQLITE_BUSY` (file databases). */
  busyTimeout: number
  readOnly: boolean
  /** `PRAGMA journal_mode` to set, e.g. `WAL`. */
  journalMode?: string
}

/** One sqlite3 database handle, as the pool sees it. */
export class SqliteConnection implements DriverConnection {
  private fatal = false
  private closed = false
  private running = 0

  constructor(readonly raw: Sqlite3Database) {
    raw.on('error', () => { this.fatal = true })
  }

  /** True once the handle reported a fatal error or was closed (also underneath us): the pool discards it. */
  get broken(): boolean { return this.fatal || this.closed || this.raw.open === false }

  /** Open a handle and apply the per-connection settings (foreign keys, busy timeout). */
  static open(sqlite3: Sqlite3Module, options: SqliteOpenOptions): Promise<SqliteConnection> {
    const mode = options.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(options.filename, mode | (sqlite3.OPEN_URI ?? 0), (err) => {
        if (err) { reject(err); return }
        const conn = new SqliteConnection(db)
        db.configure('busyTimeout', options.busyTimeout)
        conn.configure(options).then(() => resolve(conn), (e: unknown) => { void conn.close().catch(() => undefined); reject(e) })
      })
    })
  }

  private async configure(options: SqliteOpenOptions): Promise<void> {
    // foreign keys are off in SQLite unless each connection turns them on
    await this.query(`PRAGMA foreign_keys = ${options.foreignKeys ? 'ON' : 'OFF'}`, [])
    if (options.journalMode) await this.query(`PRAGMA journal_mode = ${options.journalMode}`, [])
  }

  /** Run one statement; `bigint` parameters are converted (sqlite3 would bind NULL). */
  query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    return this.call(sql, params, false) as Promise<DriverResult>
  }

  /** Rows as sqlite3's own objects (the ORM hydrates them as they are). */
  queryObjects(sql: string, params: readonly unknown[]): Promise<DriverObjectResult> {
    return this.call(sql, params, true) as Promise<DriverObjectResult>
  }

  private call(sql: string, params: readonly unknown[], objects: boolean): Promise<DriverResult | DriverObjectResult> {
    let values: unknown[]
    try { values = toDriverParams(params) } catch (err) { return Promise.reject(err) }
    this.running++
    // one promise settled from the driver's callback (no .catch/.finally chain: two hops less per statement;
    // no named closure per call either: the build's keepNames would define a `name` on each)
    const conn = this
    return new Promise<DriverResult | DriverObjectResult>((resolve, reject) => {
      try {
        if (objects || isQuery(sql) || RETURNS_ROWS.test(sql)) {
          conn.raw.all(sql, values, (err, rows) => {
            conn.running--
            if (err) { conn.settleFailed(sql, err, resolve, reject); return }
            resolve(objects ? { rows, rowCount: rows.length } : objectRowsToArrays(rows))
          })
        } else {
          conn.raw.run(sql, values, function (this: Sqlite3RunContext, err) {
            conn.running--
            if (err) { conn.settleFailed(sql, err, resolve, reject); return }
            resolve({ rows: [], columns: [], rowCount: this.changes ?? 0, insertId: this.lastID })
          })
        }
      } catch (err) { conn.running--; conn.settleFailed(sql, err, resolve, reject) }
    })
  }

  private settleFailed(sql: string, err: unknown, resolve: (r: DriverResult) => void, reject: (e: unknown) => void): void {
    try { resolve(this.settleError(sql, err)) } catch (e) { reject(e) }
  }

  /**
   * A failed statement: remember a fatal one, and accept a ROLLBACK that
   * finds no transaction (SQLite already rolled it back itself, e.g. after an
   * interrupted write, a full disk or a busy commit).
   */
  private settleError(sql: string, err: unknown): DriverResult {
    const e = err as Sqlite3Error
    if (e.code && FATAL_CODES.has(e.code)) this.fatal = true
    if (/^\s*rollback\s*$/i.test(sql) && NO_TRANSACTION.test(e.message ?? '')) return { rows: [], columns: [], rowCount: 0 }
    throw err
  }

  /** Stream rows with bounded memory (see `streamRows`); leaving the loop closes the cursor. */
  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<RowBatch> {
    try {
      yield* streamRows(this.raw, sql, toDriverParams(params), Math.max(1, options.batchSize))
    } catch (err) {
      this.settleError(sql, err)
    }
  }

  /** `sqlite3_interrupt()` while a statement runs: it fails with `SQLITE_INTERRUPT`. */
  async cancel(): Promise<void> { if (this.running > 0 && !this.closed) this.raw.interrupt() }
  async ping(): Promise<void> { await this.query('SELECT 1', []) }
  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())))
  }
}
