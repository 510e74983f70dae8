import { Insert } from '../sql/builders/dml.js'
import type { Node } from '../sql/nodes/node.js'
import type { AsyncConnection } from './connection.js'
import { executeInsertMany } from './insert-many.js'
import { Result, type Row, positionalRows } from './result.js'

/**
 * `conn.executeMany`: an INSERT without values becomes multi-row INSERTs
 * (`executeInsertMany`: compiled once, batched under the dialect's
 * bind-parameter limit; rows with other keys start a new batch); any other
 * statement runs once per parameter set.
 */
export async function executeMany(conn: AsyncConnection, stmt: Node, paramSets: readonly Record<string, unknown>[]): Promise<Result> {
  const rows: Row[] = []
  let rowCount = 0
  let names: readonly string[] = []
  let insertId: number | bigint | undefined
  const add = (r: Result): void => {
    rowCount += r.rowCount
    insertId ??= r.lastInsertId
    if (r.rows.length) { names = r.keys(); for (const row of r.rows) rows.push(row) }
  }
  if (stmt instanceof Insert && !stmt.state.rows.length && !stmt.state.fromSelect) {
    let i = 0
    while (i < paramSets.length) {
      const keys = Object.keys(paramSets[i])
      let end = i + 1
      while (end < paramSets.length && sameKeys(paramSets[end], keys)) end++
      const whole = i === 0 && end === paramSets.length
      const r = await executeInsertMany(conn, stmt, whole ? paramSets : paramSets.slice(i, end))
      // one shape (the usual case): that result as it is, its rows neither copied nor named before they are read
      if (whole) return positionalRows(r).length ? r : new Result<unknown[]>([], [], r.rowCount, r.lastInsertId)
      add(r)
      i = end
    }
  } else {
    for (const p of paramSets) add(await conn.execute(stmt, p))
  }
  return new Result(rows, names, rowCount, insertId)
}

function sameKeys(row: Record<string, unknown>, keys: readonly string[]): boolean {
  let n = 0
  for (const k in row) { if (k !== keys[n++]) return false }
  return n === keys.length
}
