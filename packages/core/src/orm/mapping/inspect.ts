import { stateOf } from './instance-state.js'

/** An object's ORM status (`'transient' | 'pending' | 'persistent' | 'deleted' | 'detached'`) and identity key. */
export function inspectState(obj: object): { status: string; identityKey: string | undefined; loaded: string[] } {
  const st = stateOf(obj)
  return { status: st.status, identityKey: st.identityKey, loaded: Object.keys(st.dict) }
}
