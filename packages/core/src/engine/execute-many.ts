import { Insert } from '../sql/builders/dml.js'
import type { Node } from '../sql/nodes/node.js'
import type { AsyncConnection } from './connection.js'
import { Result, type Row } from './result.js'

/**
 * `conn.executeMany`: an INSERT without values becomes multi-row INSERTs,
 * each under the dialect's bind-parameter limit (rows with other keys start
 * a new batch); any other statement runs once per parameter set.
 */
export async function executeMany(conn: AsyncConnection, stmt: Node, paramSets: readonly Record<string, unknown>[]): Promise<Result> {
  const rows: Row[] = []
  let rowCount = 0
  let names: readonly string[] = []
  const add = (r: Result): void => {
    rowCount += r.rowCount
    if (r.rows.length) { names = r.keys(); for (const row of r.rows) rows.push(row) }
  }
  if (stmt instanceof Insert && !stmt.state.rows.length && !stmt.state.fromSelect && conn.dialect.supportsMultiRowInsert) {
    const max = conn.dialect.maxBindParams
    let i = 0
    while (i < paramSets.length) {
      const keys = keyOf(paramSets[i])
      // binds per row as compiled (client defaults may add some), so the batch stays under the limit
      const perRow = Math.max(1, conn.engine.compile(stmt.values(paramSets[i])).template.paramIndex.length)
      const size = Math.max(1, Math.floor(max / perRow))
      let end = i + 1
      while (end < paramSets.length && end - i < size && keyOf(paramSets[end]) === keys) end++
      add(await conn.execute(stmt.values(paramSets.slice(i, end))))
      i = end
    }
  } else {
    for (const p of paramSets) add(await conn.execute(stmt, p))
  }
  return new Result(rows, names, rowCount)
}

function keyOf(row: Record<string, unknown>): string {
  return Object.keys(row).join('\u0000')
}
