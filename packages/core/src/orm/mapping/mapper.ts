import { ArgumentError } from '../../errors/errors.js'
import type { Column } from '../../sql/nodes/from.js'
import type { MetaData } from '../../sql/schema/metadata.js'
import { metadata as defaultMetadata } from '../../sql/schema/metadata.js'
import { type ColumnDef, Table, isColumnDef } from '../../sql/schema/table.js'
import type { RelationshipDefinition } from '../relationships/relationship-options.js'
import type { AttributeImpl } from './accessors.js'
import { columnAttribute } from './column-attribute.js'
import { type FieldDef, type ModelBaseInfo, isRelationshipDef } from './fields.js'
import { canonicalValue, identityKey } from './identity.js'

/** What the mapper itself knows of a configured relationship (the full class lives in relationships/). */
export interface MapperRelationship {
  readonly key: string
  readonly kind: RelationshipDefinition['kind']
}

/**
 * How one model maps to one table: its columns by attribute key, primary
 * key, relationships, and the attribute implementations the accessors
 * delegate to. Built once per model from its declared fields.
 */
export class Mapper {
  /** The mapped class, once seen (hydration creates instances of it). */
  cls: (abstract new (...a: any[]) => any) | undefined
  readonly name: string
  readonly table: Table<any>
  readonly metadata: MetaData
  /** Column attribute keys, in table column order. */
  readonly columnKeys: readonly string[]
  readonly columns: readonly Column<any>[]
  readonly pkKeys: readonly string[]
  readonly pkColumns: readonly Column<any>[]
  readonly keyOfColumn = new Map<Column<any>, string>()
  readonly relationshipDefs = new Map<string, RelationshipDefinition>()
  readonly relationships = new Map<string, MapperRelationship>()
  readonly attributes: Record<string, AttributeImpl> = Object.create(null)
  readonly versionKey: string | undefined
  /** Columns a new row may need filled in before its INSERT: a client default or a version counter. */
  readonly defaultedColumns: readonly Column<any>[]
  /** What `select(Model)` selects: every column of the table. */
  readonly entityInfo: { from: Table<any>; columns: readonly Column<any>[] }
  /** `Model.c`, built on first use. */
  c: object | undefined
  /** @internal The relationships as the unit of work walks them (relationships/relationship-lists.ts keeps them here). */
  relationshipLists: unknown = undefined
  private readonly Dict = dictClass()

  constructor(readonly info: ModelBaseInfo, fields: Map<string, FieldDef>) {
    this.name = info.name
    this.metadata = info.options.metadata ?? defaultMetadata
    const columnDefs: Record<string, ColumnDef<any>> = {}
    for (const [key, def] of fields) {
      if (isRelationshipDef(def)) this.relationshipDefs.set(key, def)
      else if (isColumnDef(def)) columnDefs[key] = def
      else throw new ArgumentError(`Model('${info.name}'): '${key}' is neither a column() nor a relationship`)
    }
    const { metadata: _m, ...tableOptions } = info.options
    this.table = new Table(info.name, columnDefs, { ...tableOptions, metadata: this.metadata })
    this.columns = this.table.columns
    this.columnKeys = this.columns.map((c) => c.key)
    for (const c of this.columns) this.keyOfColumn.set(c, c.key)
    this.pkColumns = this.table.primaryKey
    if (!this.pkColumns.length) throw new ArgumentError(`Model('${info.name}') has no primary key: give a column { primaryKey: true }`)
    this.pkKeys = this.pkColumns.map((c) => c.key)
    this.versionKey = this.columns.find((c) => c.options.versionCounter)?.key
    this.defaultedColumns = this.columns.filter((c) => c.options.default !== undefined || c.options.versionCounter)
    for (const k of this.columnKeys) this.attributes[k] = columnAttribute(k)
    this.entityInfo = Object.freeze({ from: this.table, columns: this.columns })
  }

  /** Identity key from an object's loaded attributes; undefined until its primary key is known. */
  identityKeyOf(dict: Record<string, unknown>): string | undefined {
    const keys = this.pkKeys
    if (keys.length === 1) {
      // the common single key: no array per call (a flush keys thousands of new rows)
      const v = dict[keys[0]]
      return v === undefined || v === null ? undefined : canonicalValue(v)
    }
    return identityKey(keys.map((k) => dict[k]))
  }

  /** An empty attribute dict for a new object (see `dictClass`). */
  newDict(): Record<string, unknown> { return new this.Dict() }

  /** Primary-key values of an object's loaded attributes. */
  pkValues(dict: Record<string, unknown>): unknown[] { return this.pkKeys.map((k) => dict[k]) }

  /** The attribute key of a column of this table. */
  keyOf(col: Column<any>): string {
    const k = this.keyOfColumn.get(col)
    if (k === undefined) throw new ArgumentError(`column ${col.name} is not mapped by ${this.name}`)
    return k
  }
}

/**
 * A constructor of one mapper's empty dicts. V8 sizes the objects a
 * constructor makes by the properties they come to have, so a new object's
 * attributes, its relationships and the keys a flush adds stay inside the
 * dict (an empty `{}` has room for four, then allocates a separate property
 * store: per object of a flush of thousands). The prototype is an empty
 * object over Object.prototype (no own `constructor`): a dict reads as `{}` does.
 */
function dictClass(): new () => Record<string, unknown> {
  function Dict(): void {}
  Dict.prototype = Object.create(Object.prototype)
  return Dict as unknown as new () => Record<string, unknown>
}
