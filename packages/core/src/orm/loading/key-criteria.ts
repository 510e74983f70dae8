import { type ColumnElement, and, or } from '../../sql/nodes/elements.js'
import type { Column } from '../../sql/nodes/from.js'

/** `col IN (...)`, or for composite keys `(a = ? AND b = ?) OR ...`. */
export function keysIn(cols: readonly Column<any>[], values: readonly (readonly unknown[])[]): ColumnElement<boolean> {
  if (cols.length === 1) return cols[0].in(values.map((v) => v[0]))
  return or(...values.map((v) => and(...cols.map((c, i) => c.eq(v[i])))))
}

/** Split a list into chunks of at most `size`. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}
