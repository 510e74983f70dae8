import type { AsyncEngine, Node } from '@retort/core'
import type { BackendName } from '../../support/backends.js'

/** What a statement compiles to on an engine: SQL text and the parameters after bind processing. */
export interface CompiledSql { sql: string; parameters: unknown[] }

/** Compile `stmt` through the engine's cache and resolve its parameters as the driver would get them. */
export function compiled(engine: AsyncEngine, stmt: Node, params?: Record<string, unknown>): CompiledSql {
  const { template, binds } = engine.compile(stmt)
  const parameters = template.paramIndex.map((bindIndex, i) => {
    const value = binds[bindIndex].resolve(params)
    const process = template.bindProcessors[i]
    return process && value !== null ? process(value) : value
  })
  return { sql: template.sql, parameters }
}

/**
 * Expected SQL written once in a neutral form — `"quoted"` identifiers and
 * `?` placeholders — and turned into a backend's form: backticks on
 * MariaDB, `$n` on PostgreSQL. The compliance suite binds every value, so
 * neither character can occur in a literal.
 */
export function dialectSql(name: BackendName, neutral: string): string {
  if (name === 'mariadb') return neutral.replace(/"/g, '`')
  if (name === 'postgresql') { let n = 0; return neutral.replace(/\?/g, () => '$' + ++n) }
  return neutral
}

/** Expected SQL: one neutral string for all, or one per backend (each still neutral). */
export type ExpectedSql = string | Record<BackendName, string>

/** The expected SQL of a backend. */
export function expectedSql(name: BackendName, expected: ExpectedSql): string {
  return dialectSql(name, typeof expected === 'string' ? expected : expected[name])
}
