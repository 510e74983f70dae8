import type { RowBatch, Sqlite3Database } from './sqlite-driver-types.js'

let spoolSeq = 0
const ROW_KEY = 'retort_spool_row'

/**
 * Run a query once into a temp table (on disk, not in the JS heap, unless
 * `PRAGMA temp_store = MEMORY`), then read it back in pages by key. The
 * result columns are untyped so no value changes type on the way; the table
 * is dropped when the loop ends, by `break` or by a throw.
 */
export async function* spoolRows(db: Sqlite3Database, query: string, params: unknown[], batchSize: number): AsyncGenerator<RowBatch> {
  // a newline ends a trailing `-- comment` before the SQL wrapped around it
  const sql = query.replace(/[\s;]+$/, '') + '\n'
  const name = `retort_spool_${++spoolSeq}`
  const table = `temp.${quote(name)}`
  let created = false
  try {
    // the result's column names (made unique by SQLite), without running the query
    await all(db, `CREATE TABLE ${table} AS SELECT * FROM (${sql}) LIMIT 0`, params)
    created = true
    const columns = (await all(db, `PRAGMA temp.table_info(${quote(name)})`, [])).map((c) => String(c.name))
    await all(db, `DROP TABLE ${table}`, [])
    created = false
    const list = columns.map(quote).join(', ')
    await all(db, `CREATE TABLE ${table} (${quote(ROW_KEY)} INTEGER PRIMARY KEY, ${list})`, [])
    created = true
    // rows get keys 1..n in the order the query yields them
    await all(db, `INSERT INTO ${table} (${list}) ${sql}`, params)
    const page = `SELECT ${list} FROM ${table} WHERE ${quote(ROW_KEY)} BETWEEN ? AND ?`
    for (let first = 1; ; first += batchSize) {
      const rows = await all(db, page, [first, first + batchSize - 1])
      if (rows.length) yield { columns, rows: rows.map((r) => Object.values(r)) }
      if (rows.length < batchSize) return
    }
  } finally {
    if (created) await all(db, `DROP TABLE IF EXISTS ${table}`, []).catch(() => undefined)
  }
}

function quote(name: string): string { return '"' + name.replace(/"/g, '""') + '"' }

function all(db: Sqlite3Database, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))))
}
