import { registerDialect } from '@retort/core/dialect'
import { MysqlDialect } from './mysql-dialect.js'

export { MysqlDialect, connectionConfig } from './mysql-dialect.js'
export { MysqlCompiler } from './mysql-compiler.js'

registerDialect('mysql', () => new MysqlDialect({ name: 'mysql' }))
registerDialect('mariadb', () => new MysqlDialect({ name: 'mariadb' }))
