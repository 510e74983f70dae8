/** The narrow structural type of the `pg` library that this package uses. */
export interface PgQueryResult { rows: unknown[][]; fields: { name: string; dataTypeID: number }[]; rowCount: number | null; command: string }

/** `{ getTypeParser }`: pg's per-client type table (`types` in the Client config). */
export interface PgTypes { getTypeParser: (oid: number, format?: string) => (value: string) => unknown }

export interface PgClient {
  connect(): Promise<void>
  /** Always unnamed: no `name` field, so nothing is prepared under a name (PgBouncer-safe). */
  query(config: { text: string; values?: unknown[]; rowMode?: 'array' }): Promise<PgQueryResult>
  query<T>(cursor: T): T
  end(): Promise<void>
  on(event: 'error' | 'end', cb: (err?: Error) => void): this
  /** BackendKeyData, for cancel requests. */
  readonly processID?: number | null
  readonly secretKey?: number | null
  readonly host?: string
  readonly port?: number
}
export interface PgClientConfig {
  host?: string; port?: number; user?: string; password?: string; database?: string
  ssl?: unknown
  types?: PgTypes
  connectionTimeoutMillis?: number
  application_name?: string
  options?: string
}
export interface PgModule {
  Client: new (config: PgClientConfig) => PgClient
  types: PgTypes
}
export interface PgCursor {
  read(rows: number): Promise<unknown[][]>
  close(): Promise<void>
  _result?: { fields: { name: string }[] }
}
export type PgCursorCtor = new (text: string, values: unknown[], config: { rowMode: 'array' }) => PgCursor
