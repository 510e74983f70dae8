import type { DriverConnection, DriverObjectResult, DriverResult } from '@retort/core/dialect'
import { killQuery, openRaw } from './mysql-cancel.js'
import type { MysqlConnection, MysqlError, MysqlField, MysqlModule, MysqlOkPacket, MysqlQuery } from './mysql-driver-types.js'

type Batch = { columns: string[]; rows: unknown[][] }

/** Server status bit: the session's sql_mode has NO_BACKSLASH_ESCAPES. */
const NO_BACKSLASH_ESCAPES = 512
/**
 * Session setup before the first statement. mysql2's client-side escaping
 * writes `\'`: it needs backslash escapes on, or a value could end its
 * string literal. NO_AUTO_VALUE_ON_ZERO: a bound 0 is stored as 0 (as on
 * the other backends), not taken as "generate an id".
 */
const SESSION_SQL_MODE = "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO,'), ',NO_BACKSLASH_ESCAPES,', ','))"

/** How long `break` out of a stream drains the rest before it sends `KILL QUERY` instead (ms). */
const DRAIN_BEFORE_KILL_MS = 20

/**
 * One mysql2 connection, as the pool sees it. Uses `query()` (client-side
 * binding; see docs/mysql-driver-notes.md). A lost connection is remembered
 * so every later call fails with the driver's own code, never with a hang or
 * an unhandled `'error'` event; a cancel is finished before the next
 * statement starts, so `KILL QUERY` never reaches the wrong statement.
 */
export class MysqlConnectionAdapter implements DriverConnection {
  broken = false
  /** The error that killed the connection. */
  private lost?: MysqlError
  private running = 0
  private seq = 0
  /** The statement a `KILL QUERY` was sent for. */
  private killed = 0
  private cancelling?: Promise<unknown>
  /** Whether the session was checked for backslash escapes (once, before its first statement). */
  private sessionReady = false
  /** The last status the server reported had NO_BACKSLASH_ESCAPES set (e.g. after a user's `SET sql_mode`). */
  private noBackslashEscapes = false
  /** Fails the stream in progress when the connection dies (mysql2 then tells only the connection). */
  private abortStream?: (err: MysqlError) => void

  constructor(readonly raw: MysqlConnection, private readonly mysql: MysqlModule, private readonly config: Record<string, unknown>) {
    raw.on('error', (err) => this.markLost(err))
    raw.on('end', () => this.markLost(connectionLost('Connection lost: The server closed the connection.')))
  }

  /** Open a connection (the caller converts a failure). */
  static async open(mysql: MysqlModule, config: Record<string, unknown>): Promise<MysqlConnectionAdapter> {
    return new MysqlConnectionAdapter(await openRaw(mysql, config), mysql, config)
  }

  /** The server's id for this connection (`CONNECTION_ID()`). */
  get threadId(): number | null { return this.raw.threadId }

  private markLost(err: MysqlError): void {
    this.broken = true
    this.lost ??= err
    this.abortStream?.(err)
  }

  /**
   * Wait for an in-flight cancel so it never reaches the next statement;
   * fail fast when dead; refuse values that mysql2 cannot escape safely.
   */
  private async ready(params: readonly unknown[], setup = true): Promise<void> {
    if (this.cancelling) await this.cancelling
    if (this.broken) throw this.lostError()
    if (setup && !this.sessionReady) {
      // after `onConnect`, before the first statement: it may have changed sql_mode
      this.sessionReady = true
      await this.run(SESSION_SQL_MODE, [])
    }
    if (this.noBackslashEscapes && params.some(needsBackslashEscape)) {
      throw Object.assign(new Error(
        "This session's sql_mode has NO_BACKSLASH_ESCAPES: string values cannot be bound safely (mysql2 escapes them with backslashes). Remove it from sql_mode."),
      { code: 'RETORT_NO_BACKSLASH_ESCAPES', sqlState: '42000' })
    }
  }

  private lostError(): MysqlError {
    const l = this.lost
    const err = connectionLost(`The connection was lost: ${l?.message ?? 'closed'}`, l?.code)
    if (l) err.cause = l
    return err
  }

  /** Run a statement without the session setup (server detection runs before `onConnect`). */
  async serverQuery(sql: string): Promise<DriverResult> {
    await this.ready([], false)
    return this.run(sql, [])
  }

  query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    return this.call(sql, params, true)
  }

  /** Rows as mysql2's own objects (the ORM hydrates them as they are). */
  async queryObjects(sql: string, params: readonly unknown[]): Promise<DriverObjectResult> {
    const res = await this.call(sql, params, false)
    return { rows: res.rows as unknown as Record<string, unknown>[], rowCount: res.rowCount }
  }

  private async call(sql: string, params: readonly unknown[], rowsAsArray: boolean): Promise<DriverResult> {
    // the common case (set up, no cancel in flight, backslash escapes on) skips ready()'s awaits
    if (this.cancelling || this.broken || !this.sessionReady || this.noBackslashEscapes) await this.ready(params)
    return this.run(sql, params, rowsAsArray)
  }

  private async run(sql: string, params: readonly unknown[], rowsAsArray = true): Promise<DriverResult> {
    const id = (this.running = ++this.seq)
    try {
      const [rows, fields] = await new Promise<[unknown, MysqlField[] | undefined]>((resolve, reject) => {
        this.raw.query({ sql, values: params as unknown[], rowsAsArray }, (err, r, f) => (err ? reject(err) : resolve([r, f])))
      })
      // canceled while running, yet it returned (MariaDB's SLEEP() returns 1 when killed): not a result to trust
      if (this.killed === id) throw interrupted()
      if (Array.isArray(rows)) return { rows: rows as unknown[][], columns: (fields ?? []).map((f) => f.name), rowCount: rows.length }
      const ok = rows as MysqlOkPacket
      if (ok.serverStatus !== undefined) this.noBackslashEscapes = (ok.serverStatus & NO_BACKSLASH_ESCAPES) !== 0
      return { rows: [], columns: [], rowCount: ok.affectedRows, insertId: ok.insertId ? toId(ok.insertId) : undefined }
    } catch (err) {
      throw this.checkLoss(withTemplate(err, sql))
    } finally { this.running = 0 }
  }

  /**
   * Stream rows in batches straight from the query's row events: the socket
   * is paused while a full batch waits to be consumed, so memory stays
   * bounded. Leaving early drains the rest for a moment, then `KILL QUERY`s
   * it, and returns once the statement has ended.
   */
  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<Batch> {
    await this.ready(params)
    const id = (this.running = ++this.seq)
    const rows = new RowQueue(this.raw, options.batchSize)
    const q = this.raw.query({ sql, values: params as unknown[], rowsAsArray: true })
    let columns: string[] = []
    q.on('fields', (f) => { columns = f.map((x) => x.name) })
    q.on('result', (row) => rows.push(row))
    q.on('error', (err) => rows.fail(err)) // always listened: an error after `break` (the kill) must not be unhandled
    q.once('end', () => rows.end())
    this.abortStream = (err) => rows.fail(err)
    let complete = false
    try {
      for (;;) {
        const batch = await rows.next()
        if (!batch) break
        yield { columns, rows: batch }
      }
      complete = true
      if (this.killed === id) throw interrupted()
    } catch (err) {
      complete = true
      throw this.checkLoss(withTemplate(err, sql))
    } finally {
      this.abortStream = undefined
      if (!complete && !this.broken) await this.finishEarly(rows, id)
      this.raw.resume()
      this.running = 0
    }
  }

  /** After `break`: drop what comes; past a short drain, kill the statement; return once it ended. */
  private async finishEarly(rows: RowQueue, id: number): Promise<void> {
    rows.discard()
    this.abortStream = (err) => rows.fail(err)
    const drained = await Promise.race([rows.settled.then(() => true), delay(DRAIN_BEFORE_KILL_MS).then(() => false)])
    if (!drained && !this.broken) await this.killRunning(id).catch(() => {})
    await rows.settled
  }

  private async killRunning(id: number): Promise<void> {
    const threadId = this.raw.threadId
    if (!threadId) return
    const done = killQuery(this.mysql, this.config, threadId, () => this.running === id && !this.broken, () => { this.killed = id })
    this.cancelling = done
    try { await done } finally { if (this.cancelling === done) this.cancelling = undefined }
  }

  /** `KILL QUERY` over a separate short-lived connection, only while the statement still runs. */
  async cancel(): Promise<void> {
    if (!this.running || this.broken) return
    await this.killRunning(this.running)
  }

  async ping(): Promise<void> {
    await this.ready([], false)
    await new Promise<void>((resolve, reject) => this.raw.ping((err) => (err ? reject(this.checkLoss(err)) : resolve())))
  }

  async close(): Promise<void> {
    if (this.broken) { this.raw.destroy(); return }
    this.markLost(connectionLost('Connection closed'))
    await new Promise<void>((resolve) => this.raw.end(() => resolve()))
  }

  /** A fatal error took the connection down: remember it, and report it with the driver's code. */
  private checkLoss(err: unknown): unknown {
    const e = err as MysqlError
    if (e?.fatal) this.markLost(e)
    return this.broken && !e?.code && !e?.errno ? this.lostError() : err
  }
}

/** Rows of one streaming query, handed out in batches; pauses the socket while a full batch waits. */
class RowQueue {
  private batch: unknown[][] = []
  private ready: unknown[][][] = []
  private done = false
  private error?: unknown
  private dropping = false
  private wake?: () => void
  private resolveSettled!: () => void
  /** Resolves once the statement ended (its last row, an error, or the connection's loss). */
  readonly settled = new Promise<void>((resolve) => { this.resolveSettled = resolve })

  constructor(private readonly raw: { pause(): void; resume(): void }, private readonly size: number) {}

  push(row: unknown[]): void {
    if (this.dropping) return
    this.batch.push(row)
    if (this.batch.length < this.size) return
    this.ready.push(this.batch)
    this.batch = []
    this.raw.pause()
    this.notify()
  }
  end(): void { this.finish() }
  fail(err: unknown): void { this.error ??= err; this.finish() }
  /** Stop keeping rows (after `break`); the socket flows again. */
  discard(): void { this.dropping = true; this.ready = []; this.batch = []; this.raw.resume() }

  /** The next full batch, the last partial one, or undefined at the end; throws the statement's error. */
  async next(): Promise<unknown[][] | undefined> {
    for (;;) {
      if (this.error !== undefined) throw this.error
      const b = this.ready.shift()
      if (b) { if (!this.ready.length && !this.done) this.raw.resume(); return b }
      if (this.done) { const last = this.batch; this.batch = []; return last.length ? last : undefined }
      await new Promise<void>((resolve) => { this.wake = resolve })
    }
  }

  private finish(): void { this.done = true; this.resolveSettled(); this.notify() }
  private notify(): void { const w = this.wake; this.wake = undefined; w?.() }
}

/** mysql2 puts the SQL with the values written in on its errors: keep the placeholders (`hideParameters`). */
function withTemplate(err: unknown, sql: string): unknown {
  if (err && typeof err === 'object' && 'sql' in err) (err as { sql: string }).sql = sql
  return err
}

/** A value that mysql2 would escape with a backslash (unsafe under NO_BACKSLASH_ESCAPES). */
function needsBackslashEscape(v: unknown): boolean {
  if (typeof v === 'string') return /[\0\b\t\n\r\x1a"'\\]/.test(v)
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof Date)
}

function connectionLost(message: string, code = 'PROTOCOL_CONNECTION_LOST'): MysqlError {
  return Object.assign(new Error(message), { code, fatal: true })
}

/** What MariaDB reports for a killed statement (ER_QUERY_INTERRUPTED). */
function interrupted(): MysqlError {
  return Object.assign(new Error('Query execution was interrupted'), { errno: 1317, code: 'ER_QUERY_INTERRUPTED', sqlState: '70100' })
}

function toId(v: number | string): number | bigint {
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : BigInt(v)
}

function delay(ms: number): Promise<void> { return new Promise((resolve) => setTimeout(resolve, ms)) }
