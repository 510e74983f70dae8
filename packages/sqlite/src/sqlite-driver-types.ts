/** The narrow structural type of the `sqlite3` library that this package uses. */
export interface Sqlite3Statement {
  /** Next row of the prepared statement (`undefined` once done); calls queue per statement. */
  get(params: unknown[], cb: (err: Error | null, row?: Record<string, unknown>) => void): this
  finalize(cb?: (err: Error | null) => void): void
}

/** What `run()` passes as `this` to its callback. */
export interface Sqlite3RunContext { changes: number; lastID: number }

export interface Sqlite3Database {
  /** False once the handle is closed (by anyone). */
  readonly open?: boolean
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: Record<string, unknown>[]) => void): this
  run(sql: string, params: unknown[], cb: (this: Sqlite3RunContext, err: Error | null) => void): this
  prepare(sql: string, params: unknown[], cb: (err: Error | null) => void): Sqlite3Statement
  close(cb: (err: Error | null) => void): void
  /** `sqlite3_interrupt()`: aborts the statements running on this handle. */
  interrupt(): void
  configure(option: 'busyTimeout', value: number): void
  on(event: 'error', cb: (err: Error) => void): this
}

export interface Sqlite3Module {
  Database: new (filename: string, mode: number, cb: (err: Error | null) => void) => Sqlite3Database
  OPEN_READONLY: number
  OPEN_READWRITE: number
  OPEN_CREATE: number
  OPEN_URI?: number
}

/** An error from sqlite3: `code` is the primary result code's name (`SQLITE_CONSTRAINT`). */
export interface Sqlite3Error extends Error { code?: string; errno?: number }

/** A batch of positional rows and their column names, as `stream()` yields them. */
export interface RowBatch { columns: string[]; rows: unknown[][] }
