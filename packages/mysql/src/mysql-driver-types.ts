/** The narrow structural type of `mysql2` (callback API) that this package uses. */
export interface MysqlField { name: string }
export interface MysqlOkPacket { affectedRows: number; insertId: number | string; changedRows?: number; serverStatus?: number }

/** A mysql2 driver error: a server error has `errno` and `sqlState`; a client one only `code`. */
export interface MysqlError extends Error {
  errno?: number
  code?: string
  sqlState?: string
  fatal?: boolean
}

/** A query command without a callback: it emits its rows one by one. */
export interface MysqlQuery {
  on(event: 'fields', cb: (fields: MysqlField[]) => void): this
  on(event: 'result', cb: (row: unknown[]) => void): this
  on(event: 'error', cb: (err: MysqlError) => void): this
  once(event: 'end', cb: () => void): this
}

export interface MysqlQueryOptions { sql: string; values?: unknown[]; rowsAsArray?: boolean }

export interface MysqlConnection {
  query(options: MysqlQueryOptions, cb: (err: MysqlError | null, rows: unknown, fields?: MysqlField[]) => void): MysqlQuery
  query(options: MysqlQueryOptions): MysqlQuery
  connect(cb: (err: MysqlError | null) => void): void
  ping(cb: (err: MysqlError | null) => void): void
  end(cb?: (err?: MysqlError | null) => void): void
  destroy(): void
  /** Stop / restart reading the socket (backpressure while streaming). */
  pause(): void
  resume(): void
  on(event: 'error', cb: (err: MysqlError) => void): this
  on(event: 'end', cb: () => void): this
  readonly threadId: number | null
}

export interface MysqlModule {
  createConnection(config: Record<string, unknown>): MysqlConnection
}
