import { ArgumentError } from '../errors/errors.js'

/**
 * Put the rows a multi-row `INSERT ... RETURNING` gave back into the order of
 * its input rows: the server does not promise VALUES order (SQLite says it is
 * arbitrary). `sent[i]` are the sentinel values of input row i, `at` the
 * positions of the sentinel columns in a returned row. Throws when a row is
 * missing, extra or unmatched: assigning by position could swap keys.
 */
export function orderBySentinel<R extends unknown[]>(rows: R[], sent: readonly (readonly unknown[])[], at: readonly number[], table: string): R[] {
  if (rows.length !== sent.length) throw mismatch(table, `${rows.length} rows came back for ${sent.length} inserted`)
  const byKey = new Map<string, R>()
  for (const row of rows) byKey.set(sentinelKey(at.map((i) => row[i])), row)
  if (byKey.size !== rows.length) throw mismatch(table, 'two returned rows have the same sentinel value')
  return sent.map((values) => {
    const row = byKey.get(sentinelKey(values))
    if (row === undefined) throw mismatch(table, `no returned row has the sentinel value ${sentinelKey(values)}`)
    return row
  })
}

/**
 * Order rows by a server-generated autoincrement key: the values are handed
 * out in VALUES order, so ascending keys are input order. Rows that already
 * come back ascending (the usual case) are checked in one pass and kept as
 * they are, the same order a (stable) sort gives; otherwise they are sorted.
 */
export function orderByAutoincrement<R extends unknown[]>(rows: R[], count: number, at: number, table: string): R[] {
  if (rows.length !== count) throw mismatch(table, `${rows.length} rows came back for ${count} inserted`)
  if (isAscending(rows, at)) return rows
  return rows.sort((a, b) => compareKeys(a[at], b[at]))
}

/** Whether the keys at `at` never decrease (numbers compared directly, other keys as integers). */
function isAscending(rows: readonly unknown[][], at: number): boolean {
  const n = rows.length
  if (n < 2) return true
  let prev = rows[0][at]
  for (let i = 1; i < n; i++) {
    const v = rows[i][at]
    if (typeof v === 'number' && typeof prev === 'number' ? v < prev : compareKeys(prev, v) > 0) return false
    prev = v
  }
  return true
}

/** One string per sentinel value: `1`, `'1'` and `1n` are one key; dates by instant, bytes by content. */
export function sentinelKey(values: readonly unknown[]): string {
  let s = ''
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (i) s += '\u0000'
    if (v instanceof Date) s += 'd' + v.getTime()
    else if (v instanceof Uint8Array) s += 'b' + Array.from(v, (x) => x.toString(16).padStart(2, '0')).join('')
    else if (v === null || v === undefined) s += '\u0001'
    else s += String(v)
  }
  return s
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = BigInt(a as any)
  const y = BigInt(b as any)
  return x < y ? -1 : x > y ? 1 : 0
}

function mismatch(table: string, what: string): ArgumentError {
  return new ArgumentError(`insert into '${table}': cannot match RETURNING rows to the inserted rows (${what})`)
}
