import { ArgumentError, NoResultFound } from '../../errors/errors.js'
import type { Result } from '../../engine/result.js'
import { type Select, select } from '../../sql/builders/select.js'
import { and } from '../../sql/nodes/elements.js'
import { makeHydrator } from '../loading/hydrate.js'
import { selectinLoad } from '../loading/selectin.js'
import { identityKey } from '../mapping/identity.js'
import { type InstanceState, maybeState, stateOf } from '../mapping/instance-state.js'
import { mapperOf } from '../mapping/registry.js'
import type { ModelCtor } from '../mapping/types.js'
import { configureMappers } from '../relationships/configure.js'
import { relationshipsOf } from '../relationships/relationship.js'
import { changedKeys } from '../unit-of-work/persist-update.js'
import type { SessionCore } from './session-core.js'

/** Whether a state has attribute or collection changes not flushed. */
export function isModified(st: InstanceState): boolean {
  if (st.status === 'pending') return true
  if (changedKeys(st.mapper, st).length) return true
  if (st.committed) for (const k of Object.keys(st.committed)) if (st.mapper.relationships.has(k) && st.committed[k] !== st.dict[k]) return true
  for (const c of st.collectionChanges?.values() ?? []) if (c.added.size || c.removed.size) return true
  return false
}

/**
 * Mark for deletion. Relationships that must act on children (delete
 * cascade, or nulling their foreign keys) are loaded first unless
 * `passiveDeletes` leaves unloaded children to the database.
 */
export async function deleteObject(core: SessionCore, obj: object, seen = new Set<InstanceState>()): Promise<void> {
  const st = stateOf(obj)
  if (seen.has(st)) return
  seen.add(st)
  if (st.status === 'pending') { core.detach(st); return }
  if (st.status !== 'persistent') throw new ArgumentError(`${st.mapper.name} object is not persisted (status ${st.status}); nothing to delete`)
  if (st.owner !== core) core.attach(st)
  configureMappers(st.mapper)
  core.deletedStates.add(st)
  for (const rel of relationshipsOf(st.mapper).values()) {
    if (rel.direction === 'manyToOne' && !rel.cascade.delete) continue
    if (rel.direction === 'manyToMany' && !rel.cascade.delete) continue
    // no autoflush here: it would write the deletes marked so far in the middle of the cascade
    if (!(rel.key in st.dict) && !rel.passiveDeletes) await selectinLoad(core, rel, [st])
    if (!rel.cascade.delete) continue
    const v = st.dict[rel.key]
    for (const child of Array.isArray(v) ? [...v] : v ? [v as object] : []) await deleteObject(core, child, seen)
  }
}

/** `session.get(Model, pk)`: the identity map first, else one SELECT. */
export async function getObject(core: SessionCore, cls: ModelCtor, pk: unknown, run: (s: Select<any>) => Promise<Result<any>>): Promise<object | undefined> {
  const mapper = mapperOf(cls)
  const values = Array.isArray(pk) ? pk : [pk]
  if (values.length !== mapper.pkKeys.length) throw new ArgumentError(`${mapper.name} has a ${mapper.pkKeys.length}-column primary key (${mapper.pkKeys}); got ${values.length} value(s)`)
  if (values.some((v) => v === undefined)) throw new ArgumentError(`get(${mapper.name}, ...): a key value is undefined`)
  const key = identityKey(values)
  if (key === undefined) return undefined
  const hit = core.identityMap.get(mapper, key)
  if (hit) {
    const st = stateOf(hit)
    if (st.status === 'deleted' || core.deletedStates.has(st)) return undefined
    if (mapper.columnKeys.every((k) => k in st.dict)) return hit
  }
  const res = await run(select(cls).where(and(...mapper.pkColumns.map((c, i) => c.eq(values[i])))))
  const found = res.scalars().first() as object | undefined
  // the row is gone: the stale object leaves the session (SQLAlchemy's test_get_on_deleted_expunges)
  if (!found && hit) core.detach(stateOf(hit))
  return found
}

/** Reload columns (all, or `attrs`) of a persistent object; relationships named in `attrs` are reloaded too. */
export async function refreshObject(core: SessionCore, obj: object, attrs?: readonly string[]): Promise<void> {
  const st = stateOf(obj)
  if (st.owner !== core || st.identityKey === undefined) throw new ArgumentError(`${st.mapper.name} object is not persistent in this session; add or merge it first`)
  const m = st.mapper
  configureMappers(m)
  const colKeys = attrs ? attrs.filter((a) => m.columnKeys.includes(a)) : [...m.columnKeys]
  const relKeys = attrs ? attrs.filter((a) => m.relationships.has(a)) : []
  for (const a of attrs ?? []) if (!colKeys.includes(a) && !relKeys.includes(a)) throw new ArgumentError(`${m.name} has no attribute '${a}'`)
  const conn = await core.connection()
  if (colKeys.length) {
    const pk = m.pkKeys.map((k) => (st.committed && k in st.committed ? st.committed[k] : st.dict[k]))
    const cols = colKeys.map((k) => m.table.column(k)!)
    const res = await conn.execute(select(...cols).where(and(...m.pkColumns.map((c, i) => c.eq(pk[i])))))
    const row = res.rows[0]
    if (!row) throw new NoResultFound(`Could not refresh ${m.name} ${st.identityKey}: no row has that key any more`)
    colKeys.forEach((k, i) => { st.dict[k] = row[i]; if (st.committed) delete st.committed[k]; st.flagged?.delete(k) })
  }
  if (!attrs) { for (const k of m.relationships.keys()) delete st.dict[k]; st.collectionChanges = undefined }
  for (const k of relKeys) {
    delete st.dict[k]
    st.collectionChanges?.delete(k)
    await selectinLoad(core, relationshipsOf(m).get(k)!, [st])
  }
}

/** Copy `obj`'s loaded state onto the session's object with its key (loaded, or created as pending). */
export async function mergeObject(core: SessionCore, obj: object, memo: Map<object, object>): Promise<object> {
  const done = memo.get(obj)
  if (done) return done
  const st = stateOf(obj)
  if (st.owner === core) { memo.set(obj, obj); return obj }
  const m = st.mapper
  configureMappers(m)
  const key = m.identityKeyOf(st.dict)
  let target: object | undefined = key === undefined ? undefined : core.identityMap.get(m, key)
  if (!target && key !== undefined) {
    const conn = await core.connection()
    const res = await conn.execute(select(...m.columns).where(and(...m.pkColumns.map((c, i) => c.eq(m.pkValues(st.dict)[i])))))
    if (res.rows[0]) {
      target = makeHydrator(core, m)(res.rows[0], 0)!
    }
  }
  if (!target) {
    const Cls = m.cls as unknown as new () => object
    target = new Cls()
    core.attach(stateOf(target))
  }
  memo.set(obj, target)
  const ts = stateOf(target)
  for (const k of m.columnKeys) if (k in st.dict && ts.dict[k] !== st.dict[k]) m.attributes[k].set(ts, st.dict[k])
  for (const rel of relationshipsOf(m).values()) {
    if (!rel.cascade.merge || !(rel.key in st.dict)) continue
    const v = st.dict[rel.key]
    if (Array.isArray(v)) {
      const items: object[] = []
      for (const o of v) items.push(await mergeObject(core, o, memo))
      if (!(rel.key in ts.dict) && ts.hasIdentity) await selectinLoad(core, rel, [ts])
      m.attributes[rel.key].set(ts, items)
    } else {
      const merged = v && maybeState(v) ? await mergeObject(core, v as object, memo) : null
      m.attributes[rel.key].set(ts, merged)
    }
  }
  return target
}
