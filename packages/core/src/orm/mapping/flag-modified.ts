import { ArgumentError } from '../../errors/errors.js'
import { stateOf } from './instance-state.js'

/**
 * Mark an attribute changed after an in-place edit the accessors cannot
 * see (e.g. `user.doc.tags.push('x')` on a Json column).
 */
export function flagModified(obj: object, key: string): void {
  const st = stateOf(obj)
  if (!st.mapper.attributes[key]) throw new ArgumentError(`${st.mapper.name} has no attribute '${key}'`)
  if (!(key in st.dict)) throw new ArgumentError(`${st.mapper.name}.${key} is not loaded; nothing to flag`)
  ;(st.flagged ??= new Set()).add(key)
  if (st.status === 'persistent') st.owner?.markDirty(st)
}
