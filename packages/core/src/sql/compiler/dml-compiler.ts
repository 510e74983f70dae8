import { ArgumentError } from '../../errors/errors.js'
import type { Delete, Insert, OnConflict, Update } from '../builders/dml.js'
import type { ColumnElement } from '../nodes/elements.js'
import type { Column } from '../nodes/from.js'
import { dedupeNames } from './result-names.js'
import { SelectCompiler } from './select-compiler.js'

/** Compiles INSERT, UPDATE and DELETE (with RETURNING and upserts). */
export class DmlCompiler extends SelectCompiler {
  visitInsert(ins: Insert): string {
    const s = ins.state
    this.depth++
    let sql = 'INSERT INTO ' + this.visitTable(s.table)
    try {
      if (s.fromSelect) {
        // the select owns its WITH clause: `INSERT INTO t (...) WITH ... SELECT` works on every backend
        this.ownsCtes = true
        const body = this.process(s.fromSelect)
        this.ownsCtes = false
        sql += ' (' + this.columnList(s.columns) + ') ' + body
      } else if (!s.columns.length) {
        sql += this.defaultValues(s.rows.length || 1)
      } else {
        sql += ' (' + this.columnList(s.columns) + ') VALUES ' +
          s.rows.map((r) => '(' + r.map((v) => this.process(v)).join(', ') + ')').join(', ')
      }
      if (s.onConflict) sql += this.onConflict(s.onConflict)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }
  protected columnList(cols: readonly Column<any>[]): string { return cols.map((c) => this.quote(c.name)).join(', ') }
  protected defaultValues(_rows: number): string { return ' DEFAULT VALUES' }
  /** `ON CONFLICT ...` (PostgreSQL, SQLite); MySQL overrides with `ON DUPLICATE KEY UPDATE`. */
  protected onConflict(oc: OnConflict): string {
    if (oc.kind === 'duplicateKey') throw new ArgumentError('onDuplicateKeyUpdate() is MySQL/MariaDB only; use onConflictDoUpdate()')
    let s = ' ON CONFLICT'
    if (oc.target.length) s += ' (' + this.columnList(oc.target) + ')'
    if (oc.kind === 'nothing') return s + ' DO NOTHING'
    s += ' DO UPDATE SET ' + this.assignments(oc.set)
    if (oc.where) s += ' WHERE ' + this.process(oc.where)
    return s
  }
  protected assignments(set: readonly (readonly [Column<any>, ColumnElement<any>])[]): string {
    return set.map(([c, v]) => this.quote(c.name) + ' = ' + this.process(v)).join(', ')
  }
  protected returning(cols: readonly ColumnElement<any>[]): string {
    if (!cols.length) return ''
    if (this.depth === 0) { this.returnsRows = true; this.resultColumns = dedupeNames(cols) }
    this.depth++
    try { return ' RETURNING ' + cols.map((c, i) => this.selectColumn(c, this.resultColumns[i]?.name)).join(', ') } finally { this.depth-- }
  }

  visitUpdate(u: Update): string {
    const s = u.state
    if (!s.set.length) throw new ArgumentError(`update(${s.table.name}): no values() to set`)
    this.depth++
    let sql: string
    try {
      sql = 'UPDATE ' + this.visitTable(s.table) + ' SET ' + this.assignments(s.set)
      if (s.where) sql += ' WHERE ' + this.dmlWhere(s.table, s.where)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }

  visitDelete(d: Delete): string {
    const s = d.state
    this.depth++
    let sql: string
    try {
      sql = 'DELETE FROM ' + this.visitTable(s.table)
      if (s.where) sql += ' WHERE ' + this.dmlWhere(s.table, s.where)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }

  /** A WHERE of UPDATE/DELETE: subqueries in it correlate to the target table. */
  protected dmlWhere(table: Update['state']['table'], where: ColumnElement<boolean>): string {
    this.enclosingFroms.push(new Set([table]))
    try { return this.process(where) } finally { this.enclosingFroms.pop() }
  }
}
