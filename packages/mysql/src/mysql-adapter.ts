import type { DriverConnection, DriverResult } from '@retort/core/dialect'
import type { MysqlConnection, MysqlField, MysqlModule } from './mysql-driver-types.js'

/** One mysql2 connection, as the pool sees it. Uses `query()` (client-side binding, no server-side prepared-statement cache). */
export class MysqlConnectionAdapter implements DriverConnection {
  broken = false
  private running = 0
  private seq = 0

  constructor(readonly raw: MysqlConnection, private readonly mysql: MysqlModule, private readonly config: Record<string, unknown>) {
    raw.on('error', () => { this.broken = true })
    raw.on('end', () => { this.broken = true })
  }

  static open(mysql: MysqlModule, config: Record<string, unknown>): Promise<MysqlConnectionAdapter> {
    return new Promise((resolve, reject) => {
      const raw = mysql.createConnection(config)
      const conn = new MysqlConnectionAdapter(raw, mysql, config)
      raw.query({ sql: 'SELECT 1' }, (err) => (err ? reject(err) : resolve(conn)))
    })
  }

  query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    this.running = ++this.seq
    return new Promise<DriverResult>((resolve, reject) => {
      this.raw.query({ sql, values: params as unknown[], rowsAsArray: true }, (err, rows, fields) => {
        this.running = 0
        if (err) {
          if ((err as { fatal?: boolean }).fatal) this.broken = true
          return reject(err)
        }
        if (Array.isArray(rows)) {
          resolve({ rows: rows as unknown[][], columns: (fields ?? []).map((f: MysqlField) => f.name), rowCount: rows.length })
        } else {
          const ok = rows as { affectedRows: number; insertId: number | string }
          resolve({ rows: [], columns: [], rowCount: ok.affectedRows, insertId: ok.insertId === undefined ? undefined : Number(ok.insertId) })
        }
      })
    })
  }

  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<{ columns: string[]; rows: unknown[][] }> {
    const q = this.raw.query({ sql, values: params as unknown[], rowsAsArray: true })
    let columns: string[] = []
    q.on('fields', (f: MysqlField[]) => { columns = f.map((x) => x.name) })
    const s = q.stream({ highWaterMark: options.batchSize })
    this.running = ++this.seq
    let finished = false
    try {
      let batch: unknown[][] = []
      for await (const row of s as AsyncIterable<unknown[]>) {
        batch.push(row)
        if (batch.length >= options.batchSize) { yield { columns, rows: batch }; batch = [] }
      }
      if (batch.length) yield { columns, rows: batch }
      finished = true
    } finally {
      this.running = 0
      if (!finished) {
        // the rest of the result is still on the wire: cancel it, then drain what the server already sent
        await this.killQuery().catch(() => {})
        await new Promise<void>((resolve) => { (s as any).destroy?.(); setImmediate(resolve) })
        await this.ping().catch(() => { this.broken = true })
      }
    }
  }

  private async killQuery(): Promise<void> {
    const id = this.raw.threadId
    if (!id) return
    const side = await MysqlConnectionAdapter.open(this.mysql, this.config)
    try { await side.query(`KILL QUERY ${Number(id)}`, []) } finally { await side.close() }
  }

  /** `KILL QUERY` from a second short-lived connection, only while the statement still runs. */
  async cancel(): Promise<void> {
    const target = this.running
    if (!target) return
    const id = this.raw.threadId
    if (!id) return
    const side = await MysqlConnectionAdapter.open(this.mysql, this.config)
    try { if (this.running === target) await side.query(`KILL QUERY ${Number(id)}`, []) } finally { await side.close() }
  }

  async ping(): Promise<void> { await this.query('SELECT 1', []) }
  close(): Promise<void> {
    this.broken = true
    return new Promise((resolve) => this.raw.end(() => { resolve() }))
  }
}
