import type { InstanceState } from '../mapping/instance-state.js'
import { STATE } from '../mapping/state-symbols.js'
import type { SessionCore, TxScope } from './session-core.js'

/** Drop every loaded attribute (or the given ones): the next read says "expired" until refreshed. */
export function expireState(st: InstanceState, keys?: readonly string[]): void {
  if (!keys) {
    // the primary key stays: it is the object's identity (and what a refresh selects by)
    const kept: Record<string, unknown> = {}
    for (const k of st.mapper.pkKeys) if (k in st.dict) kept[k] = st.committed && k in st.committed ? st.committed[k] : st.dict[k]
    st.dict = kept
    st.resetChanges()
    return
  }
  for (const k of keys) {
    delete st.dict[k]
    if (st.committed) delete st.committed[k]
    st.collectionChanges?.delete(k)
    st.flagged?.delete(k)
  }
}

/** Forget the keys the database generated for an object in a rolled-back transaction. */
export function clearGenerated(st: InstanceState): void {
  for (const k of st.generatedKeys()) delete st.dict[k]
  st.generated = undefined
  st.identityKey = undefined
}

/**
 * Undo a rolled-back transaction (or savepoint) in memory, as SQLAlchemy
 * does: objects added or inserted in it are expunged (and lose the keys
 * the database gave them, so adding them again inserts afresh), objects
 * deleted in it are back, and everything else is expired.
 */
export function undoScope(core: SessionCore, scope: TxScope, expireAll: Iterable<object>): void {
  for (const st of [...scope.inserted, ...scope.added, ...core.newStates]) {
    if (st.owner !== core && st.owner !== undefined) continue
    core.detach(st)
    clearGenerated(st)
    st.status = 'transient'
    // re-adding must insert everything again: collections count as new
    st.resetChanges()
  }
  for (const st of scope.deleted) {
    if (!st.identityKey) continue
    st.status = 'persistent'
    st.owner = core
    core.register(st)
  }
  core.deletedStates.clear()
  core.dirtyStates.clear()
  for (const obj of expireAll) expireState((obj as any)[STATE])
}

/** Fold a committed savepoint's record into its parent's. */
export function mergeScope(into: TxScope, from: TxScope): void {
  for (const st of from.inserted) into.inserted.push(st)
  for (const st of from.added) into.added.push(st)
  for (const st of from.deleted) into.deleted.add(st)
  for (const st of from.updated) into.updated.add(st)
}

/** A committed transaction's record: deleted objects are detached, generated keys are final. */
export function committedScope(s: TxScope): void {
  // a plain function with indexed loops: per object, for-of in an async method allocates an iterator result
  s.deleted.forEach((st) => { st.owner = undefined; st.status = 'detached' })
  const ins = s.inserted
  for (let i = 0; i < ins.length; i++) ins[i].generated = undefined
}
