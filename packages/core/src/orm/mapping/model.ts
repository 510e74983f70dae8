import { ArgumentError, DetachedInstanceError } from '../../errors/errors.js'
import { ENTITY } from '../../sql/builders/protocols.js'
import { isColumnDef } from '../../sql/schema/table.js'
import { configureMappers } from '../relationships/configure.js'
import { defineAccessor } from './accessors.js'
import { type FieldDef, type ModelBaseInfo, type ModelOptions, isRelationshipDef } from './fields.js'
import { InstanceState, stateOf } from './instance-state.js'
import { modelColumns } from './model-columns.js'
import { mapperForMeta, mapperOf } from './registry.js'
import { MODEL_BASE, STATE } from './state-symbols.js'
import { METADATA } from './symbol-metadata.js'
import type { ModelClass, ObjectModelClass } from './types.js'

/**
 * The base class of a model. Decorator style:
 * `class User extends Model<User>('users') { @column(...) accessor id!: number }`;
 * object style: `class User extends Model('users', { id: column(...) }) {}`.
 * Both register a `Table` in `metadata` (or `{ metadata }`).
 */
export function Model<T>(name: string, options?: ModelOptions): ModelClass<T>
export function Model<const D extends Record<string, FieldDef>>(name: string, fields: D, options?: ModelOptions): ObjectModelClass<D>
export function Model(name: string, fieldsOrOptions?: object, maybeOptions?: ModelOptions): unknown {
  if (typeof name !== 'string' || !name) throw new ArgumentError('Model(name, ...): give the table name')
  const isFields = fieldsOrOptions !== undefined && Object.values(fieldsOrOptions).some((v) => isColumnDef(v) || isRelationshipDef(v))
  const fields = isFields ? fieldsOrOptions as Record<string, FieldDef> : undefined
  const options = (isFields ? maybeOptions : fieldsOrOptions as ModelOptions | undefined) ?? {}
  const info: ModelBaseInfo = { name, fields, options, base: Object }

  class ModelBase {
    constructor(attrs?: Record<string, unknown>) {
      const mapper = mapperOf(new.target)
      configureMappers(mapper)
      const st = new InstanceState(mapper, this, mapper.newDict(), 'transient')
      ;(this as any)[STATE] = st
      if (attrs) {
        // for-in, not Object.keys: no key array per object (a flush may build thousands); own keys only
        for (const k in attrs) {
          if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue
          const impl = mapper.attributes[k]
          if (!impl) throw new ArgumentError(`${mapper.name}: unknown attribute '${k}' (attributes: ${Object.keys(mapper.attributes).join(', ')})`)
          const v = attrs[k]
          if (v !== undefined) impl.set(st, v)
        }
      }
    }
    /** The mapped Table. */
    static get table() { return mapperOf(this).table }
    /** Column expressions and relationships for queries. */
    static get c() { const m = mapperOf(this); return (m.c ??= modelColumns(m)) }
    static get [ENTITY]() { const m = mapperOf(this); return () => m.entityInfo }
    /** Loaded column attributes (for `JSON.stringify`). */
    toJSON(): Record<string, unknown> { return toJSON(this) }
    /** `await obj.awaitable.orders` loads a relationship that is not loaded. */
    get awaitable(): Record<string, Promise<unknown>> { return awaitable(this) }
  }
  info.base = ModelBase
  Object.defineProperty(ModelBase, METADATA, { value: Object.create(null, { [MODEL_BASE]: { value: info } }), writable: true, configurable: true })
  if (fields) {
    for (const key of Object.keys(fields)) defineAccessor(ModelBase.prototype, key)
    mapperForMeta((ModelBase as any)[METADATA])
  }
  return ModelBase
}

function toJSON(obj: object): Record<string, unknown> {
  const st = stateOf(obj)
  const out: Record<string, unknown> = {}
  for (const k of st.mapper.columnKeys) {
    if (!(k in st.dict)) continue
    const v = st.dict[k]
    out[k] = typeof v === 'bigint' ? v.toString() : v
  }
  return out
}

function awaitable(obj: object): Record<string, Promise<unknown>> {
  const st = stateOf(obj)
  return new Proxy({}, {
    get(_t, key) {
      if (typeof key !== 'string') return undefined
      if (key === 'then') return undefined
      if (!st.owner) return Promise.reject(new DetachedInstanceError(`${st.mapper.name}.${key}: the object has no session to load it with`))
      return st.owner.loadRelationship(obj, key)
    },
  })
}
