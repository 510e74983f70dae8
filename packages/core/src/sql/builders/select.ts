import { ArgumentError } from '../../errors/errors.js'
import {
  BindParam, type ColumnElement, Exists, type OrderBy, ScalarSubquery, type SelectLike, and,
} from '../nodes/elements.js'
import { Alias, CTE, type Column, FromClause, Join } from '../nodes/from.js'
import { type KeyWriter, Node, isNode, keyId } from '../nodes/node.js'
import { Integer } from '../types/type.js'
import { ENTITY, type EntityLike, JOIN_PATH, type JoinPath } from './protocols.js'

/** What `select()` accepts: expressions, tables/aliases (all columns) or mapped entities. */
export type SelectArg = ColumnElement<any> | FromClause | EntityLike | (abstract new (...a: any[]) => any)

/** The JS row type of a select list. */
export type RowOf<E extends readonly unknown[]> = {
  // read from the phantom `__type` alone (the comparison methods mention T | null too)
  -readonly [K in keyof E]: E[K] extends { readonly __type?: infer T } ? T
    : E[K] extends abstract new (...a: any[]) => infer I ? I
    : unknown
}

export interface LockOptions { nowait?: boolean; skipLocked?: boolean; of?: FromClause[]; read?: boolean }

interface SelectState {
  entities: readonly unknown[]
  columns: readonly ColumnElement<any>[]
  from: readonly FromClause[]
  where?: ColumnElement<boolean>
  groupBy: readonly Node[]
  having?: ColumnElement<boolean>
  orderBy: readonly Node[]
  limit?: ColumnElement<any>
  offset?: ColumnElement<any>
  distinct: boolean
  lock?: LockOptions
  /** Loader options and other hints for the ORM; core carries them untouched. */
  options: readonly unknown[]
  correlate: boolean
}

function expand(arg: unknown): ColumnElement<any>[] {
  const out: ColumnElement<any>[] = []
  expandInto(arg, out)
  return out
}

/** Append what `arg` selects to `out` (a table or entity gives all its columns). */
function expandInto(arg: unknown, out: ColumnElement<any>[]): void {
  if (isNode(arg) && !(arg as any).isFrom && !(arg as any)[ENTITY]) { out.push(arg as ColumnElement<any>); return }
  const cols = expandOther(arg)
  for (let i = 0; i < cols.length; i++) out.push(cols[i])
}

function expandOther(arg: unknown): ColumnElement<any>[] {
  if (isNode(arg) && (arg as any).isFrom) {
    const cols = (arg as any).columns as Column<any>[] | undefined
    if (!cols) throw new ArgumentError('select(): cannot select every column of a join; name the columns')
    return [...cols]
  }
  const ent = (arg as any)?.[ENTITY] as EntityLike[typeof ENTITY] | undefined
  if (ent) return [...ent().columns]
  if (isNode(arg)) return [arg as ColumnElement<any>]
  throw new ArgumentError(`select(): cannot select ${String(arg)}`)
}

/** A SELECT statement. Every builder method returns a new Select. */
export class Select<R extends unknown[] = unknown[]> extends Node implements SelectLike {
  readonly visitName = 'select'
  readonly isSelect = true as const
  declare readonly __row?: R
  constructor(readonly state: SelectState) { super(); Object.freeze(this) }

  private with(patch: Partial<SelectState>): Select<R> { return new Select<R>({ ...this.state, ...patch }) }

  /** Selected expressions, expanded (a table or entity gives all its columns). */
  get columns(): readonly ColumnElement<any>[] { return this.state.columns }
  /** Same as `columns` (SQLAlchemy's `selected_columns`). */
  get selectedColumns(): readonly ColumnElement<any>[] { return this.state.columns }

  where(...conditions: ColumnElement<boolean>[]): Select<R> {
    const s = this.state
    const all = s.where ? [s.where, ...conditions] : conditions
    // the common select().where() chain: one state object in its usual shape, no spreads
    return new Select<R>({
      entities: s.entities, columns: s.columns, from: s.from, where: all.length === 1 ? all[0] : and(...all), groupBy: s.groupBy, having: s.having,
      orderBy: s.orderBy, limit: s.limit, offset: s.offset, distinct: s.distinct, lock: s.lock, options: s.options, correlate: s.correlate,
    })
  }
  filter(...conditions: ColumnElement<boolean>[]): Select<R> { return this.where(...conditions) }
  /** Add FROM entries explicitly (otherwise they come from the selected columns). */
  selectFrom(...from: (FromClause | EntityLike)[]): Select<R> { return this.with({ from: [...this.state.from, ...from.map(toFrom)] }) }
  join(target: FromClause | EntityLike | JoinPath, on?: ColumnElement<boolean>): Select<R> { return this.addJoin(target, on, 'INNER') }
  outerJoin(target: FromClause | EntityLike | JoinPath, on?: ColumnElement<boolean>): Select<R> { return this.addJoin(target, on, 'LEFT') }
  leftJoin(target: FromClause | EntityLike | JoinPath, on?: ColumnElement<boolean>): Select<R> { return this.addJoin(target, on, 'LEFT') }
  fullJoin(target: FromClause | EntityLike | JoinPath, on?: ColumnElement<boolean>): Select<R> { return this.addJoin(target, on, 'FULL') }

  private addJoin(target: FromClause | EntityLike | JoinPath, on: ColumnElement<boolean> | undefined, kind: 'INNER' | 'LEFT' | 'FULL'): Select<R> {
    let right: FromClause
    const path = (target as any)?.[JOIN_PATH] as JoinPath[typeof JOIN_PATH] | undefined
    if (path) {
      const p = path()
      right = p.target
      on = on ? and(p.on, on) : p.on
    } else right = toFrom(target as FromClause | EntityLike)
    const froms = (this.state.from.length ? [...this.state.from] : inferFroms(this.state.columns)).filter((f) => f !== right)
    if (!froms.length) throw new ArgumentError('join(): nothing to join from; select something first')
    // join from the entry the ON clause refers to, else the first one (as SQLAlchemy does)
    const referenced = on ? new Set(inferFroms([on])) : new Set<FromClause>()
    let leftIndex = froms.findIndex((f) => [...referenced].some((r) => joinCovers(f, r)))
    if (leftIndex < 0) leftIndex = 0
    froms[leftIndex] = new Join(froms[leftIndex], right, on, kind)
    return this.with({ from: froms })
  }

  groupBy(...cols: Node[]): Select<R> { return this.with({ groupBy: [...this.state.groupBy, ...cols] }) }
  having(...conditions: ColumnElement<boolean>[]): Select<R> {
    const all = this.state.having ? [this.state.having, ...conditions] : conditions
    return this.with({ having: all.length === 1 ? all[0] : and(...all) })
  }
  orderBy(...cols: (Node | OrderBy)[]): Select<R> { return this.with({ orderBy: [...this.state.orderBy, ...cols] }) }
  limit(n: number | null): Select<R> { return this.with({ limit: n === null ? undefined : boundInt(n, 'limit') }) }
  offset(n: number | null): Select<R> { return this.with({ offset: n === null ? undefined : boundInt(n, 'offset') }) }
  distinct(on = true): Select<R> { return this.with({ distinct: on }) }
  /** `FOR UPDATE` (options `{ nowait, skipLocked, of }`); `{ read: true }` gives `FOR SHARE`. */
  withForUpdate(options: LockOptions = {}): Select<R> { return this.with({ lock: options }) }
  /** Turn auto-correlation off (`false`): a subquery then names every table it uses in its own FROM. */
  correlate(on: boolean): Select<R> { return this.with({ correlate: on }) }
  /** ORM loader options; core carries them to the ORM untouched. */
  options(...opts: unknown[]): Select<R> { return this.with({ options: [...this.state.options, ...opts] }) }
  /** Add columns to the select list. */
  addColumns<E extends SelectArg[]>(...cols: E): Select<[...R, ...RowOf<E>]> {
    return new Select({ ...this.state, entities: [...this.state.entities, ...cols], columns: [...this.state.columns, ...cols.flatMap(expand)] }) as any
  }

  /** Use as a FROM: `SELECT ... FROM (this) AS name`. */
  subquery(name?: string): Alias<Record<string, Column<any>>> {
    return new Alias(this, name, subqueryColumns(this), 'subquery')
  }
  /** A common table expression; `recursive` for `WITH RECURSIVE`. */
  cte(name: string, options: { recursive?: boolean } = {}): CTE<Record<string, Column<any>>> {
    return new CTE(this, name, subqueryColumns(this), !!options.recursive)
  }
  /** Use as a single value: `(SELECT ...)`. */
  scalarSubquery<T = R extends [infer A] ? A : unknown>(): ColumnElement<T> {
    return new ScalarSubquery<T>(this, this.state.columns[0]?.type ?? Integer)
  }
  exists(): ColumnElement<boolean> { return new Exists(this) }

  union(...others: SelectLike[]): CompoundSelect<R> { return new CompoundSelect<R>('UNION', [this, ...others]) }
  unionAll(...others: SelectLike[]): CompoundSelect<R> { return new CompoundSelect<R>('UNION ALL', [this, ...others]) }
  intersect(...others: SelectLike[]): CompoundSelect<R> { return new CompoundSelect<R>('INTERSECT', [this, ...others]) }
  except(...others: SelectLike[]): CompoundSelect<R> { return new CompoundSelect<R>('EXCEPT', [this, ...others]) }
  /** Used by recursive CTEs. */
  compound(op: string, other: SelectLike): CompoundSelect<R> { return new CompoundSelect<R>(op as any, [this, other]) }

  cacheKey(w: KeyWriter): void {
    const s = this.state
    // parts joined with '\u0001' here give the same key text as pushing them one by one
    w.parts.push((s.distinct ? 'SEL(\u0001D\u0001' : 'SEL(\u0001\u0001') + (s.correlate ? '\u0001' : 'NC\u0001') + s.columns.length)
    const cols = s.columns
    for (let i = 0; i < cols.length; i++) cols[i].cacheKey(w)
    w.parts.push('F\u0001' + s.from.length)
    for (const f of s.from) f.cacheKey(w)
    if (s.where) { w.parts.push('W'); s.where.cacheKey(w) }
    if (s.groupBy.length) { w.parts.push('G'); for (const g of s.groupBy) g.cacheKey(w) }
    if (s.having) { w.parts.push('H'); s.having.cacheKey(w) }
    if (s.orderBy.length) { w.parts.push('O'); for (const o of s.orderBy) o.cacheKey(w) }
    if (s.limit) { w.parts.push('L'); s.limit.cacheKey(w) }
    if (s.offset) { w.parts.push('OF'); s.offset.cacheKey(w) }
    if (s.lock) w.parts.push('LK', JSON.stringify({ ...s.lock, of: s.lock.of?.map((f) => keyId(w, f)) }))
    w.parts.push(')')
  }
}

/** `UNION`, `UNION ALL`, `INTERSECT`, `EXCEPT` of selects. */
export class CompoundSelect<R extends unknown[] = unknown[]> extends Node implements SelectLike {
  readonly visitName = 'compoundSelect'
  readonly isSelect = true as const
  declare readonly __row?: R
  constructor(readonly operator: 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT', readonly selects: readonly SelectLike[], readonly orderByClauses: readonly Node[] = [], readonly limitClause?: ColumnElement<any>, readonly offsetClause?: ColumnElement<any>) {
    super(); Object.freeze(this)
  }
  get columns(): readonly ColumnElement<any>[] { return (this.selects[0] as any).columns }
  orderBy(...cols: Node[]): CompoundSelect<R> { return new CompoundSelect<R>(this.operator, this.selects, [...this.orderByClauses, ...cols], this.limitClause, this.offsetClause) }
  limit(n: number): CompoundSelect<R> { return new CompoundSelect<R>(this.operator, this.selects, this.orderByClauses, boundInt(n, 'limit'), this.offsetClause) }
  offset(n: number): CompoundSelect<R> { return new CompoundSelect<R>(this.operator, this.selects, this.orderByClauses, this.limitClause, boundInt(n, 'offset')) }
  subquery(name?: string): Alias<Record<string, Column<any>>> { return new Alias(this, name, subqueryColumns(this as any), 'subquery') }
  cte(name: string, options: { recursive?: boolean } = {}): CTE<Record<string, Column<any>>> { return new CTE(this, name, subqueryColumns(this as any), !!options.recursive) }
  compound(op: string, other: SelectLike): CompoundSelect<R> {
    const flat = op === this.operator && !this.orderByClauses.length && !this.limitClause && !this.offsetClause
    return flat ? new CompoundSelect<R>(op as any, [...this.selects, other]) : new CompoundSelect<R>(op as any, [this, other])
  }
  union(...others: SelectLike[]): CompoundSelect<R> { return others.reduce<CompoundSelect<R>>((c, o) => c.compound('UNION', o), this) }
  unionAll(...others: SelectLike[]): CompoundSelect<R> { return others.reduce<CompoundSelect<R>>((c, o) => c.compound('UNION ALL', o), this) }
  intersect(...others: SelectLike[]): CompoundSelect<R> { return others.reduce<CompoundSelect<R>>((c, o) => c.compound('INTERSECT', o), this) }
  except(...others: SelectLike[]): CompoundSelect<R> { return others.reduce<CompoundSelect<R>>((c, o) => c.compound('EXCEPT', o), this) }
  /** A single value: `(SELECT ... UNION ...)`. */
  scalarSubquery<T = R extends [infer A] ? A : unknown>(): ColumnElement<T> { return new ScalarSubquery<T>(this, this.columns[0]?.type ?? Integer) }
  cacheKey(w: KeyWriter): void {
    w.parts.push('CMP(', this.operator)
    for (const s of this.selects) s.cacheKey(w)
    w.parts.push('O'); for (const o of this.orderByClauses) o.cacheKey(w)
    if (this.limitClause) { w.parts.push('L'); this.limitClause.cacheKey(w) }
    if (this.offsetClause) { w.parts.push('OF'); this.offsetClause.cacheKey(w) }
    w.parts.push(')')
  }
}

function boundInt(n: number, what: string): ColumnElement<any> {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`${what}() takes a non-negative integer, got ${n}`)
  return new BindParam<number>(n, Integer)
}

function subqueryColumns(sel: { columns: readonly ColumnElement<any>[] }): Column<any>[] {
  const seen = new Map<string, number>()
  return sel.columns.map((c, i) => {
    let name = c.resultName ?? `anon_${i + 1}`
    const n = seen.get(name)
    seen.set(name, (n ?? 0) + 1)
    if (n !== undefined) name = `${name}_${n}`
    return { name, key: name, type: c.type, options: {} } as unknown as Column<any>
  })
}

function toFrom(x: FromClause | EntityLike): FromClause {
  const ent = (x as any)?.[ENTITY] as EntityLike[typeof ENTITY] | undefined
  if (ent) return ent().from
  if (isNode(x) && (x as any).isFrom) return x as FromClause
  throw new ArgumentError(`not a table, alias or model: ${String(x)}`)
}

/** FROM entries implied by the selected columns, in first-seen order. */
export function inferFroms(columns: readonly Node[]): FromClause[] {
  const out: FromClause[] = []
  const seen = new Set<object>()
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object') return
    if (n.visitName === 'column') { if (!seen.has(n.table)) { seen.add(n.table); out.push(n.table) } return }
    if (n.visitName === 'scalarSubquery' || n.visitName === 'exists') return
    for (const k of ['element', 'left', 'right', 'fn', 'low', 'high']) if (n[k]) walk(n[k])
    for (const k of ['args', 'clauses', 'values', 'elements', 'partitionBy', 'orderBy']) if (Array.isArray(n[k])) n[k].forEach(walk)
    if (n.whens) for (const [a, b] of n.whens) { walk(a); walk(b) }
    if (n.otherwise) walk(n.otherwise)
  }
  columns.forEach(walk)
  return out
}

function joinCovers(join: FromClause, f: FromClause): boolean {
  if (join === f) return true
  if (join instanceof Join) return joinCovers(join.left, f) || joinCovers(join.right, f)
  return false
}

/** Start a SELECT: `select(users.c.id, users.c.name)`, `select(User)`, `select(users)`. */
export function select<E extends SelectArg[]>(...entities: E): Select<RowOf<E>> {
  const columns: ColumnElement<any>[] = []
  for (let i = 0; i < entities.length; i++) expandInto(entities[i], columns)
  return new Select<RowOf<E>>({
    entities, columns, from: [], where: undefined, groupBy: [], having: undefined, orderBy: [], limit: undefined, offset: undefined,
    distinct: false, lock: undefined, options: [], correlate: true,
  })
}


/** `a UNION b [UNION c ...]` (also `a.union(b)`). */
export function union<R extends unknown[]>(first: Select<R> | CompoundSelect<R>, ...others: SelectLike[]): CompoundSelect<R> {
  return new CompoundSelect<R>('UNION', [first, ...others])
}
/** `a UNION ALL b [UNION ALL c ...]` (also `a.unionAll(b)`). */
export function unionAll<R extends unknown[]>(first: Select<R> | CompoundSelect<R>, ...others: SelectLike[]): CompoundSelect<R> {
  return new CompoundSelect<R>('UNION ALL', [first, ...others])
}
/** `a INTERSECT b` where the backend has it (`dialect.supportsIntersectExcept`). */
export function intersect<R extends unknown[]>(first: Select<R> | CompoundSelect<R>, ...others: SelectLike[]): CompoundSelect<R> {
  return new CompoundSelect<R>('INTERSECT', [first, ...others])
}
/** `a EXCEPT b` where the backend has it (`dialect.supportsIntersectExcept`). */
export function except<R extends unknown[]>(first: Select<R> | CompoundSelect<R>, ...others: SelectLike[]): CompoundSelect<R> {
  return new CompoundSelect<R>('EXCEPT', [first, ...others])
}
