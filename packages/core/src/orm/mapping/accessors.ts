import { ArgumentError } from '../../errors/errors.js'
import type { InstanceState } from './instance-state.js'
import { STATE } from './state-symbols.js'

/** How one mapped attribute reads and writes an object's state. */
export interface AttributeImpl {
  get(state: InstanceState): unknown
  set(state: InstanceState, value: unknown): void
}

/** Read attribute `key` of a mapped object through its mapper. */
export function readAttribute(obj: any, key: string): unknown {
  const st = obj[STATE] as InstanceState
  return st.mapper.attributes[key].get(st)
}

/** Write attribute `key` of a mapped object through its mapper. */
export function writeAttribute(obj: any, key: string, value: unknown): void {
  const st = obj[STATE] as InstanceState
  st.mapper.attributes[key].set(st, value)
}

/**
 * The `get`/`set`/`init` a field decorator returns: they read and write the
 * ORM's per-object state (never the accessor's private storage, which does
 * not exist yet while Model's constructor assigns attributes). `init` keeps
 * a class-body default unless the constructor already set the attribute.
 */
export function accessorFor<This, V>(key: string): ClassAccessorDecoratorResult<This, V> {
  return {
    get(this: This): V { return readAttribute(this, key) as V },
    set(this: This, value: V): void { writeAttribute(this, key, value) },
    init(this: This, value: V): V {
      if (value !== undefined) {
        const st = (this as any)[STATE] as InstanceState | undefined
        if (st && !(key in st.dict)) writeAttribute(this, key, value)
      }
      return value
    },
  }
}

/** Define plain get/set properties for object-style fields on a prototype. */
export function defineAccessor(proto: object, key: string): void {
  Object.defineProperty(proto, key, {
    configurable: true,
    enumerable: false,
    get(this: any) { return readAttribute(this, key) },
    set(this: any, v: unknown) { writeAttribute(this, key, v) },
  })
}

/** The decorator metadata object (defined by core's `Symbol.metadata` polyfill on Node 20). */
export function metadataOf(context: { metadata?: object | undefined; name: string | symbol }): object {
  if (!context.metadata) throw new ArgumentError(`decorator on '${String(context.name)}': no decorator metadata (Symbol.metadata); compile with standard decorators, not experimentalDecorators`)
  return context.metadata
}

/** Refuse decorators on anything but `accessor` fields. */
export function requireAccessor(context: { kind: string; name: string | symbol }, what: string): string {
  if (context.kind !== 'accessor' || typeof context.name !== 'string') {
    throw new ArgumentError(`@${what} decorates an 'accessor' field (e.g. \`@${what}(...) accessor ${String(context.name)}!: ...\`), not a ${context.kind}`)
  }
  return context.name
}
