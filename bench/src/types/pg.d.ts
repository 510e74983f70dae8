// The narrow part of `pg` the raw baselines use (the workspace has no @types/pg).
declare module 'pg' {
  export interface FieldDef { name: string; dataTypeID: number }
  export interface QueryResult<R = Record<string, unknown>> { rows: R[]; fields: FieldDef[]; rowCount: number | null }
  export interface ClientConfig { host?: string; port?: number; user?: string; password?: string; database?: string }
  export class Client {
    constructor(config?: ClientConfig)
    connect(): Promise<void>
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>
    query<R = unknown[]>(config: { text: string; values?: unknown[]; rowMode?: 'array'; name?: string }): Promise<QueryResult<R>>
    end(): Promise<void>
  }
  const pg: { Client: typeof Client }
  export default pg
}
