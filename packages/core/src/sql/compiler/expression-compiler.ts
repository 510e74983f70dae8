import { ArgumentError } from '../../errors/errors.js'
import type { Delete, Excluded, Insert, Update } from '../builders/dml.js'
import { type CompoundSelect, type Select, inferFroms } from '../builders/select.js'
import type { TextClause } from '../builders/text.js'
import type {
  Between, BinaryExpression, BindParam, BooleanList, Case, Cast, ColumnElement, Exists, FunctionCall, Grouping,
  InList, Keyword, Label, LabelReference, OrderBy, Over, ScalarSubquery, Tuple, UnaryExpression,
} from '../nodes/elements.js'
import type { Alias, CTE, Column, FromClause, Join } from '../nodes/from.js'
import type { Node } from '../nodes/node.js'
import type { Table } from '../schema/table.js'
import type { SqlType } from '../types/type.js'

export interface ResultColumn { readonly name: string; readonly type: SqlType }

/** The output of one compiler run: SQL plus the binds in placeholder order. */
export interface CompileOutput {
  sql: string
  binds: BindParam[]
  resultColumns: ResultColumn[]
  /** Whether the statement returns rows. */
  returnsRows: boolean
}

/**
 * The visitor compiler. One method per node kind (`visit<Kind>`); a
 * dialect subclasses it and overrides only what differs.
 */
export class ExpressionCompiler {
  protected binds: BindParam[] = []
  protected resultColumns: ResultColumn[] = []
  protected returnsRows = false
  /** FROM entries of the enclosing selects, for correlation. */
  protected enclosingFroms: Set<FromClause>[] = []
  protected anonNames = new Map<object, string>()
  protected ctes: Map<CTE<any>, string> = new Map()
  protected depth = 0

  /** Placeholder for the n-th (0-based) bound value. */
  placeholder(_index: number): string { return '?' }
  /** Quote an identifier. */
  quote(name: string): string { return '"' + name.replace(/"/g, '""') + '"' }

  compile(node: Node): CompileOutput {
    const sql = this.process(node)
    return { sql, binds: this.binds, resultColumns: this.resultColumns, returnsRows: this.returnsRows }
  }

  process(node: Node): string {
    const fn = (this as any)['visit' + node.visitName[0].toUpperCase() + node.visitName.slice(1)]
    if (!fn) throw new ArgumentError(`this dialect cannot compile a '${node.visitName}' node`)
    return fn.call(this, node)
  }

  // ---- expressions -------------------------------------------------------

  visitBindParam(b: BindParam): string {
    this.binds.push(b)
    return this.placeholder(this.binds.length - 1)
  }
  visitColumn(c: Column<any>): string {
    const t = c.table as any
    const q = this.quote(c.name)
    if (!t) return q
    if (t.visitName === 'table') return (t.schema ? this.quote(t.schema) + '.' : '') + this.quote(t.name) + '.' + q
    return this.quote(this.fromName(t)) + '.' + q
  }
  visitBinary(e: BinaryExpression): string {
    return this.processOperand(e.left) + ' ' + this.operator(e.operator) + ' ' + this.processOperand(e.right)
  }
  /** Nested binary/boolean expressions get parentheses. */
  protected processOperand(n: Node): string {
    const s = this.process(n)
    return n.visitName === 'binary' || n.visitName === 'booleanList' ? '(' + s + ')' : s
  }
  protected operator(op: string): string { return op === 'ILIKE' ? 'ILIKE' : op }
  visitUnary(e: UnaryExpression): string {
    const inner = this.processOperand(e.element)
    return e.postfix ? inner + ' ' + e.operator : e.operator + ' ' + inner
  }
  visitInList(e: InList): string {
    if (!e.values.length) return e.operator === 'IN' ? '1 <> 1' : '1 = 1'
    return this.processOperand(e.left) + ' ' + e.operator + ' (' + e.values.map((v) => this.process(v)).join(', ') + ')'
  }
  visitBetween(e: Between): string {
    return this.processOperand(e.element) + ' BETWEEN ' + this.process(e.low) + ' AND ' + this.process(e.high)
  }
  visitBooleanList(e: BooleanList): string {
    if (!e.clauses.length) return e.operator === 'AND' ? '1 = 1' : '1 <> 1'
    return e.clauses.map((c) => this.processOperand(c)).join(' ' + e.operator + ' ')
  }
  visitGrouping(e: Grouping): string { return '(' + this.process(e.element) + ')' }
  visitLabel(e: Label): string { return this.processOperand(e.element) + ' AS ' + this.quote(e.name) }
  visitLabelReference(e: LabelReference): string { return this.quote(e.name) }
  visitOrderBy(o: OrderBy): string {
    const el = o.element.visitName === 'label' ? this.quote((o.element as Label).name) : this.processOperand(o.element)
    return el + ' ' + o.direction + (o.nulls ? this.nullsOrder(o.nulls) : '')
  }
  protected nullsOrder(n: 'FIRST' | 'LAST'): string { return ' NULLS ' + n }
  visitCast(c: Cast): string { return 'CAST(' + this.process(c.element) + ' AS ' + this.castType(c.type) + ')' }
  /** Type name used in CAST (dialects narrow this). */
  castType(t: SqlType): string { return this.typeName(t) }
  visitCase(c: Case): string {
    let s = 'CASE'
    for (const [w, v] of c.whens) s += ' WHEN ' + this.process(w) + ' THEN ' + this.process(v)
    if (c.otherwise) s += ' ELSE ' + this.process(c.otherwise)
    return s + ' END'
  }
  visitKeyword(k: Keyword): string { return k.text }
  visitFunction(f: FunctionCall): string {
    return this.functionName(f.name) + '(' + (f.distinct ? 'DISTINCT ' : '') + f.args.map((a) => this.process(a)).join(', ') + ')'
  }
  protected functionName(name: string): string { return name.toUpperCase() }
  visitOver(o: Over): string {
    const parts: string[] = []
    if (o.partitionBy.length) parts.push('PARTITION BY ' + o.partitionBy.map((p) => this.process(p)).join(', '))
    if (o.orderBy.length) parts.push('ORDER BY ' + o.orderBy.map((p) => this.process(p)).join(', '))
    return this.visitFunction(o.fn) + ' OVER (' + parts.join(' ') + ')'
  }
  visitScalarSubquery(s: ScalarSubquery): string { return '(' + this.nested(s.select) + ')' }
  visitExists(e: Exists): string { return 'EXISTS (' + this.nested(e.select) + ')' }
  visitTuple(t: Tuple): string { return '(' + t.elements.map((e) => this.process(e)).join(', ') + ')' }
  visitExcluded(e: Excluded): string { return 'EXCLUDED.' + this.quote(e.column.name) }
  visitText(t: TextClause): string {
    if (this.depth === 0 && t.resultColumns) { this.resultColumns = t.resultColumns.map((c) => ({ name: c.name, type: c.type })); this.returnsRows = true }
    let s = t.chunks[0]
    for (let i = 0; i < t.binds.length; i++) s += this.process(t.binds[i]) + t.chunks[i + 1]
    if (this.depth === 0 && !t.resultColumns) this.returnsRows = /^\s*(select|with|values|show|pragma|explain|describe|table)\b/i.test(t.sql) || /\breturning\b/i.test(t.sql)
    return s
  }

  /** Compile a select nested inside another statement (no result columns of its own). */
  protected nested(sel: Node): string {
    this.depth++
    try { return this.process(sel) } finally { this.depth-- }
  }

  // ---- FROM --------------------------------------------------------------

  protected fromName(f: FromClause): string {
    const a = f as Alias
    if (a.name) return a.name
    let n = this.anonNames.get(f)
    if (!n) { n = 'anon_' + (this.anonNames.size + 1); this.anonNames.set(f, n) }
    return n
  }
  visitTable(t: Table<any>): string { return (t.schema ? this.quote(t.schema) + '.' : '') + this.quote(t.name) }
  visitAlias(a: Alias): string {
    if (a.kind === 'cte') { this.ctes.set(a as CTE<any>, a.name!); return this.quote(a.name!) }
    const inner = a.kind === 'alias' ? this.process(a.element) : '(' + this.nested(a.element) + ')'
    return inner + ' AS ' + this.quote(this.fromName(a))
  }
  visitJoin(j: Join): string {
    const kw = j.kind === 'INNER' ? ' JOIN ' : j.kind === 'LEFT' ? ' LEFT OUTER JOIN ' : ' FULL OUTER JOIN '
    return this.process(j.left) + kw + this.process(j.right) + (j.on ? ' ON ' + this.process(j.on) : ' ON 1 = 1')
  }

  // ---- SELECT ------------------------------------------------------------

  /** The FROM list: explicit entries plus tables implied by columns and WHERE, minus correlated ones. */
  protected froms(sel: Select<any>): FromClause[] {
    const s = sel.state
    const explicit = [...s.from]
    const covered = new Set<FromClause>()
    const cover = (f: FromClause): void => { covered.add(f); if ((f as Join).visitName === 'join') { cover((f as Join).left); cover((f as Join).right) } }
    explicit.forEach(cover)
    const implied = inferFroms([...s.columns, ...(s.where ? [s.where] : [])]).filter((f) => !covered.has(f))
    const enclosing = this.enclosingFroms
    const correlated = implied.filter((f) => !enclosing.some((set) => set.has(f)))
    const all = [...explicit, ...(correlated.length || explicit.length ? correlated : implied)]
    return all
  }

  visitSelect(sel: Select<any>): string {
    const s = sel.state
    const top = this.depth === 0
    if (top) {
      this.returnsRows = true
      this.resultColumns = dedupeNames(s.columns)
    }
    const froms = this.froms(sel)
    const fromSet = new Set<FromClause>()
    const add = (f: FromClause): void => { fromSet.add(f); if ((f as Join).visitName === 'join') { add((f as Join).left); add((f as Join).right) } }
    froms.forEach(add)
    this.enclosingFroms.push(fromSet)
    this.depth++
    try {
      const names = top ? this.resultColumns.map((c) => c.name) : undefined
      const cols = s.columns.map((c, i) => this.selectColumn(c, names?.[i]))
      let sql = 'SELECT ' + (s.distinct ? 'DISTINCT ' : '') + cols.join(', ')
      const fromSql = froms.map((f) => this.process(f))
      if (fromSql.length) sql += ' FROM ' + fromSql.join(', ')
      else sql += this.emptyFrom()
      if (s.where) sql += ' WHERE ' + this.process(s.where)
      if (s.groupBy.length) sql += ' GROUP BY ' + s.groupBy.map((g) => this.process(g)).join(', ')
      if (s.having) sql += ' HAVING ' + this.process(s.having)
      if (s.orderBy.length) sql += ' ORDER BY ' + s.orderBy.map((o) => this.orderByItem(o)).join(', ')
      sql += this.limitOffset(s.limit, s.offset)
      if (s.lock) sql += this.lockClause(s.lock)
      this.depth--
      return this.withCtes(sql)
    } catch (e) { this.depth--; throw e } finally { this.enclosingFroms.pop() }
  }

  /** An ORDER BY item: a bare label orders by its name. */
  protected orderByItem(o: Node): string {
    if (o.visitName === 'label') return this.quote((o as Label).name)
    return this.process(o)
  }

  /** One select-list entry; `name` is set at top level when a column needs `AS` to stay unique. */
  protected selectColumn(c: ColumnElement<any>, name?: string): string {
    const sql = this.process(c)
    if (c.visitName === 'label') return sql
    if (name !== undefined && name !== c.resultName) return sql + ' AS ' + this.quote(name)
    if (c.visitName === 'column' || name === undefined) return sql
    return sql + ' AS ' + this.quote(name)
  }

  protected emptyFrom(): string { return '' }

  protected limitOffset(limit?: ColumnElement<any>, offset?: ColumnElement<any>): string {
    let s = ''
    if (limit) s += ' LIMIT ' + this.process(limit)
    if (offset) s += ' OFFSET ' + this.process(offset)
    return s
  }

  protected lockClause(lock: NonNullable<Select<any>['state']['lock']>): string {
    let s = lock.read ? ' FOR SHARE' : ' FOR UPDATE'
    if (lock.of?.length) s += ' OF ' + lock.of.map((f) => this.quote(this.fromName(f) ?? (f as any).name)).join(', ')
    if (lock.nowait) s += ' NOWAIT'
    if (lock.skipLocked) s += ' SKIP LOCKED'
    return s
  }

  /** Prefix `WITH` for the CTEs used at this level (only at the outermost statement). */
  protected withCtes(sql: string): string {
    if (this.depth !== 0 || !this.ctes.size) return sql
    const entries = [...this.ctes.keys()]
    const defs: string[] = []
    const done = new Set<CTE<any>>()
    let recursive = false
    // a CTE body may reference further CTEs: compile until no new ones appear
    for (let i = 0; i < entries.length; i++) {
      const cte = entries[i]
      if (done.has(cte)) continue
      done.add(cte)
      if (cte.recursive) recursive = true
      const cols = cte.recursive ? ' (' + cte.columns.map((c) => this.quote(c.name)).join(', ') + ')' : ''
      defs.push(this.quote(cte.name!) + cols + ' AS (' + this.nested(cte.body) + ')')
      for (const k of this.ctes.keys()) if (!entries.includes(k)) entries.push(k)
    }
    this.ctes.clear()
    return 'WITH ' + (recursive ? 'RECURSIVE ' : '') + defs.join(', ') + ' ' + sql
  }

  visitCompoundSelect(c: CompoundSelect<any>): string {
    const top = this.depth === 0
    if (top) { this.returnsRows = true; this.resultColumns = dedupeNames(c.columns) }
    this.depth++
    let sql: string
    try {
      sql = c.selects.map((s) => this.compoundMember(s)).join(' ' + c.operator + ' ')
      if (c.orderByClauses.length) sql += ' ORDER BY ' + c.orderByClauses.map((o) => this.orderByItem(o)).join(', ')
      sql += this.limitOffset(c.limitClause, c.offsetClause)
    } finally { this.depth-- }
    return this.withCtes(sql)
  }
  protected compoundMember(s: Node): string {
    const sql = this.process(s)
    const st = (s as Select<any>).state
    return st && (st.orderBy.length || st.limit || st.offset) ? '(' + sql + ')' : sql
  }

  // ---- DML ---------------------------------------------------------------

  visitInsert(ins: Insert): string {
    const s = ins.state
    this.depth++
    let sql = 'INSERT INTO ' + this.visitTable(s.table)
    try {
      if (s.fromSelect) {
        sql += ' (' + s.columns.map((c) => this.quote(c.name)).join(', ') + ') ' + this.nested(s.fromSelect)
      } else if (!s.columns.length) {
        sql += this.defaultValues(s.rows.length || 1)
      } else {
        sql += ' (' + s.columns.map((c) => this.quote(c.name)).join(', ') + ') VALUES ' +
          s.rows.map((r) => '(' + r.map((v) => this.process(v)).join(', ') + ')').join(', ')
      }
      if (s.onConflict) sql += this.onConflict(s.onConflict)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }
  protected defaultValues(_rows: number): string { return ' DEFAULT VALUES' }
  protected onConflict(oc: NonNullable<Insert['state']['onConflict']>): string {
    if (oc.kind === 'duplicateKey') throw new ArgumentError('onDuplicateKeyUpdate() is MySQL/MariaDB only; use onConflictDoUpdate()')
    let s = ' ON CONFLICT'
    if (oc.target.length) s += ' (' + oc.target.map((c) => this.quote(c.name)).join(', ') + ')'
    if (oc.kind === 'nothing') return s + ' DO NOTHING'
    s += ' DO UPDATE SET ' + oc.set.map(([c, v]) => this.quote(c.name) + ' = ' + this.process(v)).join(', ')
    if (oc.where) s += ' WHERE ' + this.process(oc.where)
    return s
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
      sql = 'UPDATE ' + this.visitTable(s.table) + ' SET ' + s.set.map(([c, v]) => this.quote(c.name) + ' = ' + this.process(v)).join(', ')
      if (s.where) sql += ' WHERE ' + this.process(s.where)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }

  visitDelete(d: Delete): string {
    const s = d.state
    this.depth++
    let sql: string
    try {
      sql = 'DELETE FROM ' + this.visitTable(s.table)
      if (s.where) sql += ' WHERE ' + this.process(s.where)
    } finally { this.depth-- }
    return sql + this.returning(s.returning)
  }

  // ---- types -------------------------------------------------------------

  /** DDL type name for a SQL type. */
  typeName(t: SqlType): string {
    switch (t.kind) {
      case 'integer': return 'INTEGER'
      case 'biginteger': return 'BIGINT'
      case 'text': return 'TEXT'
      case 'varchar': return `VARCHAR(${t.length ?? 255})`
      case 'bool': return 'BOOLEAN'
      case 'float': return 'DOUBLE PRECISION'
      case 'numeric': return t.precision !== undefined ? `NUMERIC(${t.precision}, ${t.scale ?? 0})` : 'NUMERIC'
      case 'datetime': return t.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP'
      case 'date': return 'DATE'
      case 'json': return 'JSON'
      case 'uuid': return 'UUID'
      case 'bytes': return 'BLOB'
      case 'enum': return `VARCHAR(${Math.max(1, ...(t.values ?? []).map((v) => v.length))})`
      default: return 'TEXT'
    }
  }
}

/** Result column names, made unique as SQLAlchemy does (`id`, `id_1`). */
export function dedupeNames(cols: readonly ColumnElement<any>[]): ResultColumn[] {
  const seen = new Map<string, number>()
  return cols.map((c, i) => {
    const base = c.resultName ?? `anon_${i + 1}`
    let name = base
    let n = seen.get(base.toLowerCase())
    if (n !== undefined) { do { name = `${base}_${++n}` } while (seen.has(name.toLowerCase())) ; seen.set(base.toLowerCase(), n) }
    seen.set(name.toLowerCase(), seen.get(name.toLowerCase()) ?? 0)
    return { name, type: c.type }
  })
}
