import type { AsyncConnection } from '../../engine/connection.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { configureMappers } from '../relationships/configure.js'
import { relationshipsOf } from '../relationships/relationship.js'
import { TrackedList } from '../relationships/collection.js'
import { relationshipLists } from '../relationships/relationship-lists.js'
import type { SessionCore } from '../session/session-core.js'
import { deleteAllAssociations, deleteAssociations, insertAssociations } from './association.js'
import { levels, sortMappers } from './dependency-sort.js'
import { type FlushPlan, buildPlan } from './flush-plan.js'
import { deleteRows } from './persist-delete.js'
import { insertRows } from './persist-insert.js'
import { updateRows } from './persist-update.js'
import { applySyncs } from './sync.js'

function byMapper(states: readonly InstanceState[] | Set<InstanceState>): Map<Mapper, InstanceState[]> {
  const m = new Map<Mapper, InstanceState[]>()
  const put = (st: InstanceState): void => { const l = m.get(st.mapper); if (l) l.push(st); else m.set(st.mapper, [st]) }
  if (Array.isArray(states)) for (let i = 0; i < states.length; i++) put(states[i])
  else states.forEach(put)
  return m
}

/**
 * Write every pending change in dependency order, through the session's
 * connection (the same `execute` a user has): per mapper, referenced
 * tables first, INSERTs (by level for self-referential rows) then UPDATEs;
 * then post-update foreign keys and association rows; then DELETEs,
 * dependents first. The caller turns a failure into a rolled-back
 * transaction.
 */
export async function flushSession(core: SessionCore): Promise<boolean> {
  configureInvolved(core)
  const plan = buildPlan(core)
  if (!plan.inserts.length && !plan.updates.size && !plan.deletes.length && !plan.assocInserts.length && !plan.assocDeletes.length && !plan.postSyncs.length) {
    return false
  }
  const conn = await core.connection()
  try {
    await writePlan(conn, core, plan)
  } catch (e) {
    forgetInserted(core, plan)
    throw e
  }
  finish(core, plan)
  return true
}

/** A failed flush: the rows it inserted before failing are not new any more (the rollback detaches them through scope.inserted). */
function forgetInserted(core: SessionCore, plan: FlushPlan): void {
  for (const st of plan.inserts) if (st.status === 'persistent') core.newStates.delete(st)
}

/** Relationships resolved for every mapper involved (once per mapper run, not per object; no iterator per object). */
function configureInvolved(core: SessionCore): void {
  let last: Mapper | undefined
  const visit = (st: InstanceState): void => { if (st.mapper !== last) { last = st.mapper; configureMappers(last) } }
  core.newStates.forEach(visit)
  core.dirtyStates.forEach(visit)
  core.deletedStates.forEach(visit)
}

async function writePlan(conn: AsyncConnection, core: SessionCore, plan: FlushPlan): Promise<void> {
  const inserts = byMapper(plan.inserts)
  const updates = byMapper(plan.updates)
  const deletes = byMapper(plan.deletes)
  const order = sortMappers(new Set([...inserts.keys(), ...updates.keys(), ...deletes.keys(), ...plan.postSyncs.map((s) => s.child.mapper)]))
  let inserting: Set<InstanceState> | undefined
  for (const mapper of order) {
    const ins = inserts.get(mapper)
    if (ins) {
      // only a self-referential mapper can have rows waiting for rows of the same flush and table
      let lv = [ins]
      if (selfReferential(mapper)) {
        const ing = (inserting ??= new Set(plan.inserts))
        lv = levels(ins, (st) => [plan.syncs.get(st) ?? []].flat().filter((s) => s.parent && ing.has(s.parent)).map((s) => s.parent!), `flush of ${mapper.name}`)
      }
      for (const level of lv) {
        syncAll(plan, level)
        await insertRows(conn, mapper, level)
        markInserted(core, mapper, level)
      }
    }
    const upd = updates.get(mapper)
    if (upd) {
      syncAll(plan, upd)
      for (const st of await updateRows(conn, mapper, upd)) core.scope.updated.add(st)
      for (const st of upd) st.resetChanges()
    }
  }
  if (plan.postSyncs.length) {
    applySyncs(plan.postSyncs)
    for (const [mapper, states] of byMapper(new Set(plan.postSyncs.map((s) => s.child)))) {
      for (const st of await updateRows(conn, mapper, states)) core.scope.updated.add(st)
      for (const st of states) if (st.status === 'persistent') st.resetChanges()
    }
  }
  if (plan.assocDeletes.length) await deleteAssociations(conn, plan.assocDeletes)
  if (plan.assocInserts.length) await insertAssociations(conn, plan.assocInserts)
  if (plan.assocDeleteAll.length) await deleteAllAssociations(conn, plan.assocDeleteAll)
  for (const mapper of [...order].reverse()) {
    const del = deletes.get(mapper)
    if (!del) continue
    const deleting = new Set(del)
    // children before parents within one table: a row goes before the row it points at
    const lv = levels(del, (st) => dependentsOf(st, deleting), `delete from ${mapper.name}`)
    for (const level of lv) await deleteRows(conn, mapper, level)
  }
}

// plain functions with indexed loops for the per-object work: for-of in the async writePlan
// allocated an iterator result per object and loop (a flush of 12k objects: ~2 MB)

/** Copy parents' keys into the foreign keys of rows about to be written. */
function syncAll(plan: FlushPlan, states: readonly InstanceState[]): void {
  const syncs = plan.syncs
  if (!syncs.size) return
  for (let i = 0; i < states.length; i++) applySyncs(syncs.get(states[i]))
}

/** Rows just inserted: persistent, in the identity map, remembered by the transaction (a rollback undoes it). */
function markInserted(core: SessionCore, mapper: Mapper, level: readonly InstanceState[]): void {
  const inserted = core.scope.inserted
  const store = core.identityMap.mapFor(mapper)
  // they stay in newStates until finish() clears it (12k Set deletes rehash it again and again), or until
  // forgetInserted() takes them out when a later statement fails
  for (let i = 0; i < level.length; i++) {
    const st = level[i]
    st.status = 'persistent'
    const key = mapper.identityKeyOf(st.dict)!
    st.identityKey = key
    store.set(key, st.obj)
    inserted.push(st)
  }
  initEmptyCollections(mapper, level)
}

function selfReferential(mapper: Mapper): boolean {
  for (const r of relationshipsOf(mapper).values()) if (r.target === mapper || r.target.table === mapper.table || r.owner !== mapper) return true
  return false
}

/** Rows of the same table that point at `st` (they must go first): only self-referential tables have any. */
function dependentsOf(st: InstanceState, deleting: Set<InstanceState>): InstanceState[] {
  const selfRefs = [...relationshipsOf(st.mapper).values()].filter((r) => r.direction === 'manyToOne' && r.target === st.mapper)
  if (!selfRefs.length) return []
  const out: InstanceState[] = []
  for (const other of deleting) {
    if (other === st) continue
    for (const rel of selfRefs) {
      const fk = rel.pairs.map((p) => other.dict[rel.owner.keyOf(p.referencing)])
      const pk = rel.pairs.map((p) => st.dict[rel.target.keyOf(p.referenced)])
      if (other.dict[rel.key] === st.obj || fk.every((x, i) => x !== null && x !== undefined && String(x) === String(pk[i]))) { out.push(other); break }
    }
  }
  return out
}

/** A row inserted just now has no related rows but those the flush wrote: its unloaded collections are empty. */
function initEmptyCollections(mapper: Mapper, states: readonly InstanceState[]): void {
  const rels = relationshipLists(mapper).toMany
  if (!rels.length) return
  for (let i = 0; i < states.length; i++) {
    const st = states[i]
    for (let j = 0; j < rels.length; j++) { const rel = rels[j]; if (!(rel.key in st.dict)) st.dict[rel.key] = rel.uselist ? TrackedList.owned(st, rel) : null }
  }
}

function finish(core: SessionCore, plan: FlushPlan): void {
  const ins = plan.inserts
  for (let i = 0; i < ins.length; i++) ins[i].resetChanges()
  for (const st of plan.deletes) {
    core.identityMap.remove(st)
    st.status = 'deleted'
    core.scope.deleted.add(st)
  }
  core.newStates.clear()
  core.dirtyStates.clear()
  core.deletedStates.clear()
}
