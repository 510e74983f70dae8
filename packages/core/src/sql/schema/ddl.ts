import { type KeyWriter, Node } from '../nodes/node.js'
import type { ForeignKeyConstraint, IndexDef, Table } from './table.js'

/** `CREATE TABLE`; `omitForeignKeys` are added later with ALTER TABLE (cycles). */
export class CreateTable extends Node {
  readonly visitName = 'createTable'
  constructor(readonly table: Table<any>, readonly omitForeignKeys: readonly ForeignKeyConstraint[] = [], readonly ifNotExists = false) { super() }
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-create') }
}

export class DropTable extends Node {
  readonly visitName = 'dropTable'
  constructor(readonly table: Table<any>, readonly ifExists = false) { super() }
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-drop') }
}

export class CreateIndex extends Node {
  readonly visitName = 'createIndex'
  constructor(readonly table: Table<any>, readonly index: IndexDef) { super() }
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-index') }
}

export class AddForeignKey extends Node {
  readonly visitName = 'addForeignKey'
  constructor(readonly table: Table<any>, readonly fk: ForeignKeyConstraint) { super() }
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-addfk') }
}

export class DropForeignKey extends Node {
  readonly visitName = 'dropForeignKey'
  constructor(readonly table: Table<any>, readonly fk: ForeignKeyConstraint) { super() }
  override get cacheable(): boolean { return false }
  cacheKey(w: KeyWriter): void { w.parts.push('ddl-dropfk') }
}

