import type { ColumnElement } from '../nodes/elements.js'
import type { SqlType } from '../types/type.js'

export interface ResultColumn { readonly name: string; readonly type: SqlType }

/** Result column names, made unique as SQLAlchemy does (`id`, `id_1`, `id_2`). */
export function dedupeNames(cols: readonly ColumnElement<any>[]): ResultColumn[] {
  const seen = new Map<string, number>()
  return cols.map((c, i) => {
    const base = c.resultName ?? `anon_${i + 1}`
    let name = base
    let n = seen.get(base.toLowerCase())
    if (n !== undefined) { do { name = `${base}_${++n}` } while (seen.has(name.toLowerCase())); seen.set(base.toLowerCase(), n) }
    seen.set(name.toLowerCase(), seen.get(name.toLowerCase()) ?? 0)
    return { name, type: c.type }
  })
}
