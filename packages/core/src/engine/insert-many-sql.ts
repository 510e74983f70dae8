import type { ValuesGroup } from '../sql/compiler/bulk-dml-compiler.js'
import type { Column } from '../sql/nodes/from.js'
import type { Table } from '../sql/schema/table.js'
import type { CompiledTemplate } from './compiled.js'
import type { Dialect } from './dialect.js'

/** Expanded SQL kept per template; batch sizes beyond this many are rebuilt (a flush uses one or two). */
const SIZES_PER_TEMPLATE = 16

interface Expansion {
  /** `null`: the template's SQL cannot be expanded (binds outside its VALUES group). */
  readonly group: ValuesGroup | null
  readonly sizes: Map<number, string>
}

/** Keyed by the (cached, frozen) single-row template: one expansion per engine and shape. */
const expansions = new WeakMap<CompiledTemplate, Expansion>()

/**
 * The `rows`-row form of a compiled single-row INSERT: its VALUES group
 * repeated with the dialect's placeholders renumbered. Cached per
 * (template, rows); `undefined` when the template has another shape.
 */
export function expandedInsert(dialect: Dialect, table: Table<any>, columns: readonly Column<any>[], t: CompiledTemplate, rows: number): string | undefined {
  let e = expansions.get(t)
  if (e === undefined) {
    const group = dialect.createCompiler().insertValuesGroup(t.sql, table, columns, t.paramIndex.length) ?? null
    expansions.set(t, (e = { group, sizes: new Map() }))
  }
  if (e.group === null) return undefined
  if (rows === 1) return t.sql
  let sql = e.sizes.get(rows)
  if (sql === undefined) {
    sql = dialect.createCompiler().multiRowInsert(e.group, rows)
    if (e.sizes.size >= SIZES_PER_TEMPLATE) e.sizes.delete(e.sizes.keys().next().value!)
    e.sizes.set(rows, sql)
  }
  return sql
}
