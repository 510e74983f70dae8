import { registerDialect } from '@retort/core/dialect'
import { MysqlDialect } from './mysql-dialect.js'

export { MysqlDialect, type MysqlDialectOptions } from './mysql-dialect.js'
export { connectionConfig } from './mysql-config.js'
export { convertMysqlError } from './mysql-errors.js'
export { parseServerVersion, type ServerInfo } from './mysql-server.js'
export { MysqlCompiler } from './mysql-compiler.js'

registerDialect('mysql', () => new MysqlDialect({ name: 'mysql' }))
registerDialect('mariadb', () => new MysqlDialect({ name: 'mariadb' }))
