import {
  type ConnectOptions, type DatabaseUrl, type Dialect, DriverNotInstalledError, type DriverConnection, type RetortError, type SqlType, type StatementInfo,
} from '@retort/core/dialect'
import { MysqlConnectionAdapter } from './mysql-adapter.js'
import { MysqlCompiler } from './mysql-compiler.js'
import type { MysqlModule } from './mysql-driver-types.js'
import { convertMysqlError } from './mysql-errors.js'
import { mysqlBind, mysqlResult } from './mysql-types.js'

/**
 * MySQL and MariaDB over `mysql2`. Capabilities are read from the server on
 * the first connection (MariaDB ≥ 10.5 has INSERT/DELETE ... RETURNING, MySQL has none).
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
  readonly tableNamesSql = 'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()'
  /** Server version string, once connected. */
  serverVersion?: string
  isMariaDB = false
  private mysql?: MysqlModule
  /** Set to force capabilities (e.g. `{ supportsReturning: false }` to run MySQL 8's path on MariaDB). */
  private readonly forced: Partial<Pick<MysqlDialect, 'supportsReturning'>>

  constructor(options: { name?: string; mysql?: MysqlModule; supportsReturning?: boolean } = {}) {
    this.name = options.name ?? 'mysql'
    this.mysql = options.mysql
    this.forced = options.supportsReturning === undefined ? {} : { supportsReturning: options.supportsReturning }
  }

  createCompiler(): MysqlCompiler { return new MysqlCompiler() }

  async connect({ url }: ConnectOptions): Promise<MysqlConnectionAdapter> {
    const mysql = (this.mysql ??= await loadMysql2())
    return MysqlConnectionAdapter.open(mysql, connectionConfig(url))
  }

  async initialize(conn: DriverConnection): Promise<void> {
    const r = await conn.query('SELECT VERSION()', [])
    const v = String(r.rows[0][0])
    this.serverVersion = v
    this.isMariaDB = /mariadb/i.test(v)
    const [maj, min] = v.split(/[.-]/).map(Number)
    this.supportsReturning = this.forced.supportsReturning ?? (this.isMariaDB && (maj > 10 || (maj === 10 && min >= 5)))
    this.supportsIntersectExcept = this.isMariaDB ? maj > 10 || (maj === 10 && min >= 3) : maj > 8 || (maj === 8 && min >= 0)
  }

  convertError(err: unknown, info: StatementInfo): RetortError { return convertMysqlError(err, info) }
  bindProcessor(type: SqlType) { return mysqlBind(type) }
  resultProcessor(type: SqlType) { return mysqlResult(type) }
  beginStatements(isolationLevel?: string): string[] {
    return isolationLevel ? [`SET TRANSACTION ISOLATION LEVEL ${isolationLevel.toUpperCase()}`, 'START TRANSACTION'] : ['START TRANSACTION']
  }
}

/** URL → mysql2 options. Numbers that don't fit a double stay strings; rows come as arrays; rowCount counts found rows. */
export function connectionConfig(url: DatabaseUrl): Record<string, unknown> {
  const q: Record<string, unknown> = { ...url.query }
  const config: Record<string, unknown> = {
    host: url.host, port: url.port, user: url.username, password: url.password, database: url.database,
    supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, decimalNumbers: false,
    charset: 'utf8mb4', timezone: 'Z', flags: ['+FOUND_ROWS'], multipleStatements: false,
  }
  if (q.socket ?? q.unix_socket) { config.socketPath = q.socket ?? q.unix_socket; delete q.socket; delete q.unix_socket }
  if (q.ssl === 'true' || q.ssl_mode === 'REQUIRED' || q.sslmode === 'require') { config.ssl = { rejectUnauthorized: false }; delete q.ssl; delete q.ssl_mode; delete q.sslmode }
  Object.assign(config, q)
  return config
}

async function loadMysql2(): Promise<MysqlModule> {
  try {
    const mod = (await import('mysql2')) as unknown as { default?: MysqlModule } & MysqlModule
    return mod.default ?? mod
  } catch (err) {
    throw new DriverNotInstalledError("The 'mysql2' package could not be loaded. Install it: npm install mysql2", { cause: err })
  }
}
