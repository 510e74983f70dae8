import { DetachedInstanceError, ExpiredAttributeError } from '../../errors/errors.js'
import type { AttributeImpl } from './accessors.js'
import type { InstanceState } from './instance-state.js'

/** Get/set of a column attribute: reads `dict`, records changes for the flush. */
export function columnAttribute(key: string): AttributeImpl {
  return {
    get(st: InstanceState): unknown {
      const d = st.dict
      const v = d[key]
      if (v !== undefined || key in d) return v
      return unloadedColumn(st, key)
    },
    set(st: InstanceState, value: unknown): void {
      const d = st.dict
      const loaded = key in d
      const old = d[key]
      if (loaded && old === value) return
      d[key] = value
      st.modified(key, old, loaded)
    },
  }
}

function unloadedColumn(st: InstanceState, key: string): unknown {
  if (st.status === 'transient' || st.status === 'pending') return undefined
  const name = `${st.mapper.name}.${key}`
  if (st.owner?.isOpen) {
    throw new ExpiredAttributeError(`${name} is expired (the session expired it, e.g. on commit) and async code cannot load it implicitly: await session.refresh(obj) first, or use sessionmaker(engine, { expireOnCommit: false })`)
  }
  throw new DetachedInstanceError(`${name} is not loaded and the object is detached from its session, so nothing can load it; merge() it into a session and refresh it`)
}
