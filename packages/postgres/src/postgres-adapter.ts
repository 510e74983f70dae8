import type { DriverConnection, DriverResult } from '@retort/core/dialect'
import type { PgClient, PgClientConfig, PgCursorCtor, PgModule } from './pg-driver-types.js'

/** One pg Client, as the pool sees it. */
export class PostgresConnection implements DriverConnection {
  broken = false
  private running = 0
  private seq = 0

  constructor(readonly raw: PgClient, private readonly pg: PgModule, private readonly config: PgClientConfig, private readonly loadCursor: () => Promise<PgCursorCtor>) {
    // an idle client whose server goes away emits 'error': never let it crash the process
    raw.on('error', () => { this.broken = true })
    raw.on('end', () => { this.broken = true })
  }

  static async open(pg: PgModule, config: PgClientConfig, loadCursor: () => Promise<PgCursorCtor>): Promise<PostgresConnection> {
    const client = new pg.Client(config)
    const conn = new PostgresConnection(client, pg, config, loadCursor)
    await client.connect()
    return conn
  }

  async query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    this.running = ++this.seq
    try {
      const r = await this.raw.query({ text: sql, values: params as unknown[], rowMode: 'array' })
      return { rows: r.rows, columns: r.fields.map((f) => f.name), rowCount: r.rowCount ?? r.rows.length }
    } catch (err) {
      if (isConnectionLoss(err)) this.broken = true
      throw err
    } finally { this.running = 0 }
  }

  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<{ columns: string[]; rows: unknown[][] }> {
    const Cursor = await this.loadCursor()
    const cursor = this.raw.query(new Cursor(sql, params as unknown[], { rowMode: 'array' }))
    this.running = ++this.seq
    try {
      for (;;) {
        const rows = await cursor.read(options.batchSize)
        if (!rows.length) return
        yield { columns: cursor._result?.fields.map((f) => f.name) ?? [], rows }
      }
    } finally {
      this.running = 0
      await cursor.close().catch(() => { this.broken = true })
    }
  }

  /** Cancel the running statement from a second short-lived connection, only while it still runs. */
  async cancel(): Promise<void> {
    const target = this.running
    const pid = this.raw.processID
    if (!target || !pid) return
    const side = new this.pg.Client({ ...this.config, types: undefined })
    side.on('error', () => {})
    try {
      await side.connect()
      if (this.running === target) await side.query({ text: 'SELECT pg_cancel_backend($1)', values: [pid] })
    } finally { await side.end().catch(() => {}) }
  }

  async ping(): Promise<void> { await this.raw.query({ text: 'SELECT 1' }) }
  async close(): Promise<void> { this.broken = true; await this.raw.end() }
}

function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return /^(08|57P0)/.test(e.code ?? '') || ['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(e.code ?? '') ||
    /Connection terminated|not queryable|ended/i.test(e.message ?? '')
}
