import type { Column } from '../nodes/from.js'
import type { Table } from '../schema/table.js'
import { DmlCompiler } from './dml-compiler.js'

/**
 * A compiled single-row `INSERT ... VALUES (...)` cut around its VALUES
 * group: `head` ends with `VALUES `, `pieces` are the texts between the
 * group's placeholders (one more than the placeholders), `tail` is what
 * follows the group (ON CONFLICT, RETURNING).
 */
export interface ValuesGroup {
  readonly head: string
  readonly pieces: readonly string[]
  readonly tail: string
}

/** One batched UPDATE: rows found by `key` (and `match`), `set` columns assigned per row. */
export interface UpdateManyShape {
  readonly table: Table<any>
  /** Columns that identify one row (the primary key). */
  readonly key: readonly Column<any>[]
  /** Further columns each row must still equal (e.g. a version counter's old value). */
  readonly match: readonly Column<any>[]
  readonly set: readonly Column<any>[]
}

/**
 * The SQL text of many-row statements ("insertmanyvalues"): a multi-row
 * INSERT expanded textually from its compiled single-row form, and batched
 * UPDATEs by key. Dialects override the pieces that differ.
 */
export class BulkDmlCompiler extends DmlCompiler {
  /**
   * Find the VALUES group of a compiled single-row INSERT of `columns` whose
   * `binds` placeholders all sit in that group; `undefined` when the SQL has
   * another shape (the caller then compiles each batch as a statement).
   */
  insertValuesGroup(sql: string, table: Table<any>, columns: readonly Column<any>[], binds: number): ValuesGroup | undefined {
    if (binds !== columns.length || !binds) return undefined
    const head = 'INSERT INTO ' + this.visitTable(table) + ' (' + this.columnList(columns) + ') VALUES '
    if (!sql.startsWith(head + '(')) return undefined
    let depth = 0
    let end = head.length
    for (; end < sql.length; end++) {
      const ch = sql[end]
      if (ch === '(') depth++
      else if (ch === ')' && --depth === 0) break
    }
    const group = sql.slice(head.length, end + 1)
    const pieces: string[] = []
    let at = 0
    for (let i = 0; i < binds; i++) {
      const p = this.placeholder(i)
      const found = group.indexOf(p, at)
      if (found < 0) return undefined
      pieces.push(group.slice(at, found))
      at = found + p.length
    }
    pieces.push(group.slice(at))
    const tail = sql.slice(end + 1)
    if (tail.includes(this.placeholder(binds))) return undefined
    return { head, pieces, tail }
  }

  /** `head` + `rows` VALUES groups with the placeholders renumbered + `tail`. */
  multiRowInsert(g: ValuesGroup, rows: number): string {
    const per = g.pieces.length - 1
    const groups = new Array<string>(rows)
    let n = 0
    for (let r = 0; r < rows; r++) {
      let s = g.pieces[0]
      for (let j = 0; j < per; j++) s += this.placeholder(n++) + g.pieces[j + 1]
      groups[r] = s
    }
    return g.head + groups.join(', ') + g.tail
  }

  /**
   * `UPDATE t SET c = v.c FROM (VALUES (...), ...) AS v(k, c) WHERE t.k = v.k`
   * for `rows` rows; parameters row by row: key, match, set values.
   */
  updateManyFromValues(shape: UpdateManyShape, rows: number): string {
    const cols = [...shape.key, ...shape.match, ...shape.set]
    const names = valuesNames(cols)
    const groups = new Array<string>(rows)
    let n = 0
    for (let r = 0; r < rows; r++) groups[r] = '(' + cols.map((c) => this.updateManyValue(c, n++, r)).join(', ') + ')'
    const t = this.visitTable(shape.table)
    const ref = (i: number): string => this.valuesColumn(names, i)
    const set = shape.set.map((c, i) => this.quote(c.name) + ' = ' + ref(shape.key.length + shape.match.length + i)).join(', ')
    const where = [...shape.key, ...shape.match].map((c, i) => t + '.' + this.quote(c.name) + ' = ' + ref(i)).join(' AND ')
    return 'UPDATE ' + t + ' SET ' + set + ' FROM (VALUES ' + groups.join(', ') + ') AS ' + this.valuesAlias(names) + ' WHERE ' + where
  }
  /** One value of the VALUES list (PostgreSQL casts it: a bare `$n` there has no type). */
  protected updateManyValue(_col: Column<any>, index: number, _row: number): string { return this.placeholder(index) }
  /** The VALUES list's alias with its column names. */
  protected valuesAlias(names: readonly string[]): string { return 'v(' + names.map((n) => this.quote(n)).join(', ') + ')' }
  /** A column of the VALUES list, by position. */
  protected valuesColumn(names: readonly string[], i: number): string { return 'v.' + this.quote(names[i]) }

  /**
   * `UPDATE t SET c = CASE k WHEN ? THEN ? ... END WHERE k IN (...)` for
   * `rows` rows (a searched CASE for composite keys; `(k, m) IN (...)` with
   * match columns). Parameters: per set column, per row key then value;
   * then per row key and match values.
   */
  updateManyCase(shape: UpdateManyShape, rows: number): string {
    let n = 0
    const key = shape.key.map((c) => this.quote(c.name))
    const sets = shape.set.map((c) => {
      let s = this.quote(c.name) + ' = CASE' + (key.length === 1 ? ' ' + key[0] : '')
      for (let r = 0; r < rows; r++) {
        s += key.length === 1 ? ' WHEN ' + this.placeholder(n++) : ' WHEN ' + key.map((k) => k + ' = ' + this.placeholder(n++)).join(' AND ')
        s += ' THEN ' + this.placeholder(n++)
      }
      return s + ' END'
    })
    const matched = [...key, ...shape.match.map((c) => this.quote(c.name))]
    const tuples = new Array<string>(rows)
    for (let r = 0; r < rows; r++) {
      const ps = matched.map(() => this.placeholder(n++))
      tuples[r] = matched.length === 1 ? ps[0] : '(' + ps.join(', ') + ')'
    }
    const target = matched.length === 1 ? matched[0] : '(' + matched.join(', ') + ')'
    return 'UPDATE ' + this.visitTable(shape.table) + ' SET ' + sets.join(', ') + ' WHERE ' + target + ' IN (' + tuples.join(', ') + ')'
  }
}

/** Names for the VALUES columns: the column names, a repeated one suffixed (`version`, `version_1`). */
function valuesNames(cols: readonly Column<any>[]): string[] {
  const seen = new Set<string>()
  return cols.map((c) => {
    let name = c.name
    for (let i = 1; seen.has(name); i++) name = c.name + '_' + i
    seen.add(name)
    return name
  })
}
