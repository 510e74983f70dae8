import { ArgumentError } from '../../errors/errors.js'
import { type InstanceState, maybeState } from '../mapping/instance-state.js'
import { TrackedList, setCollectionHooks } from './collection.js'
import type { Relationship } from './relationship.js'

/**
 * What happens when a related object is attached or detached: the change
 * is recorded for the flush, the other side of the relationship is kept in
 * sync in memory (only where it is loaded: nothing is loaded implicitly),
 * and save-update cascades pull new objects into the owner's session.
 */
export function appended(state: InstanceState, rel: Relationship, item: object, initiator?: Relationship): void {
  const child = maybeState(item)
  if (!child || child.mapper !== rel.target) throw new ArgumentError(`${rel.owner.name}.${rel.key} takes ${rel.target.name} objects, got ${describe(item)}`)
  if (rel.uselist && recordsAdds(state)) {
    const ch = state.changesFor(rel.key)
    if (!ch.removed.delete(item)) ch.added.add(item)
  }
  touch(state)
  if (rel.cascade.saveUpdate && state.owner && (child.status === 'transient' || (child.status === 'detached' && !child.owner))) state.owner.cascadeAdd(item, child)
  const rev = rel.reverse
  if (rev && rev !== initiator) attachReverse(child, rev, state.obj, rel)
}

export function removed(state: InstanceState, rel: Relationship, item: object, initiator?: Relationship): void {
  const child = maybeState(item)
  if (!child) return
  if (rel.uselist) {
    const ch = state.changesFor(rel.key)
    if (!ch.added.delete(item)) ch.removed.add(item)
  }
  touch(state)
  const rev = rel.reverse
  if (rev && rev !== initiator) detachReverse(child, rev, state.obj, rel)
}

/**
 * Whether additions to `state`'s collections are recorded: not for a new
 * object (transient or pending), whose flush inserts every item its
 * collections hold (removals still are: a pending orphan must not be inserted).
 */
function recordsAdds(state: InstanceState): boolean {
  return state.status !== 'transient' && state.status !== 'pending'
}

/** A relationship of `state` changed: a persistent object becomes dirty; a pending one's graph must be walked again at flush. */
function touch(state: InstanceState): void {
  if (state.status === 'persistent' || state.status === 'pending') state.owner?.markDirty(state)
}

/** Set the reverse side: add `parent` to `child.rev` (collection) or make it `child.rev` (scalar). */
function attachReverse(child: InstanceState, rev: Relationship, parent: object, initiator: Relationship): void {
  const d = child.dict
  if (rev.uselist) {
    const list = d[rev.key]
    if (list instanceof TrackedList) {
      if (!list.has(parent)) { list.silentAdd(parent); recordSilent(child, rev, parent, true) }
    } else if (child.status === 'transient' || child.status === 'pending') {
      d[rev.key] = TrackedList.owned(child, rev, [parent])
      recordSilent(child, rev, parent, true)
    }
    return
  }
  const old = d[rev.key]
  if (old === parent) return
  setScalar(child, rev, parent, initiator)
}

function detachReverse(child: InstanceState, rev: Relationship, parent: object, initiator: Relationship): void {
  const d = child.dict
  if (rev.uselist) {
    const list = d[rev.key]
    if (list instanceof TrackedList && list.has(parent)) { list.silentRemove(parent); recordSilent(child, rev, parent, false) }
    return
  }
  if (d[rev.key] === parent) setScalar(child, rev, null, initiator)
}

function recordSilent(state: InstanceState, rel: Relationship, item: object, added: boolean): void {
  if (added && !recordsAdds(state)) { touch(state); return }
  const ch = state.changesFor(rel.key)
  if (added) { if (!ch.removed.delete(item)) ch.added.add(item) } else if (!ch.added.delete(item)) ch.removed.add(item)
  touch(state)
}

/** Assign a scalar relationship, firing detach/attach for the old and new values. */
export function setScalar(state: InstanceState, rel: Relationship, value: object | null, initiator?: Relationship): void {
  const d = state.dict
  const loaded = rel.key in d
  const old = d[rel.key] as object | null | undefined
  if (loaded && old === value) return
  d[rel.key] = value
  // a new object's flush writes what it holds: nothing to compare with
  if (recordsAdds(state)) {
    const c = (state.committed ??= {})
    if (!(rel.key in c)) c[rel.key] = loaded ? old : undefined
  }
  // the old value is never the one that initiated this: its side always hears of the removal
  if (old) removed(state, rel, old)
  if (value) appended(state, rel, value, initiator)
  else touch(state)
}

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? String(x) : (x.constructor?.name ?? 'object')
}

setCollectionHooks({ appended, removed })
