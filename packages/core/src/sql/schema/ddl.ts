import type { Column } from '../nodes/from.js'
import { type KeyWriter, Node } from '../nodes/node.js'
import type { ForeignKeyConstraint, IndexDef, Table } from './table.js'

/** DDL statements are one-off: they skip the compiled-statement cache. */
abstract class DdlStatement extends Node {
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-' + this.visitName) }
}

/** `CREATE TABLE`; `omitForeignKeys` are added later with ALTER TABLE (cycles). */
export class CreateTable extends DdlStatement {
  readonly visitName = 'createTable'
  constructor(readonly table: Table<any>, readonly omitForeignKeys: readonly ForeignKeyConstraint[] = [], readonly ifNotExists = false) { super(); Object.freeze(this) }
}

export class DropTable extends DdlStatement {
  readonly visitName = 'dropTable'
  constructor(readonly table: Table<any>, readonly ifExists = false) { super(); Object.freeze(this) }
}

export class CreateIndex extends DdlStatement {
  readonly visitName = 'createIndex'
  constructor(readonly table: Table<any>, readonly index: IndexDef) { super(); Object.freeze(this) }
}

export class AddForeignKey extends DdlStatement {
  readonly visitName = 'addForeignKey'
  constructor(readonly table: Table<any>, readonly fk: ForeignKeyConstraint) { super(); Object.freeze(this) }
}

export class DropForeignKey extends DdlStatement {
  readonly visitName = 'dropForeignKey'
  constructor(readonly table: Table<any>, readonly fk: ForeignKeyConstraint) { super(); Object.freeze(this) }
}

/** `CREATE TYPE name AS ENUM (...)` (PostgreSQL); `ifNotExists` tolerates one that is there already. */
export class CreateEnumType extends DdlStatement {
  readonly visitName = 'createEnumType'
  constructor(readonly name: string, readonly values: readonly string[], readonly ifNotExists = false) { super(); Object.freeze(this) }
}

/** `DROP TYPE name` (PostgreSQL). */
export class DropEnumType extends DdlStatement {
  readonly visitName = 'dropEnumType'
  constructor(readonly name: string, readonly ifExists = false) { super(); Object.freeze(this) }
}

/** The named type of an enum column: its `name` option, else `<table>_<column>`. */
export function enumTypeName(table: Table<any>, col: Column<any>): string {
  return col.type.enumName ?? `${table.name}_${col.name}`
}
