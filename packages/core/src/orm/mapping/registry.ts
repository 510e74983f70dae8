import { ArgumentError } from '../../errors/errors.js'
import type { MetaData } from '../../sql/schema/metadata.js'
import { collectFields } from './fields.js'
import { Mapper } from './mapper.js'
import { MAPPER } from './state-symbols.js'
import { METADATA } from './symbol-metadata.js'

const REGISTRY = Symbol.for('retort.orm.registry')

/** The mappers of one MetaData, configured (relationships resolved) together. */
export class Registry {
  readonly mappers: Mapper[] = []
  configured = false
}

/** The mapper registry kept on a MetaData. */
export function registryOf(md: MetaData): Registry {
  const slot = md as unknown as { [REGISTRY]?: Registry }
  return (slot[REGISTRY] ??= new Registry())
}

const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** The mapper built from a decorator metadata object (built on first call). */
export function mapperForMeta(meta: object): Mapper | undefined {
  if (hasOwn(meta, MAPPER)) return (meta as any)[MAPPER]
  const { info, fields } = collectFields(meta)
  if (!info) return undefined
  const mapper = new Mapper(info, fields)
  Object.defineProperty(meta, MAPPER, { value: mapper, enumerable: false })
  const reg = registryOf(mapper.metadata)
  reg.mappers.push(mapper)
  reg.configured = false
  return mapper
}

/** The mapper of a model class. */
export function mapperOf(cls: Function): Mapper {
  const meta = (cls as any)?.[METADATA]
  const mapper = meta ? mapperForMeta(meta) : undefined
  if (!mapper) throw new ArgumentError(`${(cls as any)?.name ?? String(cls)} is not a mapped model (extend Model(...))`)
  if (!mapper.cls && cls !== mapper.info.base) mapper.cls = cls as any
  return mapper
}

/** The mapper of a class, or undefined when it is not a model. */
export function maybeMapperOf(x: unknown): Mapper | undefined {
  if (typeof x !== 'function') return undefined
  const meta = (x as any)[METADATA]
  if (!meta || typeof meta !== 'object') return undefined
  try { return mapperOf(x) } catch { return undefined }
}

const pending = new Set<object>()

/**
 * Decorated classes get no class decorator, so a field decorator schedules
 * the mapping of its class: once the module that declares it has run, the
 * table is registered in its MetaData (so `createAll` sees it). Mixin
 * classes in the middle of a chain are skipped; only the leaf is mapped.
 */
export function scheduleMapping(meta: object): void {
  if (pending.has(meta)) return
  pending.add(meta)
  if (pending.size === 1) queueMicrotask(mapPending)
}

function mapPending(): void {
  const metas = [...pending]
  pending.clear()
  for (const m of metas) {
    if (hasOwn(m, MAPPER)) continue
    if (metas.some((o) => o !== m && Object.prototype.isPrototypeOf.call(m, o))) continue
    mapperForMeta(m)
  }
}
