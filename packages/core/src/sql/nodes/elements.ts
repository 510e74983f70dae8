import { ArgumentError } from '../../errors/errors.js'
import { type SqlType, Bool, NullType, typeOfValue } from '../types/type.js'
import { type KeyWriter, Node, isNode } from './node.js'

/** Anything usable where a value is expected: an expression or a plain JS value (bound). */
export type ExprArg<T> = ColumnElement<T> | T
/** What a comparison takes: a value, or an expression of the same type, nullable or not. */
export type CompareArg<T> = ExprArg<T> | ColumnElement<T | null>

/** A SQL expression that yields a value of JS type `T`. */
export abstract class ColumnElement<T = unknown> extends Node {
  declare readonly __type?: T
  abstract readonly type: SqlType
  /** Name a select list uses for this expression, when it has one. */
  get resultName(): string | undefined { return undefined }

  eq(other: CompareArg<T> | null): ColumnElement<boolean> { return compare(this, other === null ? 'IS' : '=', other) }
  ne(other: CompareArg<T> | null): ColumnElement<boolean> { return compare(this, other === null ? 'IS NOT' : '<>', other) }
  lt(other: CompareArg<T>): ColumnElement<boolean> { return compare(this, '<', other) }
  le(other: CompareArg<T>): ColumnElement<boolean> { return compare(this, '<=', other) }
  gt(other: CompareArg<T>): ColumnElement<boolean> { return compare(this, '>', other) }
  ge(other: CompareArg<T>): ColumnElement<boolean> { return compare(this, '>=', other) }
  in(values: readonly CompareArg<T>[] | SelectLike): ColumnElement<boolean> { return inList(this, 'IN', values) }
  notIn(values: readonly CompareArg<T>[] | SelectLike): ColumnElement<boolean> { return inList(this, 'NOT IN', values) }
  /** `LIKE pattern`; `escape` names the character that makes `%` and `_` literal (`ESCAPE`, bound). */
  like(pattern: ExprArg<string>, escape?: string): ColumnElement<boolean> { return likeOp(this, 'LIKE', pattern, escape) }
  notLike(pattern: ExprArg<string>, escape?: string): ColumnElement<boolean> { return likeOp(this, 'NOT LIKE', pattern, escape) }
  /** Case-insensitive LIKE (`ILIKE` on PostgreSQL, `LIKE` on SQLite, `LOWER() LIKE LOWER()` on MySQL). */
  ilike(pattern: ExprArg<string>, escape?: string): ColumnElement<boolean> { return likeOp(this, 'ILIKE', pattern, escape) }
  isNull(): ColumnElement<boolean> { return new UnaryExpression<any>(this, 'IS NULL', Bool, true) }
  isNotNull(): ColumnElement<boolean> { return new UnaryExpression<any>(this, 'IS NOT NULL', Bool, true) }
  between(low: CompareArg<T>, high: CompareArg<T>): ColumnElement<boolean> {
    return new Between(this, toExpr<T>(low as ExprArg<T>, this.type), toExpr<T>(high as ExprArg<T>, this.type))
  }
  add(other: ExprArg<T>): ColumnElement<T> { return new BinaryExpression<any>(this, '+', toExpr(other, this.type), this.type) }
  sub(other: ExprArg<T>): ColumnElement<T> { return new BinaryExpression<any>(this, '-', toExpr(other, this.type), this.type) }
  mul(other: ExprArg<T>): ColumnElement<T> { return new BinaryExpression<any>(this, '*', toExpr(other, this.type), this.type) }
  div(other: ExprArg<T>): ColumnElement<T> { return new BinaryExpression<any>(this, '/', toExpr(other, this.type), this.type) }
  /** String concatenation (`||`, or `CONCAT()` on MySQL). */
  concat(other: ExprArg<string>): ColumnElement<string> { return new BinaryExpression<any>(this, '||', toExpr(other, this.type), this.type) }
  asc(): OrderBy { return new OrderBy(this, 'ASC') }
  desc(): OrderBy { return new OrderBy(this, 'DESC') }
  label<N extends string>(name: N): Label<T, N> { return new Label(this, name) }
}

/** Something that compiles to a SELECT (used by `in`, `exists`, scalar subqueries). */
export interface SelectLike extends Node { readonly isSelect: true }

export function isSelectLike(x: unknown): x is SelectLike {
  return isNode(x) && (x as any).isSelect === true
}

/** A bound parameter: its value never enters the SQL text. */
export class BindParam<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'bindParam'
  constructor(
    /** A value, or a function evaluated when the statement runs (deferred binds). */
    readonly value: T | (() => T) | undefined,
    readonly type: SqlType,
    /** Named binds take their value from the parameters given to `execute`. */
    readonly key?: string,
    readonly deferred = false,
  ) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('?\u0001' + this.type.kind); w.binds.push(this) }
  /** The value to send, resolving deferred binds and named parameters. */
  resolve(params?: Record<string, unknown>): unknown {
    let v: unknown
    if (this.key !== undefined && params && this.key in params) v = params[this.key]
    else if (this.deferred) v = (this.value as () => unknown)()
    else v = this.value
    if (v === undefined) {
      throw new ArgumentError(this.key !== undefined
        ? `No value was given for bind parameter '${this.key}' (undefined is never bound as NULL; pass null for NULL)`
        : 'Cannot bind undefined: pass null for SQL NULL (undefined usually means a value that was not set yet, such as a key before flush)')
    }
    return v
  }
}

/** A named bind whose value comes from the parameters given to `execute`. */
export function bindparam<T = unknown>(key: string, type: SqlType<T> = NullType as SqlType<T>, value?: T): BindParam<T> {
  return new BindParam<T>(value, type, key)
}

/** A value that is always bound; `undefined` is refused at once. */
export function literal<T>(value: T, type?: SqlType<T>): BindParam<T> {
  if (value === undefined) throw new ArgumentError('Cannot bind undefined: pass null for SQL NULL')
  return new BindParam<T>(value, type ?? typeOfValue(value))
}

export function toExpr<T>(v: ExprArg<T> | null, type?: SqlType): ColumnElement<T> {
  if (v instanceof ColumnElement) return v
  if (isNode(v)) return v as unknown as ColumnElement<T>
  if (v === undefined) {
    throw new ArgumentError('Cannot compare with undefined: pass null for SQL NULL (undefined usually means a value that was not set yet, such as a key before flush)')
  }
  return new BindParam<T>(v as T, type && type.kind !== 'null' ? type : typeOfValue(v))
}

function compare(left: ColumnElement<any>, op: string, right: unknown): ColumnElement<boolean> {
  if (right === null && (op === 'IS' || op === 'IS NOT')) {
    return new UnaryExpression<any>(left, op === 'IS' ? 'IS NULL' : 'IS NOT NULL', Bool, true)
  }
  return new BinaryExpression<any>(left, op, toExpr(right as any, left.type), Bool)
}

function likeOp(left: ColumnElement<any>, op: string, pattern: unknown, escape?: string): ColumnElement<boolean> {
  if (escape === undefined) return compare(left, op, pattern)
  if (escape.length !== 1) throw new ArgumentError(`${op.toLowerCase()}(): the escape must be one character, got '${escape}'`)
  return new BinaryExpression<any>(left, op, new EscapedPattern(toExpr(pattern as any, left.type), new BindParam(escape, left.type)), Bool)
}

/** A LIKE pattern with its escape character: `? ESCAPE ?`. */
export class EscapedPattern extends ColumnElement<string> {
  readonly visitName = 'escapedPattern'
  readonly type: SqlType
  constructor(readonly pattern: ColumnElement<any>, readonly escape: BindParam<string>) { super(); this.type = pattern.type; Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('esc('); this.pattern.cacheKey(w); this.escape.cacheKey(w); w.parts.push(')') }
}

function inList(left: ColumnElement<any>, op: 'IN' | 'NOT IN', values: readonly unknown[] | SelectLike): ColumnElement<boolean> {
  if (isSelectLike(values)) return new BinaryExpression<any>(left, op, new Grouping(values as any), Bool)
  if (!Array.isArray(values)) throw new ArgumentError(`${op.toLowerCase()}() takes an array or a select`)
  return new InList(left, op, (values as unknown[]).map((v) => toExpr(v, left.type)))
}

export class BinaryExpression<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'binary'
  constructor(readonly left: Node, readonly operator: string, readonly right: Node, readonly type: SqlType) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('(\u0001' + this.operator); this.left.cacheKey(w); this.right.cacheKey(w); w.parts.push(')') }
}

export class UnaryExpression<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'unary'
  constructor(readonly element: Node, readonly operator: string, readonly type: SqlType, readonly postfix = false) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('u(', this.operator); this.element.cacheKey(w); w.parts.push(')') }
}

/**
 * `x IN (?, ?, ...)`: one placeholder per value. Lists of different
 * lengths are different statement shapes, each compiled (and cached) once;
 * an empty list compiles to a constant false (`1 <> 1`; `NOT IN`: true), so
 * it needs no special case on any backend. (One expanding bind, as
 * SQLAlchemy 1.4+ renders, would save compilations but rewrite SQL per
 * execution; the cache makes the per-length shapes cheap.)
 */
export class InList extends ColumnElement<boolean> {
  readonly visitName = 'inList'
  readonly type = Bool
  constructor(readonly left: ColumnElement<any>, readonly operator: 'IN' | 'NOT IN', readonly values: readonly ColumnElement<any>[]) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void {
    w.parts.push('in(', this.operator, String(this.values.length))
    this.left.cacheKey(w)
    for (const v of this.values) v.cacheKey(w)
    w.parts.push(')')
  }
}

export class Between extends ColumnElement<boolean> {
  readonly visitName = 'between'
  readonly type = Bool
  constructor(readonly element: ColumnElement<any>, readonly low: ColumnElement<any>, readonly high: ColumnElement<any>) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('btw('); this.element.cacheKey(w); this.low.cacheKey(w); this.high.cacheKey(w); w.parts.push(')') }
}

/** `AND` / `OR` of several conditions. */
export class BooleanList extends ColumnElement<boolean> {
  readonly visitName = 'booleanList'
  readonly type = Bool
  constructor(readonly operator: 'AND' | 'OR', readonly clauses: readonly ColumnElement<any>[]) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push(this.operator, '('); for (const c of this.clauses) c.cacheKey(w); w.parts.push(')') }
}

export function and(...clauses: (ColumnElement<boolean> | undefined)[]): ColumnElement<boolean> {
  const list = clauses.filter((c): c is ColumnElement<boolean> => c !== undefined)
  return list.length === 1 ? list[0] : new BooleanList('AND', list)
}
export function or(...clauses: (ColumnElement<boolean> | undefined)[]): ColumnElement<boolean> {
  const list = clauses.filter((c): c is ColumnElement<boolean> => c !== undefined)
  return list.length === 1 ? list[0] : new BooleanList('OR', list)
}
export function not(clause: ColumnElement<boolean>): ColumnElement<boolean> {
  return new UnaryExpression<any>(new Grouping(clause), 'NOT', Bool)
}

/** Parentheses around an expression or a select. */
export class Grouping<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'grouping'
  readonly type: SqlType
  constructor(readonly element: Node) { super(); this.type = (element as any).type ?? NullType; Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('g('); this.element.cacheKey(w); w.parts.push(')') }
}

export class Label<T = unknown, N extends string = string> extends ColumnElement<T> {
  readonly visitName = 'label'
  readonly type: SqlType
  constructor(readonly element: ColumnElement<T>, readonly name: N) { super(); this.type = element.type; Object.freeze(this) }
  override get resultName(): string { return this.name }
  cacheKey(w: KeyWriter): void { w.parts.push('lbl(', this.name); this.element.cacheKey(w); w.parts.push(')') }
}

/** A reference to a label by name (`ORDER BY total`). */
export class LabelReference extends ColumnElement<unknown> {
  readonly visitName = 'labelReference'
  readonly type = NullType
  constructor(readonly name: string) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('lref', this.name) }
}

export class OrderBy extends Node {
  readonly visitName = 'orderBy'
  constructor(readonly element: Node, readonly direction: 'ASC' | 'DESC', readonly nulls?: 'FIRST' | 'LAST') { super(); Object.freeze(this) }
  nullsFirst(): OrderBy { return new OrderBy(this.element, this.direction, 'FIRST') }
  nullsLast(): OrderBy { return new OrderBy(this.element, this.direction, 'LAST') }
  cacheKey(w: KeyWriter): void { w.parts.push('ob', this.direction, this.nulls ?? ''); this.element.cacheKey(w) }
}

export class Cast<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'cast'
  constructor(readonly element: ColumnElement<any>, readonly type: SqlType<T>) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('cast(', this.type.kind, String(this.type.length ?? ''), String(this.type.precision ?? '')); this.element.cacheKey(w); w.parts.push(')') }
}

export function cast<T>(expr: ExprArg<unknown>, type: SqlType<T>): ColumnElement<T> {
  return new Cast<T>(toExpr(expr), type)
}

export class Case<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'case'
  constructor(readonly whens: readonly (readonly [ColumnElement<any>, ColumnElement<any>])[], readonly otherwise: ColumnElement<any> | undefined, readonly type: SqlType) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void {
    w.parts.push('case(', String(this.whens.length))
    for (const [c, v] of this.whens) { c.cacheKey(w); v.cacheKey(w) }
    if (this.otherwise) { w.parts.push('else'); this.otherwise.cacheKey(w) }
    w.parts.push(')')
  }
}

/** `CASE WHEN cond THEN value ... ELSE otherwise END`. */
export function case_<T>(whens: readonly (readonly [ColumnElement<boolean>, ExprArg<T>])[], otherwise?: ExprArg<T>): ColumnElement<T> {
  const pairs = whens.map(([c, v]) => [c, toExpr(v)] as const)
  const first = pairs[0]?.[1]
  return new Case<T>(pairs, otherwise === undefined ? undefined : toExpr(otherwise, first?.type), first?.type ?? NullType)
}

/** A fixed SQL fragment with no values in it (`*`, keywords). */
export class Keyword extends ColumnElement<unknown> {
  readonly visitName = 'keyword'
  readonly type = NullType
  constructor(readonly text: string) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('kw', this.text) }
}

export class FunctionCall<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'function'
  constructor(readonly name: string, readonly args: readonly Node[], readonly type: SqlType, readonly distinct = false) { super(); Object.freeze(this) }
  override get resultName(): string { return this.name.toLowerCase() }
  cacheKey(w: KeyWriter): void {
    w.parts.push('fn(', this.name, this.distinct ? 'D' : '')
    for (const a of this.args) a.cacheKey(w)
    w.parts.push(')')
  }
  /** A window function: `fn(...) OVER (PARTITION BY ... ORDER BY ...)`. */
  over(spec: { partitionBy?: ColumnElement<any> | ColumnElement<any>[]; orderBy?: Node | Node[] } = {}): ColumnElement<T> {
    const arr = <X>(x: X | X[] | undefined): X[] => (x === undefined ? [] : Array.isArray(x) ? x : [x])
    return new Over<T>(this, arr(spec.partitionBy), arr(spec.orderBy))
  }
  /** `fn(...) FILTER (WHERE ...)` is not portable; use `case_` inside the aggregate instead. */
}

export class Over<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'over'
  readonly type: SqlType
  constructor(readonly fn: FunctionCall<T>, readonly partitionBy: readonly Node[], readonly orderBy: readonly Node[]) { super(); this.type = fn.type; Object.freeze(this) }
  override get resultName(): string | undefined { return this.fn.resultName }
  cacheKey(w: KeyWriter): void {
    w.parts.push('over(')
    this.fn.cacheKey(w)
    w.parts.push('p', String(this.partitionBy.length)); for (const p of this.partitionBy) p.cacheKey(w)
    w.parts.push('o', String(this.orderBy.length)); for (const o of this.orderBy) o.cacheKey(w)
    w.parts.push(')')
  }
}

/** A scalar subquery used as a value. */
export class ScalarSubquery<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'scalarSubquery'
  constructor(readonly select: SelectLike, readonly type: SqlType) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('ss('); this.select.cacheKey(w); w.parts.push(')') }
}

export class Exists extends ColumnElement<boolean> {
  readonly visitName = 'exists'
  readonly type = Bool
  constructor(readonly select: SelectLike) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('exists('); this.select.cacheKey(w); w.parts.push(')') }
}

/** `EXISTS (select ...)`. */
export function exists(select: SelectLike): ColumnElement<boolean> { return new Exists(select) }

/** Tuple of expressions, e.g. for composite-key `IN`. */
export class Tuple extends ColumnElement<unknown[]> {
  readonly visitName = 'tuple'
  readonly type = NullType
  constructor(readonly elements: readonly ColumnElement<any>[]) { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void { w.parts.push('tup(', String(this.elements.length)); for (const e of this.elements) e.cacheKey(w); w.parts.push(')') }
}

export function tuple(...elements: ExprArg<unknown>[]): Tuple { return new Tuple(elements.map((e) => toExpr(e))) }


