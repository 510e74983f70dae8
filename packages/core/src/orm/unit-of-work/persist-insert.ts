import { ArgumentError } from '../../errors/errors.js'
import type { AsyncConnection } from '../../engine/connection.js'
import { rowsPerStatement } from '../../engine/dialect.js'
import type { InsertSentinel } from '../../engine/insert-many.js'
import { positionalRows } from '../../engine/result.js'
import { insert } from '../../sql/builders/dml.js'
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
  if (mapper.defaultedColumns.length) for (let i = 0; i < states.length; i++) applyClientDefaults(mapper, states[i])
  const keys = mapper.columnKeys
  const groups = groupByColumns(keys, states)
  for (const group of groups.values()) await insertGroup(conn, mapper, keys.filter((k) => group[0].dict[k] !== undefined), group)
  nullUnsent(mapper, states)
}

/** Rows grouped by the set of columns given: a bitmask per 30 columns, no string built per row. */
function groupByColumns(keys: readonly string[], states: readonly InstanceState[]): Map<string | number, InstanceState[]> {
  const groups = new Map<string | number, InstanceState[]>()
  for (let s = 0; s < states.length; s++) {
    const st = states[s]
    const d = st.dict
    let sig: string | number = 0
    let part = 0
    for (let i = 0; i < keys.length; i++) {
      if (d[keys[i]] !== undefined) part |= 1 << (i % 30)
      if (i % 30 === 29 || i === keys.length - 1) { sig = keys.length <= 30 ? part : `${sig},${part}`; part = 0 }
    }
    const g = groups.get(sig)
    if (g) g.push(st)
    else groups.set(sig, [st])
  }
  return groups
}

/** What was not sent and has no server default is NULL in the row: known, not unloaded. */
function nullUnsent(mapper: Mapper, states: readonly InstanceState[]): void {
  // a plain function with indexed loops: for-of in the async caller allocated an iterator result per object and column
  const keys = mapper.columns.filter((c) => c.options.serverDefault === undefined).map((c) => c.key)
  for (let i = 0; i < states.length; i++) {
    const d = states[i].dict
    for (let j = 0; j < keys.length; j++) if (d[keys[j]] === undefined) d[keys[j]] = null
  }
}

function applyClientDefaults(mapper: Mapper, st: InstanceState): void {
  for (const col of mapper.defaultedColumns) {
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
  const returning = fetch.length > 0 && d.supportsReturning ? uniqueCols([...mapper.pkColumns, ...fetch]) : []
  // Core's insertmanyvalues path: the one-row INSERT compiled once, VALUES repeated per batch size, flat binds
  // straight from the dicts; returned rows come back in input order, matched by a sentinel (never by position):
  // the client-given key, or the autoincrement key (handed out in VALUES order); without RETURNING (MySQL) the
  // ids follow from the first insert id (row by row unless the dialect says they are consecutive)
  let sentinel: InsertSentinel | undefined
  let batchSize: number | undefined
  if (missingPk.length && !autoinc) batchSize = 1 // a server-generated, non-autoincrement key: one row per statement
  else if (autoinc) sentinel = 'autoincrement'
  else if (returning.length) sentinel = mapper.pkColumns
  const rows = group.map((st) => st.dict)
  const res = await conn.executeInsertMany(insert(table), rows, { columns: keys, returning, sentinel, batchSize })
  // read by position (the rows are in input order already): no named rows built for 10k returned keys
  const got = positionalRows(res)
  if (returning.length) {
    assignReturned(mapper, group, got, returning)
  } else if (autoinc) {
    const key = missingPk[0].key
    if (got.length !== group.length) throw new ArgumentError(`${mapper.name}: INSERT gave ${got.length} ids for ${group.length} objects`)
    for (let i = 0; i < group.length; i++) { const st = group[i]; st.dict[key] = got[i][0]; st.markGenerated(key) }
    const rest = fetch.filter((c) => c !== missingPk[0])
    if (rest.length) await fetchServerDefaults(conn, mapper, group, rest)
  } else if (fetch.length) {
    await fetchServerDefaults(conn, mapper, group, fetch)
  }
}

function assignReturned(mapper: Mapper, group: InstanceState[], rows: readonly (readonly unknown[])[], cols: readonly Column<any>[]): void {
  if (rows.length !== group.length) throw new ArgumentError(`${mapper.name}: INSERT returned ${rows.length} rows for ${group.length} objects`)
  for (let r = 0; r < group.length; r++) {
    const st = group[r]
    const row = rows[r]
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]
      if (st.dict[c.key] === undefined) { st.dict[c.key] = row[j]; if (c.primaryKey) st.markGenerated(c.key) }
    }
  }
}

async function fetchServerDefaults(conn: AsyncConnection, mapper: Mapper, group: InstanceState[], cols: Column<any>[]): Promise<void> {
  const per = rowsPerStatement(conn.dialect, mapper.pkColumns.length)
  for (const chunk of chunks(group, per)) await fetchChunk(conn, mapper, chunk, cols)
}

async function fetchChunk(conn: AsyncConnection, mapper: Mapper, chunk: InstanceState[], cols: Column<any>[]): Promise<void> {
  const res = await conn.execute(select(...mapper.pkColumns, ...cols).where(keysIn(mapper.pkColumns, chunk.map((st) => mapper.pkValues(st.dict)))))
  const n = mapper.pkColumns.length
  const byKey = new Map(res.rows.map((r) => [identityKey(r.slice(0, n))!, r]))
  for (const st of chunk) {
    const row = byKey.get(mapper.identityKeyOf(st.dict)!)
    if (row) cols.forEach((c, j) => { st.dict[c.key] = row[n + j] })
  }
}

function uniqueCols(cols: Column<any>[]): Column<any>[] { return [...new Set(cols)] }
