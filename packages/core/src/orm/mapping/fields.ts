import type { ColumnDef, TableOptions } from '../../sql/schema/table.js'
import type { MetaData } from '../../sql/schema/metadata.js'
import { FIELDS, MODEL_BASE, RELATIONSHIP_DEF } from './state-symbols.js'
import type { RelationshipDefinition } from '../relationships/relationship-options.js'

/** A declared attribute: a column or a relationship. */
export type FieldDef = ColumnDef<any> | RelationshipDefinition

export function isRelationshipDef(x: unknown): x is RelationshipDefinition {
  return (typeof x === 'function' || typeof x === 'object') && x !== null && (x as any)[RELATIONSHIP_DEF] === true
}

/** Options of `Model(name, fields, options)`. */
export interface ModelOptions extends Omit<TableOptions, 'metadata'> {
  /** Where the table registers (default: core's exported `metadata`). */
  metadata?: MetaData
}

/** What `Model()` records on its base class's metadata object. */
export interface ModelBaseInfo {
  readonly name: string
  readonly fields: Record<string, FieldDef> | undefined
  readonly options: ModelOptions
  base: Function
}

/** Record a field declared by a decorator on the class's decorator metadata object. */
export function declareField(meta: object, key: string, def: FieldDef): void {
  const own = Object.prototype.hasOwnProperty.call(meta, FIELDS) ? (meta as any)[FIELDS] as Map<string, FieldDef> : undefined
  const map = own ?? new Map<string, FieldDef>()
  if (!own) Object.defineProperty(meta, FIELDS, { value: map, enumerable: false })
  map.set(key, def)
}

/** The model info and every field along a metadata chain (base first, the class's own last). */
export function collectFields(meta: object): { info: ModelBaseInfo | undefined; fields: Map<string, FieldDef> } {
  const chain: object[] = []
  for (let m: any = meta; m; m = Object.getPrototypeOf(m)) chain.unshift(m)
  const fields = new Map<string, FieldDef>()
  let info: ModelBaseInfo | undefined
  for (const m of chain) {
    if (Object.prototype.hasOwnProperty.call(m, MODEL_BASE)) {
      info = (m as any)[MODEL_BASE]
      for (const [k, d] of Object.entries(info!.fields ?? {})) fields.set(k, d)
    }
    const own = Object.prototype.hasOwnProperty.call(m, FIELDS) ? (m as any)[FIELDS] as Map<string, FieldDef> : undefined
    if (own) for (const [k, d] of own) fields.set(k, d)
  }
  return { info, fields }
}
