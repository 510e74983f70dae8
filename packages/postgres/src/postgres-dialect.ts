import {
  type ConnectOptions, type DatabaseUrl, type Dialect, DriverNotInstalledError, type RetortError, type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { PostgresConnection } from './postgres-adapter.js'
import { PostgresCompiler } from './postgres-compiler.js'
import { convertPgError } from './postgres-errors.js'
import { pgBind, pgResult, pgTypeParsers } from './postgres-types.js'
import type { PgClientConfig, PgCursorCtor, PgModule } from './pg-driver-types.js'

/** PostgreSQL over `pg`. */
export class PostgresDialect implements Dialect {
  readonly name = 'postgresql'
  readonly driver = 'pg'
  readonly supportsReturning = true
  readonly supportsUpdateReturning = true
  readonly supportsMultiRowInsert = true
  readonly supportsSavepoints = true
  readonly supportsAlterForeignKeys = true
  readonly supportsIntersectExcept = true
  readonly supportsNativeEnum = true
  readonly maxBindParams = 65_535
  readonly tableNamesSql = 'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()'
  private pg?: PgModule

  constructor(options: { pg?: PgModule } = {}) { this.pg = options.pg }

  createCompiler(): PostgresCompiler { return new PostgresCompiler() }

  async connect({ url }: ConnectOptions): Promise<PostgresConnection> {
    const pg = (this.pg ??= await loadPg())
    return PostgresConnection.open(pg, clientConfig(url, pg), loadCursor)
  }
  convertError(err: unknown, info: StatementInfo): RetortError { return convertPgError(err, info) }
  bindProcessor(type: SqlType) { return pgBind(type) }
  resultProcessor(type: SqlType) { return pgResult(type) }
  beginStatements(isolationLevel?: string): string[] {
    return [isolationLevel ? `BEGIN ISOLATION LEVEL ${isolationLevel.toUpperCase()}` : 'BEGIN']
  }
}

/** URL → pg Client config; query options pass through (`sslmode`, `host` for a Unix socket, `application_name`). */
export function clientConfig(url: DatabaseUrl, pg: PgModule): PgClientConfig {
  const q = { ...url.query }
  const config: PgClientConfig & Record<string, unknown> = {
    host: q.host ?? url.host, port: url.port, user: url.username, password: url.password, database: url.database,
    types: pgTypeParsers(pg.types),
  }
  delete q.host
  const mode = q.sslmode
  if (mode) {
    delete q.sslmode
    if (mode === 'require' || mode === 'prefer') config.ssl = { rejectUnauthorized: false }
    else if (mode === 'verify-ca' || mode === 'verify-full') config.ssl = { rejectUnauthorized: true }
    else if (mode === 'disable') config.ssl = false
  }
  if (q.connect_timeout) { config.connectionTimeoutMillis = Number(q.connect_timeout) * 1000; delete q.connect_timeout }
  Object.assign(config, q)
  return config
}

async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import('pg')) as unknown as { default?: PgModule } & PgModule
    return mod.default ?? mod
  } catch (err) {
    throw new DriverNotInstalledError("The 'pg' package could not be loaded. Install it: npm install pg", { cause: err })
  }
}

let cursorCtor: PgCursorCtor | undefined
async function loadCursor(): Promise<PgCursorCtor> {
  if (cursorCtor) return cursorCtor
  const mod = (await import('pg-cursor')) as unknown as { default?: PgCursorCtor } & PgCursorCtor
  return (cursorCtor = mod.default ?? mod)
}
