/** The narrow structural type of `mysql2` (callback API) that this package uses. */
export interface MysqlField { name: string }
export interface MysqlOkPacket { affectedRows: number; insertId: number | string; changedRows?: number }
export interface MysqlQuery {
  stream(options?: { highWaterMark?: number }): NodeJS.ReadableStream & AsyncIterable<unknown[]>
  on(event: 'fields', cb: (fields: MysqlField[]) => void): this
}
export interface MysqlConnection {
  query(options: { sql: string; values?: unknown[]; rowsAsArray?: boolean }, cb: (err: Error | null, rows: unknown, fields?: MysqlField[]) => void): MysqlQuery
  query(options: { sql: string; values?: unknown[]; rowsAsArray?: boolean }): MysqlQuery
  end(cb?: (err?: Error | null) => void): void
  destroy(): void
  on(event: 'error' | 'end', cb: (err?: Error) => void): this
  readonly threadId: number | null
}
export interface MysqlModule {
  createConnection(config: Record<string, unknown>): MysqlConnection
}
