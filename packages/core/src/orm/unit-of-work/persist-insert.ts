import { ArgumentError } from '../../errors/errors.js'
import type { AsyncConnection } from '../../engine/connection.js'
import { Insert, insert } from '../../sql/builders/dml.js'
import { BindParam } from '../../sql/nodes/elements.js'
import { select } from '../../sql/builders/select.js'
import type { Column } from '../../sql/nodes/from.js'
import { identityKey } from '../mapping/identity.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { chunks, keysIn } from '../loading/key-criteria.js'

/**
 * INSERT the pending rows of one mapper (one dependency level): rows with
 * the same columns go into multi-row INSERTs under the dialect's bind
 * limit. Database-generated keys and server defaults come back with
 * RETURNING and are matched to objects by a sentinel, never by row
 * position: by the client-given key, or, for an autoincrement key, by
 * the order the database handed out the values (ascending in VALUES
 * order), whatever order RETURNING lists them in. Without RETURNING
 * (MySQL) the ids follow from the first insert id.
 */
export async function insertRows(conn: AsyncConnection, mapper: Mapper, states: readonly InstanceState[]): Promise<void> {
  for (const st of states) applyClientDefaults(mapper, st)
  const groups = new Map<string, InstanceState[]>()
  for (const st of states) {
    const sig = mapper.columnKeys.filter((k) => st.dict[k] !== undefined).join(',')
    const g = groups.get(sig)
    if (g) g.push(st)
    else groups.set(sig, [st])
  }
  for (const [sig, group] of groups) await insertGroup(conn, mapper, sig ? sig.split(',') : [], group)
  // what was not sent and has no server default is NULL in the row: known, not unloaded
  for (const st of states) for (const col of mapper.columns) if (st.dict[col.key] === undefined && col.options.serverDefault === undefined) st.dict[col.key] = null
}

function applyClientDefaults(mapper: Mapper, st: InstanceState): void {
  for (const col of mapper.columns) {
    const key = col.key
    if (st.dict[key] !== undefined) continue
    const d = col.options.default
    if (d !== undefined) st.dict[key] = typeof d === 'function' ? (d as () => unknown)() : d
    else if (col.options.versionCounter) st.dict[key] = 1
  }
}

async function insertGroup(conn: AsyncConnection, mapper: Mapper, keys: string[], group: InstanceState[]): Promise<void> {
  const d = conn.dialect
  const table = mapper.table
  const missingPk = mapper.pkColumns.filter((c) => !keys.includes(c.key))
  const fetch = mapper.columns.filter((c) => !keys.includes(c.key) && (c.primaryKey || c.options.serverDefault !== undefined))
  const autoinc = missingPk.length === 1 && table.isAutoincrement(missingPk[0])
  if (missingPk.length && !autoinc && !d.supportsReturning) throw new ArgumentError(`${mapper.name}: the primary key is neither given nor autoincrement, and this backend has no RETURNING to fetch it`)
  let size = keys.length ? Math.max(1, Math.floor(d.maxBindParams / keys.length)) : 1
  if (!d.supportsMultiRowInsert || (missingPk.length && !autoinc)) size = 1
  // without RETURNING, one multi-row INSERT gives usable ids only when they are consecutive
  if (missingPk.length && !d.supportsReturning && d.consecutiveInsertIds === false) size = 1
  const step = d.insertIdStep ?? 1
  const cols = keys.map((k) => table.column(k)!)
  for (const chunk of chunks(group, size)) {
    // an ordinary Core INSERT, built from the columns and typed binds directly (values() would re-validate every row)
    let stmt = keys.length
      ? new Insert({ table, columns: cols, rows: chunk.map((st) => cols.map((c) => new BindParam(st.dict[c.key], c.type))), returning: [] })
      : insert(table)
    const returning = fetch.length > 0 && d.supportsReturning
    if (returning) stmt = stmt.returning(...uniqueCols([...mapper.pkColumns, ...fetch]))
    const res = await conn.execute(stmt)
    if (returning) {
      assignReturned(mapper, chunk, res.rows, [...uniqueCols([...mapper.pkColumns, ...fetch])], missingPk.length > 0)
    } else if (missingPk.length) {
      const first = res.lastInsertId
      if (first === undefined || first === null) throw new ArgumentError(`${mapper.name}: the driver reported no insert id`)
      const key = missingPk[0].key
      chunk.forEach((st, i) => { st.dict[key] = typeof first === 'bigint' ? first + BigInt(i * step) : Number(first) + i * step; (st.generated ??= []).push(key) })
      const rest = fetch.filter((c) => c !== missingPk[0])
      if (rest.length) await fetchServerDefaults(conn, mapper, chunk, rest)
    } else if (fetch.length) {
      await fetchServerDefaults(conn, mapper, chunk, fetch)
    }
  }
}

function assignReturned(mapper: Mapper, chunk: InstanceState[], rows: unknown[][], cols: Column<any>[], keysGenerated: boolean): void {
  if (rows.length !== chunk.length) throw new ArgumentError(`${mapper.name}: INSERT returned ${rows.length} rows for ${chunk.length} objects`)
  const pkIdx = mapper.pkColumns.map((c) => cols.indexOf(c))
  let ordered: unknown[][]
  if (!keysGenerated) {
    const byKey = new Map(rows.map((r) => [identityKey(pkIdx.map((i) => r[i]))!, r]))
    ordered = chunk.map((st) => byKey.get(mapper.identityKeyOf(st.dict)!)!)
  } else if (chunk.length === 1) {
    ordered = rows
  } else {
    // the autoincrement key is the sentinel: values rise in the order the rows were inserted
    const i = pkIdx[0]
    ordered = [...rows].sort((a, b) => compareKeys(a[i], b[i]))
  }
  chunk.forEach((st, r) => {
    const row = ordered[r]
    cols.forEach((c, j) => {
      if (st.dict[c.key] === undefined) { st.dict[c.key] = row[j]; if (c.primaryKey) (st.generated ??= []).push(c.key) }
    })
  })
}

function compareKeys(a: unknown, b: unknown): number {
  const x = BigInt(a as any)
  const y = BigInt(b as any)
  return x < y ? -1 : x > y ? 1 : 0
}

async function fetchServerDefaults(conn: AsyncConnection, mapper: Mapper, chunk: InstanceState[], cols: Column<any>[]): Promise<void> {
  const res = await conn.execute(select(...mapper.pkColumns, ...cols).where(keysIn(mapper.pkColumns, chunk.map((st) => mapper.pkValues(st.dict)))))
  const n = mapper.pkColumns.length
  const byKey = new Map(res.rows.map((r) => [identityKey(r.slice(0, n))!, r]))
  for (const st of chunk) {
    const row = byKey.get(mapper.identityKeyOf(st.dict)!)
    if (row) cols.forEach((c, j) => { st.dict[c.key] = row[n + j] })
  }
}

function uniqueCols(cols: Column<any>[]): Column<any>[] { return [...new Set(cols)] }
