import { ArgumentError } from '../../errors/errors.js'
import { type SqlType, type TypeArg, resolveType } from '../types/type.js'
import { Alias, Column, type ColumnOptions, FromClause } from '../nodes/from.js'
import type { KeyWriter } from '../nodes/node.js'
import { type MetaData, metadata as defaultMetadata } from './metadata.js'

export const COLUMN_DEF = Symbol.for('retort.columnDef')

/** A column declaration, before it is bound to a table. */
export interface ColumnDef<T = unknown> {
  readonly [COLUMN_DEF]: true
  readonly type: SqlType
  readonly options: ColumnOptions<any>
  /** Phantom: JS type of the column's values. */
  readonly __js?: T
}

export function isColumnDef(x: unknown): x is ColumnDef {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && (x as any)[COLUMN_DEF] === true
}

type NotNullOpts = { primaryKey: true } | { nullable: false }

/** Declare a column (for `table()`). Nullable unless `nullable: false` or `primaryKey: true`. */
export function columnDef<T>(type: TypeArg<T>, options: ColumnOptions<T> & NotNullOpts): ColumnDef<T>
export function columnDef<T>(type: TypeArg<T>, options?: ColumnOptions<T>): ColumnDef<T | null>
export function columnDef<T>(type: TypeArg<T>, options: ColumnOptions<T> = {}): ColumnDef<any> {
  return Object.freeze({ [COLUMN_DEF]: true as const, type: resolveType(type), options: Object.freeze({ ...options }) })
}

export interface ForeignKeyConstraint {
  readonly columns: readonly Column<any>[]
  /** `table.column` strings, resolved through the metadata at DDL time. */
  readonly references: readonly string[]
  readonly onDelete?: string
  readonly onUpdate?: string
  readonly name?: string
  /** Created with ALTER TABLE after both tables exist (a cycle). */
  useAlter?: boolean
}

export interface IndexDef { readonly name: string; readonly columns: readonly string[]; readonly unique?: boolean }
export interface UniqueDef { readonly name?: string; readonly columns: readonly string[] }
export interface CheckDef { readonly name?: string; readonly sql: string }

export interface TableOptions {
  metadata?: MetaData
  schema?: string
  indexes?: readonly IndexDef[]
  uniques?: readonly UniqueDef[]
  checks?: readonly CheckDef[]
  /** Composite foreign keys: `{ columns: ['a', 'b'], references: ['t.a', 't.b'] }` (attribute keys). */
  foreignKeys?: readonly { columns: readonly string[]; references: readonly string[]; onDelete?: string; onUpdate?: string; name?: string }[]
}

/** Typed column map of a table built from column declarations. */
export type ColumnsFromDefs<D> = { readonly [K in keyof D]: D[K] extends ColumnDef<infer T> ? Column<T> : never }

export class Table<C extends Record<string, Column<any>> = Record<string, Column<any>>> extends FromClause {
  readonly visitName = 'table'
  readonly isFrom = true as const
  readonly c: C
  readonly columns: readonly Column<any>[]
  readonly primaryKey: readonly Column<any>[]
  readonly foreignKeys: ForeignKeyConstraint[] = []
  readonly indexes: IndexDef[]
  readonly uniques: UniqueDef[]
  readonly checks: CheckDef[]
  readonly schema?: string
  metadata?: MetaData

  constructor(readonly name: string, defs: Record<string, ColumnDef<any>>, options: TableOptions = {}) {
    super()
    const naming = (options.metadata ?? defaultMetadata).naming
    const c: Record<string, Column<any>> = {}
    const cols: Column<any>[] = []
    for (const [key, def] of Object.entries(defs)) {
      if (!isColumnDef(def)) throw new ArgumentError(`table('${name}'): '${key}' is not a column()`)
      const dbName = def.options.name ?? (naming ? naming(key) : key)
      const col = new Column(dbName, def.type, this, def.options, key)
      c[key] = col
      cols.push(col)
      if (def.options.foreignKey) {
        this.foreignKeys.push({ columns: [col], references: [def.options.foreignKey], onDelete: def.options.onDelete, onUpdate: def.options.onUpdate })
      }
    }
    for (const fk of options.foreignKeys ?? []) {
      this.foreignKeys.push({ ...fk, columns: fk.columns.map((k) => c[k] ?? bad(name, k)) })
    }
    this.c = Object.freeze(c) as C
    this.columns = Object.freeze(cols)
    this.primaryKey = Object.freeze(cols.filter((x) => x.options.primaryKey))
    this.indexes = [...(options.indexes ?? [])]
    for (const col of cols) if (col.options.index) this.indexes.push({ name: `ix_${name}_${col.name}`, columns: [col.key], unique: false })
    this.uniques = [...(options.uniques ?? [])]
    this.checks = [...(options.checks ?? [])]
    this.schema = options.schema
    ;(options.metadata ?? defaultMetadata).add(this)
  }

  cacheKey(w: KeyWriter): void { w.parts.push('t', this.schema ?? '', this.name) }

  /** An alias of this table (`FROM users AS u`), for self-joins. */
  alias(name?: string): Alias<C> { return new Alias<C>(this, name, this.columns) }

  /** Look a column up by attribute key or database name. */
  column(keyOrName: string): Column<any> | undefined {
    return (this.c as Record<string, Column<any>>)[keyOrName] ?? this.columns.find((x) => x.name === keyOrName)
  }

  /** Whether the column autoincrements (an Integer primary key alone, unless turned off). */
  isAutoincrement(col: Column<any>): boolean {
    if (col.options.autoincrement !== undefined) return col.options.autoincrement
    return this.primaryKey.length === 1 && this.primaryKey[0] === col &&
      (col.type.kind === 'integer' || col.type.kind === 'biginteger') && !col.options.foreignKey
  }
}

function bad(table: string, key: string): never {
  throw new ArgumentError(`table('${table}'): no column '${key}'`)
}

/** Declare a table. Pass `{ metadata }` to register it for `createAll`. */
export function table<D extends Record<string, ColumnDef<any>>>(name: string, columns: D, options: TableOptions = {}): Table<ColumnsFromDefs<D>> {
  return new Table<ColumnsFromDefs<D>>(name, columns, options)
}

