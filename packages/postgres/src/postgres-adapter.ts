import type { DriverConnection, DriverResult } from '@retort/core/dialect'
import { sendCancelRequest } from './postgres-cancel.js'
import { isFatal } from './postgres-errors.js'
import type { PgClient, PgClientConfig, PgCursorCtor, PgModule } from './pg-driver-types.js'

type Batch = { columns: string[]; rows: unknown[][] }

/**
 * One pg Client, as the pool sees it. Statements stay unnamed (PgBouncer's
 * transaction mode rejects named ones); a lost connection is remembered so
 * every later call fails with the server's own error (e.g. 57P01), never
 * with a hang or an unhandled `'error'` event.
 */
export class PostgresConnection implements DriverConnection {
  broken = false
  /** The error that killed the connection (`'error'` event or a failed statement). */
  private lost?: Error
  private running = 0
  private seq = 0
  private cancelling?: Promise<unknown>

  constructor(readonly raw: PgClient, private readonly loadCursor: () => Promise<PgCursorCtor>) {
    // an idle client whose backend is terminated emits 'error': never let it crash the process
    raw.on('error', (err) => this.markLost(err ?? new Error('Connection terminated')))
    raw.on('end', () => this.markLost(new Error('Connection terminated')))
  }

  /** Open a connected client (the caller converts a failure). */
  static async open(pg: PgModule, config: PgClientConfig, loadCursor: () => Promise<PgCursorCtor>): Promise<PostgresConnection> {
    const client = new pg.Client(config)
    const conn = new PostgresConnection(client, loadCursor)
    try {
      await client.connect()
    } catch (err) {
      await client.end().catch(() => {})
      throw err
    }
    return conn
  }

  private markLost(err: Error): void {
    this.broken = true
    this.lost ??= err
  }

  /** Wait for an in-flight cancel request so it can never reach the next statement; fail fast when dead. */
  private async ready(): Promise<void> {
    if (this.cancelling) await this.cancelling
    if (this.broken) throw this.lost ?? new Error('Connection terminated')
  }

  async query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    if (this.cancelling || this.broken) await this.ready()
    this.running = ++this.seq
    try {
      const r = await this.raw.query({ text: sql, values: params as unknown[], rowMode: 'array' })
      return { rows: r.rows, columns: r.fields.map((f) => f.name), rowCount: r.rowCount ?? r.rows.length }
    } catch (err) {
      throw this.checkLoss(err)
    } finally { this.running = 0 }
  }

  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<Batch> {
    const Cursor = await this.loadCursor()
    await this.ready()
    const cursor = this.raw.query(new Cursor(sql, params as unknown[], { rowMode: 'array' }))
    this.running = ++this.seq
    try {
      for (;;) {
        let rows: unknown[][]
        try { rows = await cursor.read(options.batchSize) } catch (err) { throw this.checkLoss(err) }
        if (!rows.length) return
        yield { columns: cursor._result?.fields.map((f) => f.name) ?? [], rows }
      }
    } finally {
      this.running = 0
      // closing the portal (on `break`, a throw or the end) keeps the connection usable
      if (!this.broken) await cursor.close().catch((err: Error) => this.markLost(err))
    }
  }

  /** A statement failed: when it took the connection down, mark it broken and report the server's reason. */
  private checkLoss(err: unknown): unknown {
    if (isConnectionLoss(err)) this.markLost(err as Error)
    const code = (err as { code?: string }).code
    return this.broken && !code && this.lost ? this.lost : err
  }

  /**
   * Cancel the running statement with the protocol's CancelRequest, sent
   * only while that same statement still runs on that same backend (pid);
   * the next statement waits until the request was handled.
   */
  async cancel(): Promise<void> {
    const target = this.running
    const { processID, secretKey, host, port } = this.raw
    if (!target || !processID || secretKey == null || this.broken) return
    const stillRunning = (): boolean => this.running === target && this.raw.processID === processID
    const done = sendCancelRequest({ host: host ?? 'localhost', port: port ?? 5432 }, { processID, secretKey }, stillRunning)
    this.cancelling = done
    try { await done } finally { if (this.cancelling === done) this.cancelling = undefined }
  }

  async ping(): Promise<void> {
    await this.ready()
    await this.raw.query({ text: 'SELECT 1' }).catch((err: unknown) => { throw this.checkLoss(err) })
  }

  async close(): Promise<void> { this.markLost(new Error('Connection closed')); await this.raw.end() }
}

/** Errors after which the client is unusable: FATAL reports, 08xxx, 57P0x (terminated, shutdown), socket errors. */
function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return isFatal(err) || /^(08|57P0)/.test(e.code ?? '') || ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'].includes(e.code ?? '') ||
    /Connection terminated|not queryable/i.test(e.message ?? '')
}
