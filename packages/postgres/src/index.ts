import { registerDialect } from '@retort/core/dialect'
import { PostgresDialect } from './postgres-dialect.js'

export { PostgresDialect, type PostgresDialectOptions } from './postgres-dialect.js'
export { clientConfig } from './postgres-config.js'
export { PostgresCompiler } from './postgres-compiler.js'

registerDialect('postgresql', () => new PostgresDialect())
