import {
  ArgumentError, PendingRollbackError, QueryCanceled, ResourceClosedError, type RetortError, isErrorKind,
} from '../errors/errors.js'
import type { Insert, TableArg } from '../sql/builders/dml.js'
import type { Node } from '../sql/nodes/node.js'
import type { DdlTarget } from '../sql/schema/metadata.js'
import { type CompiledStatement, type CompiledTemplate, parameterValues } from './compiled.js'
import type { DriverConnection, DriverObjectResult, DriverResult } from './dialect.js'
import './disposable.js'
import type { AsyncEngine } from './engine.js'
import type { PoolEntry } from './pool.js'
import { objectConverter } from './object-rows.js'
import { Result, type Row, nameRows, rowNamer } from './result.js'
import { executeMany } from './execute-many.js'
import { type InsertManyOptions, executeInsertMany } from './insert-many.js'
import { type UpdateManyOptions, type UpdateManyRow, executeUpdateMany } from './update-many.js'
import { type IsolationLevel, isolationLevel as checkedLevel } from './isolation.js'
import { Transaction } from './transaction.js'
import { CancelWatch } from './cancel-watch.js'

/** The part of `AbortSignal` Retort uses (structural, so the types need no DOM or Node lib). */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface ExecuteOptions {
  /** Cancel the statement on the server when this signal aborts. */
  signal?: AbortSignalLike
  /** Cancel the statement on the server after this many ms. */
  timeout?: number
}

type RowsOf<S> = S extends { readonly __row?: infer R } ? (R extends unknown[] ? R : unknown[]) : unknown[]

/**
 * A connection checked out of the engine's pool, "commit as you go": the
 * first statement begins a transaction; `commit()`/`rollback()` end it;
 * closing rolls back what was not committed.
 */
export class AsyncConnection implements DdlTarget {
  private entry?: PoolEntry
  private inTx = false
  /** `begin({ isolationLevel: 'AUTOCOMMIT' })`: no BEGIN until that transaction's commit()/rollback(). */
  private autocommitUntilEnd = false
  private txFailed?: string
  private closed = false
  private savepointSeq = 0
  private running?: Promise<unknown>

  constructor(readonly engine: AsyncEngine, entry: PoolEntry) { this.entry = entry }

  get dialect() { return this.engine.dialect! }
  get supportsAlterForeignKeys(): boolean { return this.dialect.supportsAlterForeignKeys }
  /** Whether a transaction is open. */
  get inTransaction(): boolean { return this.inTx }
  /** The driver's connection (for driver-specific calls). */
  get rawConnection(): unknown { return this.entry?.conn.raw }

  private async driver(): Promise<DriverConnection> {
    if (this.closed) throw new ResourceClosedError('This connection is closed')
    if (this.engine.isDisposedEntry(this.entry)) throw new ResourceClosedError('This connection belongs to an engine that was disposed')
    if (!this.entry) this.entry = await this.engine.checkout()
    return this.entry.conn
  }

  /** The driver connection without an await when it is checked out and usable (else `driver()` decides). */
  private checkedOut(): DriverConnection | undefined {
    const entry = this.entry
    return entry !== undefined && !this.closed && !this.engine.isDisposedEntry(entry) ? entry.conn : undefined
  }

  /** Begin a transaction explicitly (otherwise the first statement begins one). */
  async begin(options: { isolationLevel?: IsolationLevel | (string & {}) } = {}): Promise<Transaction> {
    if (this.inTx) throw new ArgumentError('A transaction is already begun on this connection; use beginNested() for a savepoint')
    await this.startTx(options.isolationLevel)
    return new Transaction(this)
  }

  /** A SAVEPOINT inside the current transaction (begun if needed). */
  async beginNested(): Promise<Transaction> {
    if (!this.inTx) await this.startTx()
    const name = `sp_${++this.savepointSeq}`
    await this.raw(`SAVEPOINT ${name}`)
    return new Transaction(this, name)
  }

  private async startTx(requested?: string): Promise<void> {
    const level = checkedLevel(requested) ?? (this.autocommitUntilEnd ? 'AUTOCOMMIT' : this.engine.options.isolationLevel)
    if (level === 'AUTOCOMMIT') { if (requested) this.autocommitUntilEnd = true; return }
    for (const sql of this.dialect.beginStatements(level)) await this.raw(sql)
    this.inTx = true
  }

  async commit(): Promise<void> {
    this.autocommitUntilEnd = false
    if (!this.inTx) return
    if (this.txFailed) throw new PendingRollbackError(`This transaction failed (${this.txFailed}); roll it back`)
    try { await this.raw('COMMIT') } finally { this.inTx = false }
  }

  async rollback(): Promise<void> {
    this.autocommitUntilEnd = false
    this.txFailed = undefined
    if (!this.inTx) return
    this.inTx = false
    if (this.entry && !this.entry.conn.broken) await this.raw('ROLLBACK')
  }

  /** @internal */ async releaseSavepoint(name: string): Promise<void> { await this.raw(`RELEASE SAVEPOINT ${name}`) }
  /** @internal */ async rollbackToSavepoint(name: string): Promise<void> {
    this.txFailed = undefined
    await this.raw(`ROLLBACK TO SAVEPOINT ${name}`)
  }

  /** Run transaction-control SQL through the same path (events, error conversion). */
  private async raw(sql: string): Promise<void> {
    const conn = await this.driver()
    await this.run(conn, sql, NO_VALUES)
  }

  /** Execute a statement and buffer its rows. */
  execute<S extends Node>(stmt: S, params?: Record<string, unknown> | ExecuteOptions, options?: ExecuteOptions): Promise<Result<RowsOf<S>>> {
    // not `async`: returning executeCompiled's promise directly saves a hop; a throw still becomes a rejection
    let compiled: CompiledStatement
    try {
      if (optionsInParams(params, options)) { options = params as ExecuteOptions; params = undefined }
      compiled = this.engine.compile(stmt)
    } catch (err) { return Promise.reject(err) }
    return this.executeCompiled(compiled, params as Record<string, unknown> | undefined, options) as Promise<Result<RowsOf<S>>>
  }

  /** @internal Execute an already compiled statement (the ORM uses this too). */
  executeCompiled(compiled: CompiledStatement, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<Result<any>> {
    let values: unknown[]
    try { values = parameterValues(compiled, params) } catch (err) { return Promise.reject(err) }
    const t = compiled.template
    return this.executeRendered(t.sql, values, t, options)
  }

  /**
   * @internal Run a compiled statement whose result names are unique and get
   * its rows as the driver's own objects keyed by those names, converted in
   * place (no positional copy: the ORM hydrates them as they are).
   * `undefined` before anything runs when the driver has no object rows.
   */
  async executeObjects(compiled: CompiledStatement, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<DriverObjectResult | undefined> {
    if (this.txFailed) throw new PendingRollbackError(`This transaction failed (${this.txFailed}); roll it back before running more statements`)
    const values = parameterValues(compiled, params)
    if (!this.inTx) await this.startTx()
    const conn = this.checkedOut() ?? await this.driver()
    if (conn.queryObjects === undefined) return undefined
    const t = compiled.template
    const res = await this.run(conn, t.sql, values, options, true) as unknown as DriverObjectResult
    if (res.rows.length) objectConverter(t)(res.rows)
    return res
  }

  /**
   * @internal Run SQL text rendered from a compiled template (a many-row
   * INSERT or UPDATE expanded from it) with its final parameter values,
   * through the same path as `execute`; rows are shaped by `t`.
   */
  async executeRendered(sql: string, values: readonly unknown[], t: CompiledTemplate | undefined, options?: ExecuteOptions): Promise<Result<any>> {
    if (this.txFailed) throw new PendingRollbackError(`This transaction failed (${this.txFailed}); roll it back before running more statements`)
    if (!this.inTx) await this.startTx()
    const conn = this.checkedOut() ?? await this.driver()
    const res = await this.run(conn, sql, values, options)
    const rows = res.rows
    // converted now (a processor's error surfaces here), named when first read
    if (t !== undefined && t.shapeRows !== undefined) {
      if (rows.length && t.convertRows !== undefined) t.convertRows(rows)
      return new Result(rows, t.resultNames!, res.rowCount, res.insertId, t.nameRows)
    }
    return new Result(rows, res.columns, res.rowCount, res.insertId, rowNamer(res.columns))
  }

  /**
   * Run a statement once per parameter set. An INSERT without values becomes
   * multi-row INSERTs batched under the backend's bind-parameter limit; the
   * result sums `rowCount` and gathers any RETURNING rows.
   */
  executeMany<S extends Node>(stmt: S, rows: readonly Record<string, unknown>[]): Promise<Result<RowsOf<S>>> {
    return executeMany(this, stmt, rows) as Promise<Result<any>>
  }

  /**
   * INSERT many rows with one statement per batch ("insertmanyvalues"): the
   * single-row INSERT is compiled once, its VALUES group repeated per batch
   * under the bind limit, values bound flat from the row objects. With
   * `sentinel`, RETURNING rows come back in input order (`rows[i]` ↔
   * `result.rows[i]`), matched by the sentinel rather than by position.
   *
   * ```ts
   * const r = await conn.executeInsertMany(insert(users).returning(users.c.id), rows, { sentinel: 'autoincrement' })
   * ```
   */
  executeInsertMany<S extends Insert>(stmt: S, rows: readonly Record<string, unknown>[], options?: InsertManyOptions): Promise<Result<RowsOf<S>>> {
    return executeInsertMany(this, stmt, rows, options) as Promise<Result<any>>
  }

  /**
   * UPDATE many rows by key, the same columns each, one statement per batch:
   * `UPDATE t SET c = v.c FROM (VALUES ...) AS v(k, c) WHERE t.k = v.k`
   * (PostgreSQL, SQLite ≥ 3.33) or `SET c = CASE k WHEN ? THEN ? ... END
   * WHERE k IN (...)` (MySQL, MariaDB). Rows are `[...key, ...match, ...set]`
   * arrays or objects keyed by column; `rowCount` counts matched rows.
   *
   * ```ts
   * const r = await conn.executeUpdateMany(users, [[1, 'a'], [2, 'b']], { set: ['name'] })
   * if (r.rowCount !== 2) throw new StaleDataError('...')
   * ```
   */
  executeUpdateMany(table: TableArg, rows: readonly UpdateManyRow[], options: UpdateManyOptions): Promise<Result<[]>> {
    return executeUpdateMany(this, table, rows, options) as Promise<Result<any>>
  }

  /**
   * Stream rows with bounded memory (server-side cursor on PostgreSQL,
   * streaming on MySQL, row by row on SQLite). Leaving the loop closes the cursor.
   */
  async *stream<S extends Node>(stmt: S, params?: Record<string, unknown>, options: { batchSize?: number } = {}): AsyncGenerator<Row<RowsOf<S>>> {
    const compiled = this.engine.compile(stmt)
    const values = parameterValues(compiled, params)
    const t = compiled.template
    if (this.txFailed) throw new PendingRollbackError(`This transaction failed (${this.txFailed}); roll it back first`)
    if (!this.inTx) await this.startTx()
    const conn = await this.driver()
    if (this.running) throw new ArgumentError(BUSY)
    this.emitBefore(t.sql, values)
    const start = performance.now()
    let names: readonly string[] | undefined
    let failed = false
    this.running = STREAMING
    try {
      for await (const batch of conn.stream(t.sql, values, { batchSize: options.batchSize ?? 1000 })) {
        names ??= t.resultNames ?? batch.columns
        if (t.shapeRows !== undefined) t.shapeRows(batch.rows)
        else nameRows(batch.rows, names)
        for (const row of batch.rows) yield row as Row<RowsOf<S>>
      }
    } catch (err) {
      failed = true
      this.running = undefined
      throw this.fail(err, t.sql, values, start)
    } finally {
      // reached at the end, on break and on a throw in the loop body (the cursor is closed by then)
      this.running = undefined
      if (!failed) this.emitAfter(t.sql, values, start)
    }
  }

  /** Names of the tables in the current database (used by `createAll`). */
  async tableNames(): Promise<string[]> {
    const conn = await this.driver()
    const sql = this.dialect.tableNamesSql
    const res = await this.run(conn, sql, NO_VALUES)
    return res.rows.map((r) => String(r[0]))
  }

  private emitBefore(sql: string, values: readonly unknown[]): void {
    const e = this.engine
    if (e.options.echo) e.log(sql, values)
    if (e.events.has('beforeExecute')) e.events.emit('beforeExecute', { sql, parameters: e.shownParameters(values) })
  }
  private emitAfter(sql: string, values: readonly unknown[], start: number): void {
    const e = this.engine
    if (e.events.has('afterExecute')) e.events.emit('afterExecute', { sql, parameters: e.shownParameters(values), durationMs: performance.now() - start })
  }

  /** The one execution path: events, echo, cancellation, error conversion, invalidation. */
  private async run(conn: DriverConnection, sql: string, values: readonly unknown[], options?: ExecuteOptions, objects = false): Promise<DriverResult> {
    if (this.running) throw new ArgumentError(BUSY)
    const cancelable = options !== undefined && (options.signal !== undefined || options.timeout !== undefined)
    if (cancelable && options.signal?.aborted) throw new QueryCanceled('The statement was canceled before it started', { sql })
    this.emitBefore(sql, values)
    const start = performance.now()
    // only a statement with a signal or a timeout pays for the watch
    const watch = cancelable ? new CancelWatch(conn, options) : undefined
    const p: Promise<unknown> = objects ? conn.queryObjects!(sql, values) : conn.query(sql, values)
    this.running = p
    try {
      const res = await p as DriverResult
      this.emitAfter(sql, values, start)
      return res
    } catch (err) {
      throw this.fail(err, sql, values, start, watch?.canceled)
    } finally {
      this.running = undefined
      watch?.disarm()
    }
  }

  private fail(err: unknown, sql: string, values: readonly unknown[], start: number, canceled = false): RetortError {
    const e = this.engine
    let converted = isErrorKind(err, 'RetortError') ? err as RetortError : this.dialect.convertError(err, { sql, parameters: e.shownParameters(values), cause: err })
    if (canceled && !isErrorKind(converted, 'QueryCanceled')) {
      converted = new QueryCanceled(`The statement was canceled: ${converted.message}`, { sql, parameters: e.shownParameters(values), cause: err, code: converted.code })
    }
    e.url.maskError(converted)
    if (e.events.has('error')) e.events.emit('error', { sql, parameters: e.shownParameters(values), durationMs: performance.now() - start, error: converted })
    const entry = this.entry
    if (entry && (isErrorKind(converted, 'ConnectionError') || entry.conn.broken)) {
      if (isErrorKind(converted, 'ConnectionError')) e.invalidatePool(entry)
      this.invalidate('the connection was lost')
    } else if (this.inTx && isErrorKind(converted, 'QueryCanceled')) {
      this.txFailed = 'a statement was canceled'
    }
    return converted
  }

  /**
   * Drop the underlying connection: it is closed, never reused. A transaction
   * that was open is lost: the connection demands `rollback()` before reuse,
   * so later statements never run silently outside it on a new connection.
   */
  invalidate(reason = 'the connection was invalidated'): void {
    const entry = this.entry
    if (!entry) return
    this.entry = undefined
    this.engine.release(entry, true)
    if (this.inTx) this.txFailed = reason
  }

  /**
   * Roll back what was not committed and return the connection to the pool.
   * The ROLLBACK runs while the connection is back in the pool: `close()`
   * does not wait for its round trip; the next checkout of this connection
   * does (the pool closes it instead when the ROLLBACK failed). Call
   * `rollback()` first to wait for it.
   */
  async close(): Promise<void> {
    if (this.closed) return
    // a statement or stream still running: the connection is dropped, never reused mid-statement
    if (this.running) { this.invalidate('the connection was closed while a statement was running'); this.closed = true; return }
    const entry = this.entry
    const rollback = this.inTx && entry !== undefined && !entry.conn.broken
    this.closed = true
    this.entry = undefined
    this.inTx = false
    this.txFailed = undefined
    this.autocommitUntilEnd = false
    if (!entry) return
    this.engine.release(entry, false, rollback ? this.reset(entry) : undefined)
  }

  /**
   * ROLLBACK on a connection being given back, through the one execution
   * path (events, echo, error conversion); resolves true when it succeeded,
   * false when it failed or a listener threw (the pool then closes the
   * connection, as `invalidate()` did before); never rejects.
   */
  private reset(entry: PoolEntry): Promise<boolean> {
    return this.run(entry.conn, 'ROLLBACK', NO_VALUES).then(() => true, (err: unknown) => {
      // the connection is no longer this one's: a lost one retires the pool here, as fail() does for a checked-out one
      if (isErrorKind(err, 'ConnectionError')) this.engine.invalidatePool(entry)
      return false
    })
  }

  async [Symbol.asyncDispose](): Promise<void> { await this.close() }
}

const BUSY = 'This connection is already running a statement or a stream; await it (or leave the stream loop) first: a connection runs one statement at a time'
/** Marks a connection whose stream is open. */
const STREAMING: Promise<unknown> = Promise.resolve()
const NO_VALUES: readonly unknown[] = Object.freeze([])

/** @internal `execute(stmt, { signal })`: execute options given in the parameters' place. */
export function optionsInParams(params: object | undefined, options: ExecuteOptions | undefined): boolean {
  if (options !== undefined || !params || !('signal' in params || 'timeout' in params)) return false
  const keys = Object.keys(params)
  return keys.length > 0 && keys.every((k) => k === 'signal' || k === 'timeout')
}


