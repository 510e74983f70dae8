import type { Select } from '../../sql/builders/select.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { STATE } from '../mapping/state-symbols.js'
import { configureMappers } from '../relationships/configure.js'
import { relationshipsOf } from '../relationships/relationship.js'
import type { SessionCore } from '../session/session-core.js'
import type { LoadPlan } from './loader-options.js'
import { selectinLoad, setLoaded } from './selectin.js'
import { subqueryLoad } from './subquery.js'

/** Tracks (object, relationship) pairs already handled in one load, so bidirectional eager defaults terminate. */
export type Visited = WeakMap<object, Set<string>>

/**
 * Run the loaders for freshly loaded objects of one mapper: the query's
 * options where given, else each relationship's `lazy` default; then
 * recurse into the related objects along the plan.
 */
export async function loadRelationships(
  core: SessionCore, mapper: Mapper, objects: readonly object[], plan: LoadPlan, original?: Select<any>, visited: Visited = new WeakMap(),
): Promise<void> {
  if (!objects.length) return
  configureMappers(mapper)
  for (const rel of relationshipsOf(mapper).values()) {
    const node = plan.get(rel)
    const strategy = node?.strategy ?? rel.lazy
    const mark = `${mapper.name}.${rel.key}`
    const states: InstanceState[] = []
    for (const o of objects) {
      let seen = visited.get(o)
      if (!seen) { seen = new Set(); visited.set(o, seen) }
      if (seen.has(mark)) continue
      seen.add(mark)
      states.push((o as any)[STATE])
    }
    if (!states.length) continue
    if (strategy === 'raise' && !node) continue
    if (strategy === 'noload') { for (const st of states) if (!(rel.key in st.dict)) setLoaded(st, rel, []); continue }
    // an explicit option reads the database even for objects whose relationship is in memory
    const force = node?.strategy !== undefined
    if (strategy === 'selectin') await selectinLoad(core, rel, states, force)
    else if (strategy === 'joined') await selectinLoad(core, rel, states, false)
    else if (strategy === 'subquery') await subqueryLoad(core, rel, states, original, force)
    const children = new Set<object>()
    for (const st of states) {
      const v = st.dict[rel.key]
      if (Array.isArray(v)) for (const c of v) children.add(c)
      else if (v) children.add(v as object)
    }
    if (children.size && (node?.children.size || hasEagerDefaults(rel.target))) {
      await loadRelationships(core, rel.target, [...children], node?.children ?? new Map(), undefined, visited)
    }
  }
}

/** Whether any relationship of the mapper loads by default (`lazy` other than 'raise'). */
export function hasEagerDefaults(mapper: Mapper): boolean {
  configureMappers(mapper)
  for (const r of relationshipsOf(mapper).values()) if (r.lazy !== 'raise') return true
  return false
}
