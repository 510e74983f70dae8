import * as path from 'node:path'
import {
  type ConnectOptions, type DatabaseUrl, type Dialect, DriverNotInstalledError, type RetortError, type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { SqliteConnection } from './sqlite-adapter.js'
import { SqliteCompiler } from './sqlite-compiler.js'
import type { Sqlite3Module } from './sqlite-driver-types.js'
import { convertSqliteError } from './sqlite-errors.js'
import { sqliteBind, sqliteResult } from './sqlite-types.js'

/** SQLite over the `sqlite3` library. */
export class SqliteDialect implements Dialect {
  readonly name = 'sqlite'
  readonly driver = 'sqlite3'
  readonly supportsReturning = true
  readonly supportsUpdateReturning = true
  readonly supportsMultiRowInsert = true
  readonly supportsSavepoints = true
  readonly supportsAlterForeignKeys = false
  readonly supportsIntersectExcept = true
  readonly supportsNativeEnum = false
  readonly maxBindParams = 32_766
  readonly tableNamesSql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
  private sqlite3?: Sqlite3Module

  constructor(options: { sqlite3?: Sqlite3Module } = {}) { this.sqlite3 = options.sqlite3 }

  /** `:memory:` is one database per connection: share one. */
  poolDefaults(url: DatabaseUrl): { poolSize?: number; maxOverflow?: number } {
    return !url.database || url.database === ':memory:' ? { poolSize: 1, maxOverflow: 0 } : {}
  }
  createCompiler(): SqliteCompiler { return new SqliteCompiler() }

  async connect({ url }: ConnectOptions): Promise<SqliteConnection> {
    const sqlite3 = (this.sqlite3 ??= await loadSqlite3())
    const file = url.database && url.database !== ':memory:' ? path.resolve(url.database) : ':memory:'
    return SqliteConnection.open(sqlite3, file, {
      foreignKeys: (url.query.foreign_keys ?? 'on').toLowerCase() !== 'off',
      busyTimeout: Number(url.query.timeout ?? url.query.busy_timeout ?? 5000),
    })
  }
  convertError(err: unknown, info: StatementInfo): RetortError { return convertSqliteError(err, info) }
  bindProcessor(type: SqlType) { return sqliteBind(type) }
  resultProcessor(type: SqlType) { return sqliteResult(type) }
  beginStatements(isolationLevel?: string): string[] {
    // SQLite transactions are serializable; READ UNCOMMITTED only matters with shared cache
    void isolationLevel
    return ['BEGIN']
  }
}

async function loadSqlite3(): Promise<Sqlite3Module> {
  try {
    const mod = (await import('sqlite3')) as unknown as { default?: Sqlite3Module } & Sqlite3Module
    return mod.default ?? mod
  } catch (err) {
    throw new DriverNotInstalledError("The 'sqlite3' package could not be loaded. Install it: npm install sqlite3", { cause: err })
  }
}
