import { registerDialect } from '@retort/core/dialect'
import { PostgresDialect } from './postgres-dialect.js'

export { PostgresDialect, clientConfig } from './postgres-dialect.js'
export { PostgresCompiler } from './postgres-compiler.js'

registerDialect('postgresql', () => new PostgresDialect())
