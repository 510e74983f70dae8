import { ArgumentError } from '../../errors/errors.js'
import type { Excluded } from '../builders/dml.js'
import type { TextClause } from '../builders/text.js'
import type {
  Between, BinaryExpression, BindParam, BooleanList, Case, Cast, EscapedPattern, Exists, FunctionCall, Grouping,
  InList, Keyword, Label, LabelReference, OrderBy, Over, ScalarSubquery, Tuple, UnaryExpression,
} from '../nodes/elements.js'
import type { Alias, CTE, Column, FromClause } from '../nodes/from.js'
import type { Node } from '../nodes/node.js'
import type { SqlType } from '../types/type.js'
import { needsParens, precedence } from './precedence.js'
import type { ResultColumn } from './result-names.js'

export { dedupeNames, type ResultColumn } from './result-names.js'

/** The output of one compiler run: SQL plus the binds in placeholder order. */
export interface CompileOutput {
  sql: string
  binds: BindParam[]
  resultColumns: ResultColumn[]
  /** Whether the statement returns rows. */
  returnsRows: boolean
}

/**
 * The visitor compiler, expression part. One method per node kind
 * (`visit<Kind>`); statements are compiled by the subclasses
 * (`SelectCompiler`, `DmlCompiler`, `SqlCompiler` for DDL), and a dialect
 * subclasses `SqlCompiler`, overriding only what differs.
 */
export class ExpressionCompiler {
  protected binds: BindParam[] = []
  protected resultColumns: ResultColumn[] = []
  protected returnsRows = false
  /** FROM entries of the enclosing selects, for correlation. */
  protected enclosingFroms: Set<FromClause>[] = []
  protected anonNames = new Map<object, string>()
  /** CTEs referenced in the statement being compiled (rendered as its `WITH`). */
  protected ctes: Map<CTE<any>, string> = new Map()
  /** 0 while compiling the outermost statement; nested selects do not define result columns. */
  protected depth = 0

  /** Placeholder for the n-th (0-based) bound value. */
  placeholder(_index: number): string { return '?' }
  /** Quote an identifier. */
  quote(name: string): string { return '"' + name.replace(/"/g, '""') + '"' }

  /** Compile one statement or expression. A compiler instance compiles once. */
  compile(node: Node): CompileOutput {
    const sql = this.process(node)
    return { sql, binds: this.binds, resultColumns: this.resultColumns, returnsRows: this.returnsRows }
  }

  /** Dispatch a node to its `visit<Kind>` method. */
  process(node: Node): string {
    const fn = (this as any)['visit' + node.visitName[0].toUpperCase() + node.visitName.slice(1)]
    if (!fn) throw new ArgumentError(`this dialect cannot compile a '${node.visitName}' node`)
    return fn.call(this, node)
  }

  /** Compile a select nested inside another statement (no result columns of its own). */
  protected nested(sel: Node): string {
    this.depth++
    try { return this.process(sel) } finally { this.depth-- }
  }

  /** Compile an operand, in parentheses when it binds more loosely than its operator. */
  protected operand(n: Node, parent: number, operator?: string, right = false): string {
    const s = this.process(n)
    return needsParens(n, parent, operator, right) ? '(' + s + ')' : s
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
    const p = precedence(e)
    return this.operand(e.left, p, e.operator) + ' ' + this.operator(e.operator) + ' ' + this.operand(e.right, p, e.operator, true)
  }
  protected operator(op: string): string { return op }
  visitUnary(e: UnaryExpression): string {
    const inner = this.operand(e.element, precedence(e), e.operator)
    return e.postfix ? inner + ' ' + e.operator : e.operator + (/^[A-Z]/.test(e.operator) ? ' ' : '') + inner
  }
  visitInList(e: InList): string {
    if (!e.values.length) return e.operator === 'IN' ? '1 <> 1' : '1 = 1'
    return this.operand(e.left, 5) + ' ' + e.operator + ' (' + e.values.map((v) => this.process(v)).join(', ') + ')'
  }
  visitBetween(e: Between): string {
    return this.operand(e.element, 5) + ' BETWEEN ' + this.operand(e.low, 6) + ' AND ' + this.operand(e.high, 6)
  }
  visitBooleanList(e: BooleanList): string {
    if (!e.clauses.length) return e.operator === 'AND' ? '1 = 1' : '1 <> 1'
    const p = precedence(e)
    return e.clauses.map((c, i) => this.operand(c, p, e.operator, i > 0)).join(' ' + e.operator + ' ')
  }
  visitEscapedPattern(e: EscapedPattern): string { return this.process(e.pattern) + ' ESCAPE ' + this.process(e.escape) }
  visitGrouping(e: Grouping): string { return '(' + this.process(e.element) + ')' }
  visitLabel(e: Label): string { return this.process(e.element) + ' AS ' + this.quote(e.name) }
  visitLabelReference(e: LabelReference): string { return this.quote(e.name) }
  visitOrderBy(o: OrderBy): string {
    const el = o.element.visitName === 'label' ? this.quote((o.element as Label).name) : this.process(o.element)
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

  /** The name a FROM entry is referred to by (anonymous subqueries get `anon_n`). */
  protected fromName(f: FromClause): string {
    const a = f as Alias
    if (a.name) return a.name
    let n = this.anonNames.get(f)
    if (!n) { n = 'anon_' + (this.anonNames.size + 1); this.anonNames.set(f, n) }
    return n
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
