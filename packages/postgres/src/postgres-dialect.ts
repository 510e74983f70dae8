import {
  ArgumentError, type ConnectOptions, type Dialect, DriverNotInstalledError, type RetortError, type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { PostgresConnection } from './postgres-adapter.js'
import { PostgresCompiler } from './postgres-compiler.js'
import { clientConfig, isSslRefused } from './postgres-config.js'
import { convertPgError } from './postgres-errors.js'
import { pgBind, pgResult, pgTypeParsers } from './postgres-types.js'
import type { PgCursorCtor, PgModule, PgTypes } from './pg-driver-types.js'

/** Options of one PostgreSQL dialect object (pass it as `createAsyncEngine(url, { dialect })`). */
export interface PostgresDialectOptions {
  /** The `pg` module to use (default: imported on first connect). */
  pg?: PgModule
  /** Extra type parsers by OID for this engine's connections only; `pg.types` is never touched. */
  typeParsers?: Readonly<Record<number, (value: string) => unknown>>
}

const ISOLATION_LEVELS = new Set(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'])

/** PostgreSQL over `pg`. */
export class PostgresDialect implements Dialect {
  readonly name = 'postgresql'
  readonly driver = 'pg'
  readonly supportsReturning = true
  readonly supportsUpdateReturning = true
  readonly supportsMultiRowInsert = true
  readonly supportsUpdateFromValues = true
  readonly supportsSavepoints = true
  readonly supportsAlterForeignKeys = true
  readonly supportsIntersectExcept = true
  readonly supportsNativeEnum = true
  readonly maxBindParams = 65_535
  readonly tableNamesSql = 'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()'
  private pg?: PgModule
  private readonly typeParsers: Readonly<Record<number, (value: string) => unknown>>

  constructor(options: PostgresDialectOptions = {}) {
    this.pg = options.pg
    this.typeParsers = { ...options.typeParsers }
  }

  createCompiler(): PostgresCompiler { return new PostgresCompiler() }

  async connect({ url }: ConnectOptions): Promise<PostgresConnection> {
    const pg = (this.pg ??= await loadPg())
    const config = clientConfig(url, engineTypes(pgTypeParsers(pg.types), this.typeParsers))
    try {
      return await PostgresConnection.open(pg, config, loadCursor)
    } catch (err) {
      // libpq's sslmode=prefer: TLS when the server has it, else a plain connection
      if (url.query.sslmode === 'prefer' && isSslRefused(err)) return PostgresConnection.open(pg, { ...config, ssl: false }, loadCursor)
      throw err
    }
  }
  convertError(err: unknown, info: StatementInfo): RetortError { return convertPgError(err, info) }
  bindProcessor(type: SqlType) { return pgBind(type) }
  resultProcessor(type: SqlType) { return pgResult(type) }
  /** `BEGIN`, with one of SQL's isolation levels (anything else is an `ArgumentError`, never spliced into SQL). */
  beginStatements(isolationLevel?: string): string[] {
    if (!isolationLevel) return ['BEGIN']
    const level = isolationLevel.trim().toUpperCase().replace(/[\s_]+/g, ' ')
    if (!ISOLATION_LEVELS.has(level)) throw new ArgumentError(`Unknown isolation level '${isolationLevel}' (use ${[...ISOLATION_LEVELS, 'AUTOCOMMIT'].join(', ')})`)
    return [`BEGIN ISOLATION LEVEL ${level}`]
  }
}

function engineTypes(base: PgTypes, own: Readonly<Record<number, (value: string) => unknown>>): PgTypes {
  if (!Object.keys(own).length) return base
  return { getTypeParser: (oid, format) => (format !== 'binary' && own[oid]) || base.getTypeParser(oid, format) }
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
