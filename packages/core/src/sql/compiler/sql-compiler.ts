import type { Column } from '../nodes/from.js'
import {
  type AddForeignKey, type CreateEnumType, type CreateIndex, type CreateTable, type DropEnumType, type DropForeignKey, type DropTable,
  enumTypeName,
} from '../schema/ddl.js'
import type { ForeignKeyConstraint, Table } from '../schema/table.js'
import { BulkDmlCompiler } from './bulk-dml-compiler.js'

/** The full compiler: expressions, statements and DDL. Dialects extend this. */
export class SqlCompiler extends BulkDmlCompiler {
  /** Whether enum columns use a named type made by `CREATE TYPE` (PostgreSQL) that `createAll` creates first. */
  get createsEnumTypes(): boolean { return false }

  visitCreateTable(c: CreateTable): string {
    const t = c.table
    const parts = t.columns.map((col) => this.columnDdl(t, col))
    const pk = t.primaryKey
    if (pk.length && !(pk.length === 1 && this.inlinePrimaryKey(t, pk[0]))) {
      parts.push('PRIMARY KEY (' + pk.map((x) => this.quote(x.name)).join(', ') + ')')
    }
    for (const u of t.uniques) parts.push(this.constraintName(u.name) + 'UNIQUE (' + u.columns.map((k) => this.quote(t.column(k)?.name ?? k)).join(', ') + ')')
    for (const ch of t.checks) parts.push(this.constraintName(ch.name) + 'CHECK (' + ch.sql + ')')
    for (const col of t.columns) if (col.type.kind === 'enum' && this.checkEnums()) parts.push('CHECK (' + this.quote(col.name) + ' IN (' + col.type.values!.map((v) => this.ddlString(v)).join(', ') + '))')
    for (const fk of t.foreignKeys) if (!c.omitForeignKeys.includes(fk)) parts.push(this.foreignKeyDdl(t, fk))
    return 'CREATE TABLE ' + (c.ifNotExists ? 'IF NOT EXISTS ' : '') + this.visitTable(t) + ' (' + parts.join(', ') + ')' + this.tableSuffix(t)
  }
  protected constraintName(name?: string): string { return name ? 'CONSTRAINT ' + this.quote(this.schemaName(name)) + ' ' : '' }
  /** Longest identifier the backend accepts (0: no limit). */
  protected get maxIdentifierLength(): number { return 0 }
  /** An index or constraint name, shortened with a hash of the full name when the backend's limit needs it (as SQLAlchemy does). */
  protected schemaName(name: string): string {
    const max = this.maxIdentifierLength
    if (!max || name.length <= max) return name
    let h = 0x811c9dc5
    for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0 }
    return name.slice(0, max - 9) + '_' + h.toString(16).padStart(8, '0')
  }
  /** Whether a single primary key is written on its column (needed for SQLite's AUTOINCREMENT). */
  protected inlinePrimaryKey(_t: Table<any>, _col: Column<any>): boolean { return false }
  /** Enum columns get a CHECK where the backend has no native enum. */
  protected checkEnums(): boolean { return true }
  protected tableSuffix(_t: Table<any>): string { return '' }
  /** A string literal in DDL (enum labels), where no bind is possible. */
  protected ddlString(v: string): string { return "'" + v.replace(/'/g, "''") + "'" }

  protected columnDdl(t: Table<any>, col: Column<any>): string {
    let s = this.quote(col.name) + ' ' + this.columnType(t, col)
    if (this.inlinePrimaryKey(t, col) && t.primaryKey.length === 1 && t.primaryKey[0] === col) s += ' PRIMARY KEY' + this.autoincrementSuffix(t, col)
    if (!col.nullable) s += ' NOT NULL'
    if (col.options.serverDefault !== undefined) s += ' DEFAULT ' + this.serverDefault(col.options.serverDefault)
    if (col.options.unique) s += ' UNIQUE'
    if (col.options.check) s += ' CHECK (' + col.options.check + ')'
    return s
  }
  protected autoincrementSuffix(_t: Table<any>, _col: Column<any>): string { return '' }
  /** The type in a column definition, including autoincrement forms. */
  protected columnType(t: Table<any>, col: Column<any>): string {
    if (col.type.kind === 'enum' && this.createsEnumTypes) return this.quote(enumTypeName(t, col))
    return this.typeName(col.type)
  }
  /** A server default: numbers and booleans as SQL literals, strings as SQL (e.g. `'CURRENT_TIMESTAMP'`, `"'draft'"`). */
  protected serverDefault(v: string | number | boolean): string {
    if (typeof v === 'number') return String(v)
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
    return v
  }

  protected foreignKeyDdl(t: Table<any>, fk: ForeignKeyConstraint): string {
    const md = t.metadata
    const refs = fk.references.map((r) => (md ? md.resolveReference(r) : { table: { name: r.split('.')[0] } as Table<any>, column: r.split('.')[1] }))
    let s = this.constraintName(fk.name) + 'FOREIGN KEY (' + fk.columns.map((c) => this.quote(c.name)).join(', ') + ') REFERENCES ' +
      this.visitTable(refs[0].table) + ' (' + refs.map((r) => this.quote(r.column)).join(', ') + ')'
    if (fk.onDelete) s += ' ON DELETE ' + fk.onDelete
    if (fk.onUpdate) s += ' ON UPDATE ' + fk.onUpdate
    return s
  }

  /** Name used for a foreign key added with ALTER TABLE (so it can be dropped). */
  protected foreignKeyName(t: Table<any>, fk: ForeignKeyConstraint): string {
    return this.schemaName(fk.name ?? `fk_${t.name}_${fk.columns.map((c) => c.name).join('_')}`)
  }

  visitDropTable(d: DropTable): string { return 'DROP TABLE ' + (d.ifExists ? 'IF EXISTS ' : '') + this.visitTable(d.table) }
  visitCreateIndex(c: CreateIndex): string {
    const t = c.table
    return 'CREATE ' + (c.index.unique ? 'UNIQUE ' : '') + 'INDEX ' + this.quote(this.schemaName(c.index.name)) + ' ON ' + this.visitTable(t) +
      ' (' + c.index.columns.map((k) => this.quote(t.column(k)?.name ?? k)).join(', ') + ')'
  }
  visitAddForeignKey(a: AddForeignKey): string {
    const named = { ...a.fk, name: this.foreignKeyName(a.table, a.fk) }
    return 'ALTER TABLE ' + this.visitTable(a.table) + ' ADD ' + this.foreignKeyDdl(a.table, named)
  }
  visitDropForeignKey(d: DropForeignKey): string {
    return 'ALTER TABLE ' + this.visitTable(d.table) + ' DROP CONSTRAINT ' + this.quote(this.foreignKeyName(d.table, d.fk))
  }
  visitCreateEnumType(c: CreateEnumType): string {
    return 'CREATE TYPE ' + this.quote(c.name) + ' AS ENUM (' + c.values.map((v) => this.ddlString(v)).join(', ') + ')'
  }
  visitDropEnumType(d: DropEnumType): string { return 'DROP TYPE ' + (d.ifExists ? 'IF EXISTS ' : '') + this.quote(d.name) }
}
