import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { maybeState } from '../mapping/instance-state.js'
import { configureMappers } from '../relationships/configure.js'
import type { Relationship } from '../relationships/relationship.js'
import { relationshipLists } from '../relationships/relationship-lists.js'
import type { SessionCore } from '../session/session-core.js'

/** "Copy parent's key into child's foreign key" (parent null: set it to NULL). */
export interface Sync { readonly child: InstanceState; readonly parent: InstanceState | null; readonly rel: Relationship }
/** One association row of a many-to-many (rel is the side whose `pairs` point at `left`). */
export interface AssocRow { readonly rel: Relationship; readonly left: InstanceState; readonly right: InstanceState }

/** Everything one flush will write, worked out before the first statement. */
export interface FlushPlan {
  readonly inserts: InstanceState[]
  readonly updates: Set<InstanceState>
  readonly deletes: InstanceState[]
  /** Syncs by the child they write to (applied just before that row is written); one Sync alone is not wrapped in a list. */
  readonly syncs: Map<InstanceState, Sync | Sync[]>
  /** Syncs through `postUpdate` relationships, written by UPDATEs after the inserts. */
  readonly postSyncs: Sync[]
  readonly assocInserts: AssocRow[]
  readonly assocDeletes: AssocRow[]
  /** Deleted objects whose association rows all go (`DELETE FROM secondary WHERE key IN ...`). */
  readonly assocDeleteAll: AssocRow[]
}

let walk = 0

/**
 * Pull transient objects reachable through save-update cascades into the
 * session, from `roots` (states are marked with the walk's number instead
 * of being kept in a Set: a flush walks every new object).
 */
export function cascadeSaveUpdate(core: SessionCore, roots: Iterable<InstanceState>, moreRoots?: Iterable<InstanceState>): void {
  const mark = ++walk
  const work: InstanceState[] = []
  for (const st of roots) { st.visit = mark; work.push(st) }
  if (moreRoots) for (const st of moreRoots) { st.visit = mark; work.push(st) }
  // no closure here: add() runs this once per object, and the build's keepNames wraps every closure it creates
  let mapper: Mapper | undefined
  let rels: readonly Relationship[] = []
  while (work.length) {
    const st = work.pop()!
    if (st.mapper !== mapper) { mapper = st.mapper; configureMappers(mapper); rels = relationshipLists(mapper).saveUpdate }
    for (let i = 0; i < rels.length; i++) {
      const v = st.dict[rels[i].key]
      if (v === undefined || v === null) continue
      if (Array.isArray(v)) { for (let j = 0; j < v.length; j++) reach(core, v[j], mark, work) } else reach(core, v, mark, work)
    }
  }
}

function reach(core: SessionCore, o: unknown, mark: number, work: InstanceState[]): void {
  const t = maybeState(o)
  if (t === undefined || t.visit === mark) return
  t.visit = mark
  if (t.status === 'transient') core.attach(t)
  if (t.status === 'pending' || t.owner === core) work.push(t)
}

/** Work out syncs, orphans and association rows for the states a flush touches. */
export function buildPlan(core: SessionCore): FlushPlan {
  // new objects were walked when added; again only when one of their relationships changed since
  cascadeSaveUpdate(core, core.cascadeStale ? core.newStates : [], core.dirtyStates)
  core.cascadeStale = false
  const plan: FlushPlan = {
    inserts: [], updates: new Set(), deletes: [], syncs: new Map(), postSyncs: [], assocInserts: [], assocDeletes: [], assocDeleteAll: [],
  }
  const addSync = (s: Sync): void => {
    if (s.child.status === 'deleted' || core.deletedStates.has(s.child)) return
    if (s.rel.postUpdate) { plan.postSyncs.push(s); return }
    const had = plan.syncs.get(s.child)
    if (had === undefined) plan.syncs.set(s.child, s)
    else if (Array.isArray(had)) had.push(s)
    else plan.syncs.set(s.child, [had, s])
  }
  const assocSeen = new Set<string>()
  const assoc = (list: AssocRow[], rel: Relationship, owner: InstanceState, other: InstanceState, tag: string): void => {
    // both sides of a bidirectional many-to-many record the change: write it once
    const primary = !rel.reverse || rel.key + rel.owner.name <= rel.reverse.key + rel.reverse.owner.name
    const row: AssocRow = primary ? { rel, left: owner, right: other } : { rel: rel.reverse!, left: other, right: owner }
    const id = `${tag}|${row.rel.owner.name}.${row.rel.key}|${ids(row.left)}|${ids(row.right)}`
    if (assocSeen.has(id)) return
    assocSeen.add(id)
    list.push(row)
  }
  // a pending object taken out of a delete-orphan collection (its parent link set to null) is not inserted
  // (the loops below walk the sets themselves: deleting from a Set while walking it is safe)
  for (const st of core.newStates) {
    for (const rel of relationshipLists(st.mapper).orphanChildren) {
      if (rel.key in st.dict && st.dict[rel.key] === null) { core.detach(st); break }
    }
  }
  const touched = [core.newStates, core.dirtyStates]
  // orphans first: they join the deletes
  for (const set of touched) for (const st of set) {
    for (const rel of relationshipLists(st.mapper).orphanParents) {
      for (const r of removedItems(st, rel)) {
        const rs = maybeState(r)!
        if (rs.status === 'persistent' && !stillAttached(rs, rel, st)) core.deletedStates.add(rs)
        else if (rs.status === 'pending' && !stillAttached(rs, rel, st)) core.detach(rs)
      }
    }
  }
  for (const set of touched) for (const st of set) {
    if (st.owner !== core) continue // detached above as an orphan
    const pending = st.status === 'pending'
    const d = st.dict
    for (const rel of relationshipLists(st.mapper).all) {
      const v = d[rel.key]
      if (v === undefined && !(rel.key in d)) continue
      if (rel.direction === 'manyToOne') {
        if (pending ? v !== null : (st.committed !== undefined && rel.key in st.committed)) addSync({ child: st, parent: v ? reached(core, maybeState(v)!, rel) : null, rel })
        continue
      }
      if (rel.direction === 'manyToMany') {
        const added = pending ? (Array.isArray(v) ? v : v ? [v as object] : []) : addedItems(st, rel)
        for (const a of added) assoc(plan.assocInserts, rel, st, maybeState(a)!, 'i')
        if (!pending) for (const r of removedItems(st, rel)) assoc(plan.assocDeletes, rel, st, maybeState(r)!, 'd')
        continue
      }
      const rev = rel.reverse
      const reverseSyncs = rev !== undefined && !rev.uselist && !rev.postUpdate && !rel.postUpdate
      if (pending) {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const cs = reached(core, maybeState(v[i])!, rel)
            // a pending child whose own many-to-one points here writes the same key itself
            if (reverseSyncs && cs.status === 'pending' && cs.owner === core && cs.dict[rev.key] === st.obj) continue
            addSync({ child: cs, parent: st, rel })
          }
        } else if (v) addSync({ child: reached(core, maybeState(v)!, rel), parent: st, rel })
      } else {
        for (const a of addedItems(st, rel)) addSync({ child: maybeState(a)!, parent: st, rel })
      }
      if (!pending && !rel.cascade.deleteOrphan) {
        for (const r of removedItems(st, rel)) {
          const rs = maybeState(r)!
          if (!stillAttached(rs, rel, st)) addSync({ child: rs, parent: null, rel })
        }
      }
    }
  }
  for (const st of core.deletedStates) {
    for (const rel of relationshipLists(st.mapper).all) {
      if (rel.direction === 'manyToMany') { plan.assocDeleteAll.push({ rel, left: st, right: st }); continue }
      if (rel.direction === 'manyToOne') {
        if (rel.postUpdate && st.dict[rel.key]) plan.postSyncs.push({ child: st, parent: null, rel })
        continue
      }
      const v = st.dict[rel.key]
      const items = Array.isArray(v) ? v : v ? [v] : []
      for (const c of items) {
        const cs = maybeState(c)!
        if (!core.deletedStates.has(cs) && !stillAttached(cs, rel, st)) addSync({ child: cs, parent: null, rel })
      }
    }
  }
  for (const st of core.newStates) plan.inserts.push(st)
  for (const st of core.dirtyStates) if (st.status === 'persistent' && !core.deletedStates.has(st)) plan.updates.add(st)
  for (const child of plan.syncs.keys()) if (child.status === 'persistent') plan.updates.add(child)
  for (const s of plan.postSyncs) if (s.child.status === 'persistent' && !core.deletedStates.has(s.child)) plan.updates.add(s.child)
  for (const st of core.deletedStates) plan.deletes.push(st)
  return plan
}

/**
 * A related object the flush is about to write a key for. One that is still
 * transient got there without an event (e.g. an index assignment into a
 * collection) and so without the cascade walk: walk from it now, as the
 * full walk would have.
 */
function reached(core: SessionCore, st: InstanceState, rel: Relationship): InstanceState {
  if (st.status === 'transient' && rel.cascade.saveUpdate) { core.attach(st); cascadeSaveUpdate(core, [st]) }
  return st
}

function addedItems(st: InstanceState, rel: Relationship): object[] {
  if (rel.uselist) return [...(st.collectionChanges?.get(rel.key)?.added ?? [])]
  if (st.committed && rel.key in st.committed) { const v = st.dict[rel.key]; return v ? [v as object] : [] }
  return []
}

function removedItems(st: InstanceState, rel: Relationship): object[] {
  if (rel.uselist) return [...(st.collectionChanges?.get(rel.key)?.removed ?? [])]
  if (st.committed && rel.key in st.committed) { const old = st.committed[rel.key]; return old && old !== st.dict[rel.key] ? [old as object] : [] }
  return []
}

/** Whether a removed child now belongs to another parent (its many-to-one says so): then it is no orphan. */
function stillAttached(child: InstanceState, rel: Relationship, parent: InstanceState): boolean {
  const rev = rel.reverse
  if (!rev || rev.uselist || !(rev.key in child.dict)) return false
  const cur = child.dict[rev.key]
  return cur !== null && cur !== parent.obj
}

const objectIds = new WeakMap<object, number>()
let nextId = 0
function ids(st: InstanceState): number {
  let id = objectIds.get(st)
  if (id === undefined) { id = ++nextId; objectIds.set(st, id) }
  return id
}
