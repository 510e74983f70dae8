import { type InstanceState, NOT_LOADED } from '../mapping/instance-state.js'
import type { Sync } from './flush-plan.js'

/**
 * Copy referenced keys into foreign keys (or NULL) just before a row is
 * written, when the parent has its key. Keys copied from a parent inserted
 * in this transaction are remembered, so a rollback can clear them.
 */
export function applySyncs(syncs: Sync | readonly Sync[] | undefined): void {
  if (syncs === undefined) return
  if (!Array.isArray(syncs)) { applySync(syncs as Sync); return }
  for (let i = 0; i < syncs.length; i++) applySync(syncs[i])
}

function applySync(s: Sync): void {
  const rel = s.rel
  const fkMapper = rel.fkMapper
  const keyMapper = rel.keyMapper
  const pairs = rel.pairs
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]
    const childKey = fkMapper.keyOf(p.referencing)
    const value = s.parent ? s.parent.dict[keyMapper.keyOf(p.referenced)] : null
    if (value === undefined) continue
    setColumn(s.child, childKey, value)
    if (s.parent !== null && s.parent.generated !== undefined) s.child.markGenerated(childKey)
  }
}

/** Set a column value as the flush does: recorded as a change of a persistent object. */
export function setColumn(st: InstanceState, key: string, value: unknown): void {
  const d = st.dict
  const loaded = key in d
  if (loaded && d[key] === value) return
  const old = d[key]
  d[key] = value
  if (st.status === 'persistent') {
    const c = (st.committed ??= {})
    if (!(key in c)) c[key] = loaded ? old : NOT_LOADED
  }
}
