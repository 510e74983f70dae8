import { registerDialect } from '@retort/core/dialect'
import { SqliteDialect } from './sqlite-dialect.js'

export { SqliteDialect } from './sqlite-dialect.js'
export { SqliteCompiler } from './sqlite-compiler.js'

registerDialect('sqlite', () => new SqliteDialect())
