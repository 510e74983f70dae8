import type { DriverConnection, DriverResult } from '@retort/core/dialect'
import type { Sqlite3Database, Sqlite3Module } from './sqlite-driver-types.js'

const RETURNS_ROWS = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i

/** One sqlite3 database handle, as the pool sees it. */
export class SqliteConnection implements DriverConnection {
  broken = false
  private busy = false
  constructor(readonly raw: Sqlite3Database) {
    raw.on('error', () => { this.broken = true })
  }

  static open(sqlite3: Sqlite3Module, filename: string, options: { foreignKeys: boolean; busyTimeout: number }): Promise<SqliteConnection> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | (sqlite3.OPEN_URI ?? 0), (err) => {
        if (err) { reject(err); return }
        const conn = new SqliteConnection(db)
        if (filename !== ':memory:') db.configure('busyTimeout', options.busyTimeout)
        conn.query(`PRAGMA foreign_keys = ${options.foreignKeys ? 'ON' : 'OFF'}`, []).then(() => resolve(conn), reject)
      })
    })
  }

  query(sql: string, params: readonly unknown[]): Promise<DriverResult> {
    this.busy = true
    return new Promise<DriverResult>((resolve, reject) => {
      if (RETURNS_ROWS.test(sql)) {
        this.raw.all(sql, params as unknown[], (err, rows) => {
          this.busy = false
          if (err) return reject(err)
          const columns = rows.length ? Object.keys(rows[0]) : []
          const out = new Array(rows.length)
          for (let i = 0; i < rows.length; i++) out[i] = Object.values(rows[i])
          resolve({ rows: out, columns, rowCount: rows.length })
        })
      } else {
        this.raw.run(sql, params as unknown[], function (err) {
          if (err) return reject(err)
          resolve({ rows: [], columns: [], rowCount: this.changes ?? 0, insertId: this.lastID })
        })
        this.busy = false
      }
    }).finally(() => { this.busy = false })
  }

  async *stream(sql: string, params: readonly unknown[], options: { batchSize: number }): AsyncIterable<{ columns: string[]; rows: unknown[][] }> {
    let columns: string[] | undefined
    const stmt = await new Promise<ReturnType<Sqlite3Database['prepare']>>((resolve, reject) => {
      const s = this.raw.prepare(sql, params as unknown[], (err) => (err ? reject(err) : resolve(s)))
    })
    try {
      for (;;) {
        const rows: unknown[][] = []
        let done = false
        while (rows.length < options.batchSize) {
          const row = await new Promise<Record<string, unknown> | undefined>((resolve, reject) => stmt.get([], (err, r) => (err ? reject(err) : resolve(r))))
          if (!row) { done = true; break }
          columns ??= Object.keys(row)
          rows.push(Object.values(row))
        }
        if (rows.length) yield { columns: columns!, rows }
        if (done) return
      }
    } finally {
      await new Promise<void>((resolve) => stmt.finalize(() => resolve()))
    }
  }

  async cancel(): Promise<void> { if (this.busy) this.raw.interrupt() }
  async ping(): Promise<void> { await this.query('SELECT 1', []) }
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())))
  }
}
