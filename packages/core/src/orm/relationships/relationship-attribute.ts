import { ArgumentError, UnloadedRelationshipError } from '../../errors/errors.js'
import type { AttributeImpl } from '../mapping/accessors.js'
import type { InstanceState } from '../mapping/instance-state.js'
import { identityKey } from '../mapping/identity.js'
import { TrackedList } from './collection.js'
import type { Relationship } from './relationship.js'
import { appended, removed, setScalar } from './relationship-events.js'

/**
 * Get/set of a relationship attribute. Reading never does I/O: a new
 * object starts with an empty collection or `null`; a many-to-one whose
 * target is already in the session's identity map resolves from it; any
 * other unloaded relationship throws `UnloadedRelationshipError`.
 */
export function relationshipAttribute(rel: Relationship): AttributeImpl {
  const key = rel.key
  return {
    get(st: InstanceState): unknown {
      const d = st.dict
      const v = d[key]
      if (v !== undefined) return v
      return unloaded(st, rel)
    },
    set(st: InstanceState, value: unknown): void {
      if (rel.uselist) setCollection(st, rel, value)
      else {
        if (value === undefined) throw new ArgumentError(`${rel.owner.name}.${key}: assign null, not undefined`)
        setScalar(st, rel, value as object | null)
      }
    },
  }
}

function unloaded(st: InstanceState, rel: Relationship): unknown {
  const d = st.dict
  if (!st.hasIdentity) {
    const empty = rel.uselist ? TrackedList.owned(st, rel) : null
    d[rel.key] = empty
    return empty
  }
  if (rel.direction === 'manyToOne' && st.owner) {
    const values = rel.pairs.map((p) => d[rel.owner.keyOf(p.referencing)])
    if (values.some((v) => v === null)) { d[rel.key] = null; return null }
    const ref = rel.pairs.map((p) => rel.target.keyOf(p.referenced))
    if (ref.join() === rel.target.pkKeys.join()) {
      const k = identityKey(values)
      const hit = k === undefined ? undefined : st.owner.lookup(rel.target, k)
      if (hit) { d[rel.key] = hit; return hit }
    }
  }
  if (rel.lazy === 'noload') { const empty = rel.uselist ? TrackedList.owned(st, rel) : null; d[rel.key] = empty; return empty }
  const cls = rel.owner.name
  throw new UnloadedRelationshipError(
    `${cls}.${rel.key} is not loaded, and Retort never loads on attribute access (no hidden I/O in async code). ` +
    `Load it in the query with .options(selectinload(${modelName(rel)}.c.${rel.key})), ` +
    `or explicitly with await session.load(obj, '${rel.key}') or await obj.awaitable.${rel.key}`)
}

function modelName(rel: Relationship): string {
  return (rel.owner.cls as { name?: string } | undefined)?.name || rel.owner.name
}

function setCollection(st: InstanceState, rel: Relationship, value: unknown): void {
  if (!Array.isArray(value)) throw new ArgumentError(`${rel.owner.name}.${rel.key} is a collection: assign an array`)
  const d = st.dict
  const old = d[rel.key]
  const oldItems: object[] = Array.isArray(old) && old.length ? [...old] : []
  if (old === undefined && st.hasIdentity) {
    throw new UnloadedRelationshipError(`${rel.owner.name}.${rel.key} is not loaded; load it before replacing the whole collection (selectinload or await session.load(obj, '${rel.key}'))`)
  }
  const next = TrackedList.owned(st, rel, value as object[])
  d[rel.key] = next
  if (!oldItems.length) {
    // nothing to compare with (e.g. a new object's first assignment): every item is appended
    for (let i = 0; i < next.length; i++) appended(st, rel, next[i])
    return
  }
  const nextSet = new Set(next)
  const oldSet = new Set(oldItems)
  for (const o of oldItems) if (!nextSet.has(o)) removed(st, rel, o)
  for (const n of next) if (!oldSet.has(n)) appended(st, rel, n)
}
