import { StaleDataError } from '../../errors/errors.js'
import type { AsyncConnection } from '../../engine/connection.js'
import { update } from '../../sql/builders/dml.js'
import { BindParam, type ColumnElement, and, case_, or } from '../../sql/nodes/elements.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { chunks, keysIn } from '../loading/key-criteria.js'
import { setColumn } from './sync.js'

/**
 * Rows per batched UPDATE: a CASE with n branches costs the server n
 * comparisons per row (n² per statement), so batches stay moderate.
 */
export const UPDATE_BATCH = 250

interface Change { readonly st: InstanceState; readonly keys: string[]; readonly pk: unknown[]; readonly version: unknown }

/** Column keys whose value differs from the one loaded (plus `flagModified` ones). */
export function changedKeys(mapper: Mapper, st: InstanceState): string[] {
  const out: string[] = []
  const c = st.committed
  for (const k of mapper.columnKeys) {
    if ((c && k in c && c[k] !== st.dict[k] && !sameValue(c[k], st.dict[k])) || st.flagged?.has(k)) out.push(k)
  }
  return out
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return false
}

/**
 * UPDATE the changed rows of one mapper. Rows that change the same
 * columns share one statement per batch: `SET col = CASE WHEN pk = ? THEN ?
 * ... ELSE col END WHERE pk IN (...)` (ELSE keeps the column's type on
 * every backend). The matched row count must equal the rows sent, or the
 * data was stale (version counter, or the row is gone): `StaleDataError`.
 */
export async function updateRows(conn: AsyncConnection, mapper: Mapper, states: Iterable<InstanceState>): Promise<InstanceState[]> {
  const groups = new Map<string, Change[]>()
  const written: InstanceState[] = []
  for (const st of states) {
    const keys = changedKeys(mapper, st)
    if (!keys.length) continue
    const pk = mapper.pkKeys.map((k) => (st.committed && k in st.committed ? st.committed[k] : st.dict[k]))
    for (const col of mapper.columns) {
      const u = col.options.onUpdateValue
      if (u !== undefined && !keys.includes(col.key)) { setColumn(st, col.key, typeof u === 'function' ? (u as () => unknown)() : u); keys.push(col.key) }
    }
    let version: unknown
    const vk = mapper.versionKey
    if (vk) {
      version = st.committed && vk in st.committed ? st.committed[vk] : st.dict[vk]
      st.dict[vk] = Number(version) + 1
      if (!keys.includes(vk)) keys.push(vk)
    }
    const sig = keys.join(',')
    const g = groups.get(sig)
    const change = { st, keys, pk, version }
    if (g) g.push(change)
    else groups.set(sig, [change])
    written.push(st)
  }
  const d = conn.dialect
  for (const group of groups.values()) {
    const keys = group[0].keys
    const pkN = mapper.pkKeys.length
    const perRow = keys.length * (pkN + 1) + pkN + (mapper.versionKey ? 1 : 0)
    for (const chunk of chunks(group, Math.max(1, Math.min(UPDATE_BATCH, Math.floor(d.maxBindParams / perRow))))) {
      const res = await conn.execute(chunk.length === 1 ? single(mapper, chunk[0]) : batched(mapper, keys, chunk))
      if (res.rowCount !== chunk.length) {
        throw new StaleDataError(`UPDATE statement on table '${mapper.table.name}' expected to update ${chunk.length} row(s); ${res.rowCount} were matched${mapper.versionKey ? ' (the version counter changed: someone else updated the row)' : ' (the row was deleted?)'}`)
      }
    }
  }
  return written
}

function rowMatch(mapper: Mapper, c: Change): ColumnElement<boolean> {
  const conds = mapper.pkColumns.map((col, i) => col.eq(new BindParam(c.pk[i], col.type)))
  if (mapper.versionKey) { const vc = mapper.table.column(mapper.versionKey)!; conds.push(vc.eq(new BindParam(c.version, vc.type))) }
  return and(...conds)
}

function single(mapper: Mapper, c: Change) {
  const values: Record<string, unknown> = {}
  for (const k of c.keys) { const col = mapper.table.column(k)!; values[k] = new BindParam(c.st.dict[k], col.type) }
  return update(mapper.table).values(values).where(rowMatch(mapper, c))
}

function batched(mapper: Mapper, keys: string[], chunk: Change[]) {
  // rows matched by key (IN list), or by key and version (OR of ANDs)
  const where = mapper.versionKey ? or(...chunk.map((c) => rowMatch(mapper, c))) : keysIn(mapper.pkColumns, chunk.map((c) => c.pk))
  const values: Record<string, unknown> = {}
  for (const k of keys) {
    const col = mapper.table.column(k)!
    if (k === mapper.versionKey) { values[k] = col.add(1); continue }
    const first = chunk[0].st.dict[k]
    if (chunk.every((c) => c.st.dict[k] === first)) { values[k] = new BindParam(first, col.type); continue }
    const whens = chunk.map((c) => [and(...mapper.pkColumns.map((pc, i) => pc.eq(new BindParam(c.pk[i], pc.type)))), new BindParam(c.st.dict[k], col.type)] as const)
    values[k] = case_(whens, col)
  }
  return update(mapper.table).values(values).where(where)
}
