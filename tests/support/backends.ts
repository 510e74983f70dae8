import { type AsyncEngine, type EngineOptions, createAsyncEngine } from '@retort/core'
import '@retort/postgres'
import '@retort/mysql'
import '@retort/sqlite'

/** The three real backends every cross-dialect test runs on. Never skipped: an unreachable server fails. */
export const BACKENDS = [
  { name: 'postgresql', url: process.env.RETORT_PG_URL ?? 'postgresql+pg://postgres@127.0.0.1:5432/test' },
  { name: 'mariadb', url: process.env.RETORT_MARIADB_URL ?? 'mariadb+mysql2://root@127.0.0.1:3306/test' },
  { name: 'sqlite', url: process.env.RETORT_SQLITE_URL ?? 'sqlite+sqlite3://:memory:' },
] as const

export type BackendName = (typeof BACKENDS)[number]['name']

export function makeEngine(name: BackendName, options: EngineOptions = {}): AsyncEngine {
  const b = BACKENDS.find((x) => x.name === name)!
  return createAsyncEngine(b.url, options)
}

/** Pick the expected value for this backend: `per(name, { postgresql: ..., mariadb: ..., sqlite: ... })`. */
export function per<T>(name: BackendName, values: Record<BackendName, T>): T {
  return values[name]
}
