import { ArgumentError } from '../errors/errors.js'

/** SQL's isolation levels, plus `'AUTOCOMMIT'` (no transaction: each statement commits). */
export type IsolationLevel = 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE' | 'AUTOCOMMIT'

const LEVELS = new Set(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE', 'AUTOCOMMIT'])

/**
 * An isolation level in SQL's words, upper-cased; anything else is an
 * `ArgumentError` (the level is written into BEGIN / SET TRANSACTION).
 */
export function isolationLevel(level: string | undefined): string | undefined {
  if (level === undefined) return undefined
  const norm = level.trim().replace(/[\s_]+/g, ' ').toUpperCase()
  if (!LEVELS.has(norm)) throw new ArgumentError(`Unknown isolation level '${level}': use one of ${[...LEVELS].map((l) => `'${l}'`).join(', ')}`)
  return norm
}
