import { StaleDataError } from '../../errors/errors.js'
import type { AsyncConnection } from '../../engine/connection.js'
import { rowsPerStatement } from '../../engine/dialect.js'
import { update } from '../../sql/builders/dml.js'
import { BindParam, type ColumnElement, and } from '../../sql/nodes/elements.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { chunks, keysIn } from '../loading/key-criteria.js'
import { setColumn } from './sync.js'

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
 * columns share one statement per batch: Core's `executeUpdateMany`
 * (`UPDATE ... FROM (VALUES ...)` on PostgreSQL and SQLite >= 3.33, `SET
 * col = CASE pk WHEN ? THEN ? ... END WHERE pk IN (...)` on MySQL/MariaDB;
 * a version counter's old value is matched, its new one set), or one
 * `SET col = ? WHERE pk IN (...)` when every row gets the same values. The
 * matched row count must equal the rows sent, or the data was stale
 * (version counter, or the row is gone): `StaleDataError`.
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
  for (const group of groups.values()) {
    const keys = group[0].keys
    if (group.length === 1) { check(mapper, 1, (await conn.execute(single(mapper, group[0]))).rowCount); continue }
    const same = sameValues(mapper, keys, group)
    if (same) {
      // every row gets the same values: one `SET col = ? WHERE pk IN (...)` per bind-limit chunk
      const per = rowsPerStatement(conn.dialect, mapper.pkKeys.length, { reserved: keys.length })
      for (const chunk of chunks(group, per)) check(mapper, chunk.length, (await conn.execute(update(mapper.table).values(same).where(keysIn(mapper.pkColumns, chunk.map((c) => c.pk))))).rowCount)
      continue
    }
    // Core's batched UPDATE (cached SQL per shape and batch size, flat binds): rows are [...pk, (old version), ...new values]
    const vk = mapper.versionKey
    const set = vk ? [...keys.filter((k) => k !== vk), vk] : keys
    const rows = group.map((c) => {
      const r: unknown[] = c.pk.slice()
      if (vk) r.push(c.version)
      for (const k of set) r.push(c.st.dict[k])
      return r
    })
    const res = await conn.executeUpdateMany(mapper.table, rows, { key: mapper.pkColumns, match: vk ? [vk] : [], set })
    check(mapper, group.length, res.rowCount)
  }
  return written
}

function check(mapper: Mapper, expected: number, matched: number): void {
  if (matched !== expected) {
    throw new StaleDataError(`UPDATE statement on table '${mapper.table.name}' expected to update ${expected} row(s); ${matched} were matched${mapper.versionKey ? ' (the version counter changed: someone else updated the row)' : ' (the row was deleted?)'}`)
  }
}

/** The SET values when every row of a group gets the same ones (no version counter), else undefined. */
function sameValues(mapper: Mapper, keys: readonly string[], group: readonly Change[]): Record<string, unknown> | undefined {
  if (mapper.versionKey) return undefined
  const values: Record<string, unknown> = {}
  for (const k of keys) {
    const first = group[0].st.dict[k]
    for (let i = 1; i < group.length; i++) if (group[i].st.dict[k] !== first) return undefined
    values[k] = new BindParam(first, mapper.table.column(k)!.type)
  }
  return values
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
