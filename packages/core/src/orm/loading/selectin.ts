import { select } from '../../sql/builders/select.js'
import { and } from '../../sql/nodes/elements.js'
import { identityKey } from '../mapping/identity.js'
import type { InstanceState } from '../mapping/instance-state.js'
import { STATE } from '../mapping/state-symbols.js'
import { TrackedList } from '../relationships/collection.js'
import type { Relationship } from '../relationships/relationship.js'
import type { SessionCore } from '../session/session-core.js'
import { makeHydrator } from './hydrate.js'
import { chunks, keysIn } from './key-criteria.js'

/** SQLAlchemy's selectin chunk size: parent keys per IN list. */
export const SELECTIN_CHUNK = 500

/**
 * Whether a loader should (re)load `rel` on a parent: when it is not
 * loaded, or when the query asked for it explicitly (`force`) and it holds
 * no unflushed change (an explicit loader option reads the database).
 */
export function needsLoad(st: InstanceState, rel: Relationship, force: boolean): boolean {
  if (!(rel.key in st.dict)) return true
  if (!force) return false
  const ch = st.collectionChanges?.get(rel.key)
  return !(ch && (ch.added.size || ch.removed.size)) && !(st.committed && rel.key in st.committed)
}

/** Set a loaded relationship value on a parent (a tracked list for collections). */
export function setLoaded(st: InstanceState, rel: Relationship, items: object[]): void {
  st.dict[rel.key] = rel.uselist ? TrackedList.owned(st, rel, items) : (items[0] ?? null)
}

/** Point each child's many-to-one back at its parent when that side is not loaded. */
export function populateReverse(rel: Relationship, parent: object, children: readonly object[]): void {
  const rev = rel.reverse
  if (!rev || rev.uselist) return
  for (const c of children) { const cs = (c as any)[STATE] as InstanceState; if (!(rev.key in cs.dict)) cs.dict[rev.key] = parent }
}

/**
 * selectin loading: one `SELECT target ... WHERE key IN (...)` per chunk of
 * parents that do not have the relationship loaded yet. Returns the
 * related objects loaded (for deeper paths).
 */
export async function selectinLoad(core: SessionCore, rel: Relationship, parents: readonly InstanceState[], force = false): Promise<object[]> {
  const todo = parents.filter((st) => st.hasIdentity && needsLoad(st, rel, force))
  if (!todo.length) return []
  if (rel.direction === 'manyToOne') return loadManyToOne(core, rel, todo)
  const refKeys = rel.pairs.map((p) => rel.owner.keyOf(p.referenced))
  const byKey = new Map<string, InstanceState[]>()
  const keyValues: unknown[][] = []
  for (const st of todo) {
    const vals = refKeys.map((k) => st.dict[k])
    const k = identityKey(vals)
    if (k === undefined) { setLoaded(st, rel, []); continue }
    const list = byKey.get(k)
    if (list) list.push(st)
    else { byKey.set(k, [st]); keyValues.push(vals) }
  }
  const found = new Map<string, object[]>()
  const loaded: object[] = []
  const conn = await core.connection()
  const t = rel.target
  const hydrate = makeHydrator(core, t)
  const n = t.columns.length
  const orderBy = rel.orderBy()
  for (const chunk of chunks(keyValues, SELECTIN_CHUNK)) {
    let stmt
    if (rel.direction === 'manyToMany') {
      const sec = rel.secondary!
      stmt = select(...t.columns, ...rel.pairs.map((p) => p.referencing)).selectFrom(t.table)
        .join(sec, and(...rel.remotePairs.map((p) => p.referencing.eq(p.referenced))))
        .where(keysIn(rel.pairs.map((p) => p.referencing), chunk))
    } else {
      stmt = select(...t.columns).where(keysIn(rel.pairs.map((p) => p.referencing), chunk))
    }
    stmt = stmt.orderBy(...(orderBy.length ? orderBy : t.pkColumns))
    const res = await conn.execute(stmt)
    for (const row of res.rows) {
      const child = hydrate(row, 0)!
      const k = rel.direction === 'manyToMany'
        ? identityKey(rel.pairs.map((_p, i) => row[n + i]))!
        : identityKey(rel.pairs.map((p) => (child as any)[STATE].dict[t.keyOf(p.referencing)]))!
      let list = found.get(k)
      if (!list) { list = []; found.set(k, list) }
      list.push(child)
      loaded.push(child)
    }
  }
  for (const [k, sts] of byKey) {
    const items = found.get(k) ?? []
    for (const st of sts) { setLoaded(st, rel, items); populateReverse(rel, st.obj, items) }
  }
  return loaded
}

async function loadManyToOne(core: SessionCore, rel: Relationship, todo: InstanceState[]): Promise<object[]> {
  const t = rel.target
  const fkKeys = rel.pairs.map((p) => rel.owner.keyOf(p.referencing))
  const refCols = rel.pairs.map((p) => p.referenced)
  const refKeys = refCols.map((c) => t.keyOf(c))
  const byPk = refKeys.join() === t.pkKeys.join()
  const wanted = new Map<string, { vals: unknown[]; states: InstanceState[] }>()
  const loaded: object[] = []
  for (const st of todo) {
    const vals = fkKeys.map((k) => st.dict[k])
    const k = identityKey(vals)
    if (k === undefined) { st.dict[rel.key] = null; continue }
    const hit = byPk ? core.identityMap.get(t, k) : undefined
    if (hit) { st.dict[rel.key] = hit; loaded.push(hit); continue }
    const w = wanted.get(k)
    if (w) w.states.push(st)
    else wanted.set(k, { vals, states: [st] })
  }
  if (!wanted.size) return loaded
  const conn = await core.connection()
  const hydrate = makeHydrator(core, t)
  const got = new Map<string, object>()
  for (const chunk of chunks([...wanted.values()].map((w) => w.vals), SELECTIN_CHUNK)) {
    const res = await conn.execute(select(...t.columns).where(keysIn(refCols, chunk)))
    for (const row of res.rows) {
      const obj = hydrate(row, 0)!
      const d = (obj as any)[STATE].dict
      got.set(identityKey(refKeys.map((k) => d[k]))!, obj)
      loaded.push(obj)
    }
  }
  for (const [k, w] of wanted) for (const st of w.states) st.dict[rel.key] = got.get(k) ?? null
  return loaded
}
