import { generated } from '../../engine/codegen.js'
import { ArgumentError } from '../../errors/errors.js'
import { canonicalValue, identityKey } from '../mapping/identity.js'
import { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { STATE } from '../mapping/state-symbols.js'
import { indexOfKey, indexOfNumber } from '../session/identity-store.js'
import type { SessionCore } from '../session/session-core.js'

type DictFactory = (row: readonly unknown[], offset: number) => Record<string, unknown>
const FACTORY = Symbol('retort.dictFactory')

/**
 * A per-mapper function that builds an object's attribute dict from a row
 * slice with a fixed property order (one hidden class: hydration stays
 * monomorphic instead of growing each dict key by key).
 */
function dictFactory(mapper: Mapper): DictFactory {
  const cached = (mapper as any)[FACTORY] as DictFactory | undefined
  if (cached) return cached
  const keys = mapper.columnKeys
  const body = 'return function makeDict(row, o) { return {' + keys.map((k, i) => `${JSON.stringify(k)}: row[o + ${i}]`).join(', ') + '} }'
  const f = generated<DictFactory>([], [], body) ?? ((row, o) => {
    const d: Record<string, unknown> = {}
    for (let i = 0; i < keys.length; i++) d[keys[i]] = row[o + i]
    return d
  })
  Object.defineProperty(mapper, FACTORY, { value: f })
  return f
}

type Shell = new (state: InstanceState) => object
const SHELL = Symbol('retort.shell')

/**
 * A per-class constructor that makes an instance of the model (its
 * prototype) with the state slot already in place, without running the
 * model's constructor: faster than `Object.create(prototype)` plus a
 * property store (the slot is part of the object's initial shape).
 */
function shellFor(cls: Function): Shell {
  const own = Object.prototype.hasOwnProperty.call(cls, SHELL) ? (cls as any)[SHELL] as Shell : undefined
  if (own) return own
  const shell = generated<Shell>(['STATE'], [STATE], 'return function Shell(st) { this[STATE] = st }') ?? plainShell()
  shell.prototype = cls.prototype
  Object.defineProperty(cls, SHELL, { value: shell })
  return shell
}

/** Where code generation is refused: a shell constructor shared in code (its stores see every model's shape). */
function plainShell(): Shell {
  return function Shell(this: Record<symbol, unknown>, st: InstanceState) { this[STATE] = st } as unknown as Shell
}

/** Turns a slice of a row into the session's object for that primary key. */
export type Hydrator = (row: readonly unknown[], offset: number) => object | null
/** Turns a driver's object row (keyed by the mapper's attribute keys) into the session's object; the row becomes its dict. */
export type ObjectHydrator = (row: Record<string, unknown>) => object | null

/** Set by `slotOf` when the key has no integer slot: the canonical key string. */
let keyOfLast: string | undefined

/** The identity-map slot of a one-column key (an integer finds its slot without a key string), or -1 with `keyOfLast` set. */
function slotOf(v: unknown): number {
  keyOfLast = undefined
  const idx = typeof v === 'number' ? indexOfNumber(v) : -1
  if (idx >= 0) return idx
  keyOfLast = typeof v === 'string' ? v : canonicalValue(v)
  return indexOfKey(keyOfLast)
}

/** A new persistent object for a row: a shell with its state, put in the identity map. */
function attach(core: SessionCore, mapper: Mapper, Shell: Shell, map: IdentityMapFor, dict: Record<string, unknown>, idx: number, key: string | undefined): object {
  const st = new InstanceState(mapper, undefined as unknown as object, dict, 'persistent')
  const obj = new Shell(st)
  ;(st as { obj: object }).obj = obj
  st.owner = core
  st.identityKey = key ?? String(idx)
  if (idx >= 0) map.setIndex(idx, obj)
  else map.setKeyed(key!, obj)
  return obj
}

type IdentityMapFor = ReturnType<SessionCore['identityMap']['mapFor']>

function prepare(core: SessionCore, mapper: Mapper): { map: IdentityMapFor; Shell: Shell } {
  const cls = mapper.cls
  if (!cls) throw new ArgumentError(`${mapper.name}: the model class was never seen; reference it (e.g. select(Model)) before loading`)
  return { map: core.identityMap.mapFor(mapper), Shell: shellFor(cls) }
}

/**
 * A hydrator for one mapper and session: the identity map is consulted
 * first (one object per key); a new object is made with
 * `Object.create(prototype)` and a prebuilt state (no constructor run).
 * An object already in the session keeps its loaded and changed values;
 * only its expired attributes are filled in (or all of them, `overwrite`).
 */
export function makeHydrator(core: SessionCore, mapper: Mapper, overwrite = false): Hydrator {
  const keys = mapper.columnKeys
  const n = keys.length
  const pkIdx = mapper.pkKeys.map((k) => keys.indexOf(k))
  const single = pkIdx.length === 1 ? pkIdx[0] : -1
  const { map, Shell } = prepare(core, mapper)
  const makeDict = dictFactory(mapper)
  return (row, o) => {
    let key: string | undefined
    let idx: number
    if (single >= 0) {
      const v = row[o + single]
      if (v === null || v === undefined) return null
      idx = slotOf(v)
      key = keyOfLast
    } else {
      key = identityKey(pkIdx.map((i) => row[o + i]))
      if (key === undefined) return null
      idx = -1
    }
    const hit = idx >= 0 ? map.getIndex(idx) : map.getKeyed(key!)
    if (hit !== undefined) {
      const st = (hit as any)[STATE] as InstanceState
      const d = st.dict
      for (let i = 0; i < n; i++) {
        const k = keys[i]
        if (overwrite ? !(st.committed && k in st.committed) : !(k in d)) d[k] = row[o + i]
      }
      return hit
    }
    return attach(core, mapper, Shell, map, makeDict(row, o), idx, key)
  }
}

/**
 * `makeHydrator` for object rows whose keys are exactly the mapper's
 * attribute keys (one-column primary key): a new object's dict is the row
 * itself (no copy); an object already in the session takes only its
 * unloaded attributes from it.
 */
export function makeObjectHydrator(core: SessionCore, mapper: Mapper): ObjectHydrator {
  const keys = mapper.columnKeys
  const n = keys.length
  const pk = mapper.pkKeys[0]
  const { map, Shell } = prepare(core, mapper)
  return (row) => {
    const v = row[pk]
    if (v === null || v === undefined) return null
    const idx = slotOf(v)
    const key = keyOfLast
    const hit = idx >= 0 ? map.getIndex(idx) : map.getKeyed(key!)
    if (hit !== undefined) {
      const d = ((hit as any)[STATE] as InstanceState).dict
      for (let i = 0; i < n; i++) { const k = keys[i]; if (!(k in d)) d[k] = row[k] }
      return hit
    }
    return attach(core, mapper, Shell, map, row, idx, key)
  }
}
