/** The narrow structural type of the `sqlite3` library that this package uses. */
export interface Sqlite3Statement {
  get(params: unknown[], cb: (err: Error | null, row?: Record<string, unknown>) => void): this
  finalize(cb?: (err: Error | null) => void): void
}
export interface Sqlite3Database {
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: Record<string, unknown>[]) => void): this
  run(sql: string, params: unknown[], cb: (this: { changes: number; lastID: number }, err: Error | null) => void): this
  prepare(sql: string, params: unknown[], cb: (err: Error | null) => void): Sqlite3Statement
  close(cb: (err: Error | null) => void): void
  interrupt(): void
  configure(option: 'busyTimeout', value: number): void
  on(event: 'error', cb: (err: Error) => void): this
}
export interface Sqlite3Module {
  Database: new (filename: string, mode: number, cb: (err: Error | null) => void) => Sqlite3Database
  OPEN_READWRITE: number
  OPEN_CREATE: number
  OPEN_URI?: number
}
