import { type CompoundSelect, type LockOptions, type Select, inferFroms } from '../builders/select.js'
import type { ColumnElement, Label, OrderBy } from '../nodes/elements.js'
import type { Alias, CTE, FromClause, Join } from '../nodes/from.js'
import type { Node } from '../nodes/node.js'
import type { Table } from '../schema/table.js'
import { ExpressionCompiler } from './expression-compiler.js'
import { dedupeNames } from './result-names.js'

/** Compiles SELECT, compound selects, FROM entries and CTEs. */
export class SelectCompiler extends ExpressionCompiler {
  // ---- FROM --------------------------------------------------------------

  visitTable(t: Table<any>): string { return (t.schema ? this.quote(t.schema) + '.' : '') + this.quote(t.name) }
  visitAlias(a: Alias): string {
    if (a.kind === 'cte') { this.ctes.set(a as CTE<any>, a.name!); return this.quote(a.name!) }
    const inner = a.kind === 'alias' ? this.process(a.element) : '(' + this.nested(a.element) + ')'
    return inner + ' AS ' + this.quote(this.fromName(a))
  }
  visitJoin(j: Join): string {
    const kw = j.kind === 'INNER' ? ' JOIN ' : j.kind === 'LEFT' ? ' LEFT OUTER JOIN ' : ' FULL OUTER JOIN '
    // a join on the right (an ORM many-to-many path: secondary JOIN target) is parenthesized: SQLite needs it
    const right = j.right.visitName === 'join' ? '(' + this.process(j.right) + ')' : this.process(j.right)
    return this.process(j.left) + kw + right + (j.on ? ' ON ' + this.process(j.on) : ' ON 1 = 1')
  }

  /** The FROM list: explicit entries plus tables implied by columns and WHERE, minus correlated ones. */
  protected froms(sel: Select<any>): FromClause[] {
    const s = sel.state
    const explicit = [...s.from]
    const covered = new Set<FromClause>()
    explicit.forEach((f) => addJoined(covered, f))
    const implied = inferFroms([...s.columns, ...(s.where ? [s.where] : [])]).filter((f) => !covered.has(f))
    if (!s.correlate) return [...explicit, ...implied]
    const enclosing = this.enclosingFroms
    const uncorrelated = implied.filter((f) => !enclosing.some((set) => set.has(f)))
    // auto-correlation never leaves a select with nothing to select from (as in SQLAlchemy)
    return [...explicit, ...(uncorrelated.length || explicit.length ? uncorrelated : implied)]
  }

  // ---- SELECT ------------------------------------------------------------

  visitSelect(sel: Select<any>): string {
    return this.cteScope(() => this.selectBody(sel))
  }

  protected selectBody(sel: Select<any>): string {
    const s = sel.state
    const top = this.depth === 0
    if (top) { this.returnsRows = true; this.resultColumns = dedupeNames(s.columns) }
    const froms = this.froms(sel)
    const fromSet = new Set<FromClause>()
    froms.forEach((f) => addJoined(fromSet, f))
    this.enclosingFroms.push(fromSet)
    this.depth++
    try {
      const names = top ? this.resultColumns.map((c) => c.name) : undefined
      const cols = s.columns.map((c, i) => this.selectColumn(c, names?.[i]))
      let sql = 'SELECT ' + (s.distinct ? 'DISTINCT ' : '') + cols.join(', ')
      const fromSql = froms.map((f) => this.process(f))
      sql += fromSql.length ? ' FROM ' + fromSql.join(', ') : this.emptyFrom()
      if (s.where) sql += ' WHERE ' + this.process(s.where)
      if (s.groupBy.length) sql += ' GROUP BY ' + s.groupBy.map((g) => this.groupByItem(g)).join(', ')
      if (s.having) sql += ' HAVING ' + this.process(s.having)
      if (s.orderBy.length) sql += ' ORDER BY ' + s.orderBy.map((o) => this.orderByItem(o)).join(', ')
      sql += this.limitOffset(s.limit, s.offset)
      if (s.lock) sql += this.lockClause(s.lock)
      return sql
    } finally { this.depth--; this.enclosingFroms.pop() }
  }

  /** An ORDER BY item: a bare label orders by its name. */
  protected orderByItem(o: Node): string {
    if (o.visitName === 'label') return this.quote((o as Label).name)
    return this.process(o)
  }
  /** A GROUP BY item: a label groups by its expression. */
  protected groupByItem(g: Node): string {
    return this.process(g.visitName === 'label' ? (g as Label).element : g)
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

  protected lockClause(lock: LockOptions): string {
    let s = lock.read ? ' FOR SHARE' : ' FOR UPDATE'
    if (lock.of?.length) s += ' OF ' + lock.of.map((f) => this.quote(this.fromName(f))).join(', ')
    if (lock.nowait) s += ' NOWAIT'
    if (lock.skipLocked) s += ' SKIP LOCKED'
    return s
  }

  // ---- CTEs --------------------------------------------------------------

  /**
   * Compile a statement that owns a `WITH` clause: the outermost select, or
   * the select of an INSERT ... SELECT. CTEs referenced anywhere inside it
   * (subqueries included) are rendered once, each after the CTEs it uses.
   * The WITH clause comes first in the text but is only known once the body
   * is compiled, so the body is compiled again after it: positional binds
   * then follow text order.
   */
  protected cteScope(body: () => string): string {
    if (this.depth !== 0 && !this.ownsCtes) return body()
    const saved = this.ctes
    const owns = this.ownsCtes
    this.ctes = new Map()
    this.ownsCtes = false
    try {
      const mark = this.binds.length
      const sql = body()
      if (!this.ctes.size) return sql
      const found = [...this.ctes.keys()]
      this.binds.length = mark
      const withSql = this.withClause(found)
      return withSql + ' ' + body()
    } finally { this.ctes = saved; this.ownsCtes = owns }
  }
  /** Set by a statement whose next nested select owns its own `WITH` (INSERT ... SELECT). */
  protected ownsCtes = false

  protected withClause(found: readonly CTE<any>[]): string {
    const defs: string[] = []
    const done = new Set<CTE<any>>()
    const emit = (cte: CTE<any>): void => {
      if (done.has(cte)) return
      done.add(cte)
      // find the CTEs this body uses without keeping its binds, then define those first
      const mark = this.binds.length
      const before = new Set(this.ctes.keys())
      this.ctes = new Map()
      this.nested(cte.body)
      const uses = [...this.ctes.keys()]
      this.ctes = new Map([...before].map((c) => [c, c.name!]))
      this.binds.length = mark
      for (const dep of uses) if (dep !== cte) emit(dep)
      const cols = cte.recursive ? ' (' + cte.columns.map((c) => this.quote(c.name)).join(', ') + ')' : ''
      defs.push(this.quote(cte.name!) + cols + ' AS (' + this.nested(cte.body) + ')')
    }
    found.forEach(emit)
    return 'WITH ' + ([...done].some((c) => c.recursive) ? 'RECURSIVE ' : '') + defs.join(', ')
  }

  // ---- compound selects --------------------------------------------------

  visitCompoundSelect(c: CompoundSelect<any>): string {
    return this.cteScope(() => {
      const top = this.depth === 0
      if (top) { this.returnsRows = true; this.resultColumns = dedupeNames(c.columns) }
      this.depth++
      try {
        let sql = c.selects.map((s) => this.compoundMember(s)).join(' ' + c.operator + ' ')
        if (c.orderByClauses.length) sql += ' ORDER BY ' + c.orderByClauses.map((o) => this.compoundOrderItem(o)).join(', ')
        return sql + this.limitOffset(c.limitClause, c.offsetClause)
      } finally { this.depth-- }
    })
  }

  /** A member of a compound select; one with its own ORDER BY / LIMIT, or a nested compound, is wrapped. */
  protected compoundMember(s: Node): string {
    const sql = this.process(s)
    const st = (s as Select<any>).state
    const own = st && (st.orderBy.length || st.limit || st.offset)
    return own || s.visitName === 'compoundSelect' ? this.wrapCompoundMember(sql) : sql
  }
  /** Parentheses around a compound member (SQLite, which refuses them, selects from a subquery instead). */
  protected wrapCompoundMember(sql: string): string { return '(' + sql + ')' }

  /** ORDER BY of a compound select names its result columns (no table qualifier). */
  protected compoundOrderItem(o: Node): string {
    const named = (n: Node): string | undefined => (n.visitName === 'column' || n.visitName === 'label' ? (n as ColumnElement<any>).resultName : undefined)
    if (o.visitName === 'orderBy') {
      const ob = o as OrderBy
      const name = named(ob.element)
      if (name !== undefined) return this.quote(name) + ' ' + ob.direction + (ob.nulls ? this.nullsOrder(ob.nulls) : '')
      return this.process(o)
    }
    const name = named(o)
    return name !== undefined ? this.quote(name) : this.process(o)
  }
}

function addJoined(set: Set<FromClause>, f: FromClause): void {
  set.add(f)
  if (f.visitName === 'join') { addJoined(set, (f as Join).left); addJoined(set, (f as Join).right) }
}
