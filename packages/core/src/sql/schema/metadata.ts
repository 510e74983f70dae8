import { ArgumentError } from '../../errors/errors.js'
import type { Node } from '../nodes/node.js'
import { AddForeignKey, CreateEnumType, CreateIndex, CreateTable, DropEnumType, DropForeignKey, DropTable, enumTypeName } from './ddl.js'
import type { ForeignKeyConstraint, Table } from './table.js'

/** What `createAll`/`dropAll` need from a connection. */
export interface DdlTarget {
  execute(stmt: Node): Promise<unknown>
  /** Names of the tables that exist now (for `checkFirst`). */
  tableNames(): Promise<string[]>
  /** Whether the backend can add a foreign key to an existing table. */
  readonly supportsAlterForeignKeys: boolean
  /** The dialect, when the target has one: its compiler says whether enums need `CREATE TYPE` first. */
  readonly dialect?: { createCompiler(): { readonly createsEnumTypes?: boolean } }
}

/** Named enum types of some tables, each once: `[name, values]`. */
function enumTypes(tables: readonly Table<any>[]): [string, readonly string[]][] {
  const out = new Map<string, readonly string[]>()
  for (const t of tables) for (const col of t.columns) if (col.type.kind === 'enum') out.set(enumTypeName(t, col), col.type.values ?? [])
  return [...out]
}

export type NamingConvention = 'snake_case' | ((attribute: string) => string)

export const snakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase()

/** A collection of tables, created and dropped together in foreign-key order. */
export class MetaData {
  readonly tables = new Map<string, Table<any>>()
  /** Attribute → column name mapping (`'snake_case'` or a function). */
  readonly naming?: (attribute: string) => string

  constructor(options: { naming?: NamingConvention } = {}) {
    const n = options.naming
    this.naming = n === 'snake_case' ? snakeCase : n
  }

  /** Register a table; a table of the same name replaces the old one. */
  add(table: Table<any>): void {
    this.tables.set(table.name, table)
    table.metadata = this
  }

  /** Resolve `'table.column'` to the table and column. */
  resolveReference(ref: string): { table: Table<any>; column: string } {
    const dot = ref.lastIndexOf('.')
    if (dot < 0) throw new ArgumentError(`foreign key '${ref}' must be 'table.column'`)
    const tableName = ref.slice(0, dot)
    const table = this.tables.get(tableName)
    if (!table) throw new ArgumentError(`foreign key '${ref}': no table '${tableName}' in this metadata`)
    const col = table.column(ref.slice(dot + 1))
    return { table, column: col ? col.name : ref.slice(dot + 1) }
  }

  /**
   * Tables in dependency order (referenced tables first), with the foreign
   * keys that close a cycle set aside to be added with ALTER TABLE.
   */
  sortedTables(): { order: Table<any>[]; cyclic: { table: Table<any>; fk: ForeignKeyConstraint }[] } {
    const order: Table<any>[] = []
    const cyclic: { table: Table<any>; fk: ForeignKeyConstraint }[] = []
    const state = new Map<Table<any>, 1 | 2>()
    const visit = (t: Table<any>): void => {
      state.set(t, 1)
      for (const fk of t.foreignKeys) {
        const target = this.tables.get(fk.references[0].slice(0, fk.references[0].lastIndexOf('.')))
        if (!target || target === t) continue
        const s = state.get(target)
        if (s === 1 || fk.useAlter) cyclic.push({ table: t, fk })
        else if (s === undefined) visit(target)
      }
      state.set(t, 2)
      order.push(t)
    }
    for (const t of [...this.tables.values()].sort((a, b) => a.name.localeCompare(b.name))) if (!state.has(t)) visit(t)
    return { order, cyclic }
  }

  /** Create every table (and index) that does not exist yet. */
  async createAll(conn: DdlTarget, options: { checkFirst?: boolean } = {}): Promise<void> {
    const checkFirst = options.checkFirst ?? true
    const existing = new Set(checkFirst ? (await conn.tableNames()).map((n) => n.toLowerCase()) : [])
    const { order, cyclic } = this.sortedTables()
    const deferred = conn.supportsAlterForeignKeys ? cyclic : []
    const created: Table<any>[] = []
    if (conn.dialect?.createCompiler().createsEnumTypes) {
      const missing = order.filter((t) => !existing.has(t.name.toLowerCase()))
      for (const [name, values] of enumTypes(missing)) await conn.execute(new CreateEnumType(name, values, checkFirst))
    }
    for (const t of order) {
      if (existing.has(t.name.toLowerCase())) continue
      await conn.execute(new CreateTable(t, deferred.filter((d) => d.table === t).map((d) => d.fk)))
      for (const ix of t.indexes) await conn.execute(new CreateIndex(t, ix))
      created.push(t)
    }
    for (const d of deferred) if (created.includes(d.table)) await conn.execute(new AddForeignKey(d.table, d.fk))
  }

  /** Drop every table that exists, dependents first. */
  async dropAll(conn: DdlTarget, options: { checkFirst?: boolean } = {}): Promise<void> {
    const checkFirst = options.checkFirst ?? true
    const existing = new Set(checkFirst ? (await conn.tableNames()).map((n) => n.toLowerCase()) : null)
    const has = (t: Table<any>) => !checkFirst || existing.has(t.name.toLowerCase())
    const { order, cyclic } = this.sortedTables()
    // without ALTER TABLE (SQLite) the dialect compiles this to deferring foreign-key checks instead
    for (const d of cyclic) if (has(d.table) && has(this.tables.get(d.fk.references[0].split('.')[0])!)) await conn.execute(new DropForeignKey(d.table, d.fk))
    for (const t of [...order].reverse()) if (has(t)) await conn.execute(new DropTable(t))
    if (conn.dialect?.createCompiler().createsEnumTypes) {
      for (const [name] of enumTypes(order.filter(has))) await conn.execute(new DropEnumType(name, checkFirst))
    }
  }
}

/** The default metadata that tables and models register in unless given another. */
export const metadata: MetaData = new MetaData()
