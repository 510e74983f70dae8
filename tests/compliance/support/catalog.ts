import { type AsyncEngine, text } from '@retort/core'
import type { BackendName } from '../../support/backends.js'

const INDEXES: Record<BackendName, string> = {
  postgresql: 'SELECT indexname FROM pg_indexes WHERE tablename = :t',
  mariadb: 'SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = :t',
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t",
}

/** Names of the indexes of a table, read from the backend's catalog. */
export async function indexNames(engine: AsyncEngine, name: BackendName, tableName: string): Promise<string[]> {
  const r = await engine.connect((conn) => conn.execute(text(INDEXES[name]), { t: tableName }))
  return r.scalars().all().map(String)
}

/** Names of the existing tables that start with `prefix`. */
export async function tablesLike(engine: AsyncEngine, prefix: string): Promise<string[]> {
  const names = await engine.connect((conn) => conn.tableNames())
  return names.filter((n) => n.startsWith(prefix)).sort()
}
