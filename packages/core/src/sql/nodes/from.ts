import type { SqlType } from '../types/type.js'
import { ColumnElement, type SelectLike } from './elements.js'
import { type KeyWriter, Node, keyId } from './node.js'

/** Options a column is declared with (DDL and ORM read them). */
export interface ColumnOptions<T = unknown> {
  primaryKey?: boolean
  nullable?: boolean
  /** Database column name when it differs from the attribute name. */
  name?: string
  /** `'table.column'` this column references. */
  foreignKey?: string
  onDelete?: 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' | 'SET DEFAULT'
  onUpdate?: 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' | 'SET DEFAULT'
  unique?: boolean
  index?: boolean
  /** Client-side default: a value or a function called per insert. */
  default?: T | (() => T)
  /** SQL default: a literal string of SQL (e.g. `'CURRENT_TIMESTAMP'`) or a number/boolean. */
  serverDefault?: string | number | boolean
  /** Client-side value set on every UPDATE. */
  onUpdateValue?: T | (() => T)
  autoincrement?: boolean
  /** Optimistic locking counter (ORM). */
  versionCounter?: boolean
  /** A CHECK constraint expression in SQL, attached to the column. */
  check?: string
}

/** A FROM-able thing: table, alias, join, subquery, CTE. */
export abstract class FromClause extends Node {
  abstract readonly isFrom: true
}

/** A column of a table or alias. */
export class Column<T = unknown> extends ColumnElement<T> {
  readonly visitName = 'column'
  constructor(
    /** Database name. */
    readonly name: string,
    readonly type: SqlType,
    readonly table: FromClause & { readonly name?: string },
    readonly options: ColumnOptions<T> = {},
    /** Attribute name in `table.c` (may differ from the database name). */
    readonly key: string = name,
  ) {
    super()
    const t = table as any
    // a table column's cache-key parts ('c', table name, column name) as one string: the key text is unchanged
    this.tableKey = t !== undefined && t !== null && t.visitName === 'table' ? 'c\u0001' + t.name + '\u0001' + name : undefined
    if (new.target === Column) Object.freeze(this)
  }
  /** @internal This column's cache-key fragment when its source is a table (joined as the parts would be). */
  readonly tableKey: string | undefined
  override get resultName(): string { return this.name }
  get primaryKey(): boolean { return !!this.options.primaryKey }
  get nullable(): boolean { return this.options.nullable ?? !this.options.primaryKey }
  cacheKey(w: KeyWriter): void {
    if (this.tableKey !== undefined) { w.parts.push(this.tableKey); return }
    const t = this.table as any
    // a column of an alias, subquery or CTE: the key must hold that source's structure (and binds) too
    if (!w.ids.has(t)) t.cacheKey(w)
    w.parts.push('c', keyId(w, t), this.name)
  }
}

export class Join extends FromClause {
  readonly visitName = 'join'
  readonly isFrom = true as const
  constructor(readonly left: FromClause, readonly right: FromClause, readonly on: ColumnElement<any> | undefined, readonly kind: 'INNER' | 'LEFT' | 'FULL') { super(); Object.freeze(this) }
  cacheKey(w: KeyWriter): void {
    w.parts.push('join(', this.kind); this.left.cacheKey(w); this.right.cacheKey(w)
    if (this.on) this.on.cacheKey(w)
    w.parts.push(')')
  }
  join(right: FromClause, on?: ColumnElement<any>): Join { return new Join(this, right, on, 'INNER') }
  outerJoin(right: FromClause, on?: ColumnElement<any>): Join { return new Join(this, right, on, 'LEFT') }
}

/** Columns of a from clause by attribute key. */
export type ColumnsOf<C> = { readonly [K in keyof C]: C[K] }

/** An aliased table or subquery: `... AS name`. Its columns are new Column objects bound to the alias. */
export class Alias<C extends Record<string, Column<any>> = Record<string, Column<any>>> extends FromClause {
  readonly visitName = 'alias'
  readonly isFrom = true as const
  readonly c: C
  constructor(readonly element: FromClause | SelectLike, readonly name: string | undefined, columns: readonly Column<any>[] | Record<string, Column<any>>, readonly kind: 'alias' | 'subquery' | 'cte' = 'alias', readonly recursive = false) {
    super()
    const c: Record<string, Column<any>> = {}
    const list = Array.isArray(columns) ? columns : Object.values(columns)
    for (const col of list) c[col.key] = new Column(col.name, col.type, this, col.options, col.key)
    this.c = Object.freeze(c) as C
    // a CTE stays open until its recursive part is given
    if (new.target === Alias) Object.freeze(this)
  }
  /** Written in full where first met (a FROM entry or a column of it), by id after that. */
  cacheKey(w: KeyWriter): void {
    const first = !w.ids.has(this)
    w.parts.push(this.kind, '(', this.name ?? '', keyId(w, this), this.recursive ? 'R' : '')
    if (first) ((this as any).body ?? this.element).cacheKey(w)
    w.parts.push(')')
  }
  /** The columns in declaration order. */
  get columns(): Column<any>[] { return Object.values(this.c) }
}

/** A recursive CTE's body is set after creation (it refers to the CTE itself). */
export class CTE<C extends Record<string, Column<any>> = Record<string, Column<any>>> extends Alias<C> {
  body: SelectLike
  constructor(body: SelectLike, name: string, columns: readonly Column<any>[], recursive: boolean) {
    super(body, name, columns, 'cte', recursive)
    this.body = body
  }
  /** `WITH RECURSIVE name AS (body UNION ALL recursive)`: give the recursive part. */
  unionAll(recursivePart: (cte: this) => SelectLike): this { return this.withBody('UNION ALL', recursivePart) }
  union(recursivePart: (cte: this) => SelectLike): this { return this.withBody('UNION', recursivePart) }
  private withBody(op: string, part: (cte: this) => SelectLike): this {
    const body = (this.body as any).compound(op, part(this))
    this.body = body
    return this
  }
}
