import {
  type ConnectOptions, type Dialect, DriverNotInstalledError, type DriverConnection, type RetortError, type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { MysqlConnectionAdapter } from './mysql-adapter.js'
import { MysqlCompiler } from './mysql-compiler.js'
import { connectionConfig } from './mysql-config.js'
import type { MysqlModule } from './mysql-driver-types.js'
import { convertMysqlError } from './mysql-errors.js'
import { type ServerInfo, detectServer } from './mysql-server.js'
import { mysqlBind, mysqlResult } from './mysql-types.js'

/** Options of `new MysqlDialect(...)`. */
export interface MysqlDialectOptions {
  /** `mysql` or `mariadb` (the URL's dialect name). */
  name?: string
  /** The `mysql2` module to use instead of importing it. */
  mysql?: MysqlModule
  /** Force RETURNING on or off (`false` runs MySQL 8's path on MariaDB: ids from `insertId`). */
  supportsReturning?: boolean
  /** Bytes of values per many-row statement (default 64 KiB; `Infinity`: the bind-parameter limit alone). */
  maxStatementBytes?: number
}

/**
 * MySQL and MariaDB over `mysql2`. Capabilities are read from the server on
 * the first connection: MariaDB ≥ 10.5 has INSERT/DELETE ... RETURNING
 * (never UPDATE), MySQL has none; `consecutiveInsertIds` says whether one
 * multi-row INSERT gets consecutive ids (`innodb_autoinc_lock_mode` 0 or 1).
 */
export class MysqlDialect implements Dialect {
  readonly name: string
  readonly driver = 'mysql2'
  supportsReturning = false
  readonly supportsUpdateReturning = false
  readonly supportsMultiRowInsert = true
  readonly supportsSavepoints = true
  readonly supportsAlterForeignKeys = true
  supportsIntersectExcept = false
  readonly supportsNativeEnum = true
  readonly maxBindParams = 65_535
  /**
   * Bytes of values per many-row INSERT/DELETE (SQLAlchemy pages these by
   * rows: insertmanyvalues_page_size). The server's network buffer grows to
   * the largest statement a connection has sent and keeps that size; with a
   * grown buffer a large SELECT's rows leave the server only once the buffer
   * is full, so the client waits instead of parsing while the server reads
   * (measured, 10k rows: +0 % after a 64 KB statement, +16 % after 256 KB,
   * +51 % after 600 KB). Inserting 10k rows costs about the same in
   * 1000-row statements as in one.
   */
  readonly maxStatementBytes: number
  readonly tableNamesSql = 'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()'
  /** What the first connection found out about the server. */
  server?: ServerInfo
  /**
   * Whether the ids of one multi-row INSERT are `lastInsertId`,
   * `lastInsertId + insertIdStep`, ... (lock mode 0 or 1). When false
   * (mode 2, interleaved), insert row by row if the ids are needed.
   */
  consecutiveInsertIds = true
  /** Distance between generated ids (`auto_increment_increment`). */
  insertIdStep = 1
  private mysql?: MysqlModule
  private readonly forcedReturning?: boolean

  constructor(options: MysqlDialectOptions = {}) {
    this.name = options.name ?? 'mysql'
    this.mysql = options.mysql
    this.forcedReturning = options.supportsReturning
    this.maxStatementBytes = options.maxStatementBytes ?? 64 * 1024
  }

  /** Whether the server is MariaDB (known after the first connection). */
  get isMariaDB(): boolean { return this.server?.isMariaDB ?? this.name === 'mariadb' }
  /** The server's `VERSION()` (known after the first connection). */
  get serverVersion(): string | undefined { return this.server?.version }

  createCompiler(): MysqlCompiler { return new MysqlCompiler({ mariadb: this.isMariaDB }) }

  async connect({ url, connectTimeout }: ConnectOptions): Promise<MysqlConnectionAdapter> {
    const mysql = (this.mysql ??= await loadMysql2())
    const config = connectionConfig(url)
    if (connectTimeout !== undefined && !('connect_timeout' in url.query) && !('connectTimeout' in url.query)) config.connectTimeout = connectTimeout
    return MysqlConnectionAdapter.open(mysql, config)
  }

  /** Read the server's kind, version and auto-increment settings; set capabilities from them. */
  async initialize(conn: DriverConnection): Promise<void> {
    const s = (this.server = await detectServer(conn as MysqlConnectionAdapter))
    this.supportsReturning = this.forcedReturning ?? s.hasReturning
    this.supportsIntersectExcept = s.hasIntersectExcept
    this.consecutiveInsertIds = s.autoincLockMode !== 2
    this.insertIdStep = s.autoIncrementIncrement
  }

  /** Driver error → Retort's error tree. */
  convertError(err: unknown, info: StatementInfo): RetortError { return convertMysqlError(err, info) }
  bindProcessor(type: SqlType) { return mysqlBind(type) }
  resultProcessor(type: SqlType) { return mysqlResult(type) }
  beginStatements(isolationLevel?: string): string[] {
    return isolationLevel ? [`SET TRANSACTION ISOLATION LEVEL ${isolationLevel.toUpperCase()}`, 'START TRANSACTION'] : ['START TRANSACTION']
  }
}

async function loadMysql2(): Promise<MysqlModule> {
  try {
    const mod = (await import('mysql2')) as unknown as { default?: MysqlModule } & MysqlModule
    return mod.default ?? mod
  } catch (err) {
    throw new DriverNotInstalledError("The 'mysql2' package could not be loaded. Install it: npm install mysql2", { cause: err })
  }
}
