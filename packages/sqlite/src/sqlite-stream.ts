import type { RowBatch, Sqlite3Database, Sqlite3Statement } from './sqlite-driver-types.js'
import { spoolRows } from './sqlite-spool.js'

const PLAIN_QUERY = /^\s*(select|values)\b/i
const WITH_QUERY = /^\s*with\b/i
/** The statement that follows a CTE's closing parenthesis. */
const DML_AFTER_CTE = /\)\s*(insert|update|delete|replace)\b/i

/** True for a query (SELECT, VALUES, WITH ... SELECT): no DML, rows but no changes. */
export function isQuery(sql: string): boolean {
  return PLAIN_QUERY.test(sql) || (WITH_QUERY.test(sql) && !DML_AFTER_CTE.test(sql))
}

/**
 * Stream a statement's rows with bounded memory. sqlite3 has no bounded batch
 * read (`each()` and `all()` run to the end without back-pressure) and
 * `Statement#get` costs one hop to its worker thread per row (15-30 µs here,
 * against ~1.5 µs per row for `all()`). So a query (SELECT, VALUES, WITH ...
 * SELECT) is spooled into a temp table and read back in pages of `batchSize`;
 * anything else (`... RETURNING`, PRAGMA) goes row by row through `get()`.
 */
export function streamRows(db: Sqlite3Database, sql: string, params: unknown[], batchSize: number): AsyncGenerator<RowBatch> {
  return isQuery(sql) ? spoolRows(db, sql, params, batchSize) : rowByRow(db, sql, params, batchSize)
}

/** `Statement#get` one row at a time; leaving the loop finalizes the statement. */
export async function* rowByRow(db: Sqlite3Database, sql: string, params: unknown[], batchSize: number): AsyncGenerator<RowBatch> {
  const stmt = await new Promise<Sqlite3Statement>((resolve, reject) => {
    const s = db.prepare(sql, params, (err) => (err ? reject(err) : resolve(s)))
  })
  try {
    let columns: string[] = []
    for (;;) {
      const batch = await fetchBatch(stmt, batchSize)
      if (batch.columns) columns = batch.columns
      if (batch.rows.length) yield { columns, rows: batch.rows }
      if (batch.done) return
    }
  } finally {
    await new Promise<void>((resolve) => stmt.finalize(() => resolve()))
  }
}

/**
 * Up to `size` rows, each get() issued from the previous one's callback.
 * Never queue get() calls ahead: after an error sqlite3 steps the statement
 * again, which restarts it from the top (and would rerun a DML statement).
 */
function fetchBatch(stmt: Sqlite3Statement, size: number): Promise<{ rows: unknown[][]; columns?: string[]; done: boolean }> {
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = []
    let columns: string[] | undefined
    const onRow = (err: Error | null, row?: Record<string, unknown>): void => {
      if (err) return reject(err)
      if (!row) return resolve({ rows, columns, done: true })
      columns ??= Object.keys(row)
      rows.push(Object.values(row))
      if (rows.length >= size) resolve({ rows, columns, done: false })
      else stmt.get([], onRow)
    }
    stmt.get([], onRow)
  })
}
