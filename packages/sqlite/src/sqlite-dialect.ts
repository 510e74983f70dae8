import * as path from 'node:path'
import {
  ArgumentError, type ConnectOptions, type DatabaseUrl, type Dialect, type DriverConnection, DriverNotInstalledError, type RetortError,
  type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { SqliteConnection, type SqliteOpenOptions } from './sqlite-adapter.js'
import { SqliteCompiler } from './sqlite-compiler.js'
import type { Sqlite3Module } from './sqlite-driver-types.js'
import { convertSqliteError } from './sqlite-errors.js'
import { sqliteKeyRange } from './sqlite-key-range.js'
import { sqliteBind, sqliteResult } from './sqlite-types.js'

const DEFAULT_BUSY_TIMEOUT = 5000
const JOURNAL_MODES = new Set(['DELETE', 'TRUNCATE', 'PERSIST', 'MEMORY', 'WAL', 'OFF'])

/**
 * SQLite over the `sqlite3` library. URL options: `foreign_keys=off` (on by
 * default), `timeout` (busy timeout in ms, default 5000; alias `busy_timeout`),
 * `mode=ro` (read only), `journal_mode=wal`.
 */
export class SqliteDialect implements Dialect {
  readonly name = 'sqlite'
  readonly driver = 'sqlite3'
  /** RETURNING needs SQLite 3.35; `initialize` checks the library's version. */
  supportsReturning = true
  supportsUpdateReturning = true
  readonly supportsMultiRowInsert = true
  /** `UPDATE ... FROM` needs SQLite 3.33; `initialize` checks the library's version. */
  supportsUpdateFromValues = true
  readonly supportsSavepoints = true
  readonly supportsAlterForeignKeys = false
  readonly supportsIntersectExcept = true
  readonly supportsNativeEnum = false
  /** SQLITE_MAX_VARIABLE_NUMBER of SQLite ≥ 3.32 (and of sqlite3's bundled build). */
  readonly maxBindParams = 32_766
  /** Large batches read their keys from the rowid range they filled, not RETURNING (see sqlite-key-range.ts). */
  readonly insertKeyRange = sqliteKeyRange
  readonly tableNamesSql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
  /** `sqlite_version()`, once a connection was opened. */
  serverVersion?: string
  private sqlite3?: Sqlite3Module

  constructor(options: { sqlite3?: Sqlite3Module } = {}) { this.sqlite3 = options.sqlite3 }

  /** `:memory:` is one database per connection: the pool shares one connection. */
  poolDefaults(url: DatabaseUrl): { poolSize?: number; maxOverflow?: number } {
    return isMemory(url) ? { poolSize: 1, maxOverflow: 0 } : {}
  }
  createCompiler(): SqliteCompiler { return new SqliteCompiler() }

  /** Open a handle: a relative path resolves against the working directory at connect time. */
  async connect({ url }: ConnectOptions): Promise<SqliteConnection> {
    const sqlite3 = (this.sqlite3 ??= await loadSqlite3())
    return SqliteConnection.open(sqlite3, openOptions(url))
  }

  /** Read the library's SQLite version and set the RETURNING capabilities from it. */
  async initialize(conn: DriverConnection): Promise<void> {
    const res = await conn.query('SELECT sqlite_version()', [])
    this.serverVersion = String(res.rows[0][0])
    const [major, minor] = this.serverVersion.split('.').map(Number)
    this.supportsReturning = this.supportsUpdateReturning = major > 3 || (major === 3 && minor >= 35)
    this.supportsUpdateFromValues = major > 3 || (major === 3 && minor >= 33)
  }

  convertError(err: unknown, info: StatementInfo): RetortError { return convertSqliteError(err, info) }
  bindProcessor(type: SqlType) { return sqliteBind(type) }
  resultProcessor(type: SqlType) { return sqliteResult(type) }
  /** SQLite transactions are serializable; `BEGIN` defers locks to the first read or write. */
  beginStatements(isolationLevel?: string): string[] {
    void isolationLevel
    return ['BEGIN']
  }
}

function isMemory(url: DatabaseUrl): boolean { return !url.database || url.database === ':memory:' }

/** The URL's file and options, as the adapter takes them. */
export function openOptions(url: DatabaseUrl): SqliteOpenOptions {
  const q = url.query
  const busyTimeout = Number(q.timeout ?? q.busy_timeout ?? DEFAULT_BUSY_TIMEOUT)
  if (!Number.isFinite(busyTimeout) || busyTimeout < 0) throw new ArgumentError(`SQLite URL option timeout must be a number of ms, got '${q.timeout ?? q.busy_timeout}'`)
  const journalMode = q.journal_mode?.toUpperCase()
  if (journalMode !== undefined && !JOURNAL_MODES.has(journalMode)) throw new ArgumentError(`SQLite URL option journal_mode must be one of ${[...JOURNAL_MODES].join(', ')}`)
  return {
    filename: isMemory(url) ? ':memory:' : path.resolve(url.database!),
    foreignKeys: !['off', 'false', '0', 'no'].includes((q.foreign_keys ?? 'on').toLowerCase()),
    busyTimeout,
    readOnly: q.mode === 'ro',
    journalMode,
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
