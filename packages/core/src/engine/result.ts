import { ArgumentError, MultipleResultsFound, NoResultFound } from '../errors/errors.js'
import { generated } from './codegen.js'

/** A row: an array that also has a property per column label (`row[0] === row.name`). */
export type Row<R extends unknown[] = unknown[]> = R & { readonly [name: string]: any }

type Processor = ((v: any) => unknown) | undefined
/** Converts (per column processor) and names positional rows in place, one pass per row. */
export type RowShaper = (rows: unknown[][]) => void

/** A label that can be a property of an array row without clobbering its elements or length. */
function isUsableName(name: string): boolean { return name !== 'length' && !/^\d+$/.test(name) }

/**
 * Build the function that converts and names rows for one column list:
 * generated code with constant-key stores (`row["name"] = row[1]`), so every
 * row of a result takes the same hidden-class path (a keyed store in a loop
 * was ~15x slower). Processors are called only for the columns that have
 * one, and never for SQL `NULL`. Falls back to a loop where code generation
 * is not allowed (a CSP without 'unsafe-eval').
 */
export function rowShaper(names: readonly string[], processors: readonly Processor[] = []): RowShaper {
  const args: string[] = []
  const fns: ((v: any) => unknown)[] = []
  let body = ''
  for (let i = 0; i < processors.length; i++) {
    const p = processors[i]
    if (p === undefined) continue
    args.push('p' + i)
    fns.push(p)
    body += `v = row[${i}]; if (v !== null) row[${i}] = p${i}(v);\n`
  }
  for (let i = 0; i < names.length; i++) if (isUsableName(names[i])) body += `row[${JSON.stringify(names[i])}] = row[${i}];\n`
  const source = `return function shapeRows(rows) {\n  for (let r = 0; r < rows.length; r++) {\n    const row = rows[r]; let v;\n${body}  }\n}`
  return generated<RowShaper>(args, fns, source) ?? loopShaper(names, processors)
}

function loopShaper(names: readonly string[], processors: readonly Processor[]): RowShaper {
  const procs = processors.map((p, i) => [i, p] as const).filter((x): x is readonly [number, (v: any) => unknown] => x[1] !== undefined)
  const named = names.map((k, i) => [i, k] as const).filter(([, k]) => isUsableName(k))
  return (rows) => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as any
      for (let j = 0; j < procs.length; j++) { const i = procs[j][0]; if (row[i] !== null) row[i] = procs[j][1](row[i]) }
      for (let j = 0; j < named.length; j++) row[named[j][1]] = row[named[j][0]]
    }
  }
}

/** Namers by column list, for results whose names come from the driver (`text()`) or the ORM. */
const namers = new Map<string, RowShaper>()
const MAX_NAMERS = 500

/** The (cached) function that gives rows of this column list their named properties; `undefined` for no names. */
export function rowNamer(names: readonly string[]): RowShaper | undefined {
  if (!names.length) return undefined
  const key = JSON.stringify(names)
  let namer = namers.get(key)
  if (namer === undefined) {
    if (namers.size >= MAX_NAMERS) namers.delete(namers.keys().next().value!)
    namers.set(key, (namer = rowShaper(names)))
  }
  return namer
}

/** Give each positional row its named properties (in place: no per-row copy). */
export function nameRows(rows: unknown[][], names: readonly string[]): void {
  if (rows.length) rowNamer(names)?.(rows)
}

/** Scalars of one column, iterable, with the usual accessors. */
export class ScalarResult<T> implements Iterable<T> {
  constructor(private readonly values: T[]) {}
  [Symbol.iterator](): Iterator<T> { return this.values[Symbol.iterator]() }
  /** Every value. */
  all(): T[] { return this.values }
  /** The first value, or `undefined` when there is none. */
  first(): T | undefined { return this.values[0] }
  /** The only value; `NoResultFound` / `MultipleResultsFound` otherwise. */
  one(): T { return exactlyOne(this.values, false) as T }
  /** The only value or `undefined`; `MultipleResultsFound` for more. */
  oneOrNone(): T | undefined { return exactlyOne(this.values, true) }
  /** Deduplicate: by value for primitives, dates and bytes, by identity for other objects. */
  unique(): ScalarResult<T> { return new ScalarResult(dedupe(this.values, cellKey)) }
  /** Values in chunks of `size`. */
  *partitions(size = 100): Generator<T[]> {
    for (let i = 0; i < this.values.length; i += size) yield this.values.slice(i, i + size)
  }
  /** How many values. */
  get length(): number { return this.values.length }
}

function exactlyOne<T>(rows: T[], allowNone: boolean): T | undefined {
  if (rows.length > 1) throw new MultipleResultsFound(`Expected one row, got ${rows.length}`)
  if (!rows.length) { if (allowNone) return undefined; throw new NoResultFound('Expected one row, got none') }
  return rows[0]
}

/**
 * A buffered result: rows stay readable after the connection is released.
 * Rows get their named properties on first read of a row (`rows`, `all()`,
 * iteration, ...): `scalars()`, `scalar()` and `mappings()` read by position
 * and never pay for naming 10k rows.
 */
export class Result<R extends unknown[] = unknown[]> implements Iterable<Row<R>> {
  private uniqueBy?: (row: Row<R>) => unknown
  private deduped?: Row<R>[]
  /** The rows as held: positional, named once `pendingShape` ran. */
  protected stored: Row<R>[]
  /** Names (or, for a subclass, builds) the stored rows in place on first read; `undefined` once done. */
  protected pendingShape: RowShaper | undefined
  constructor(
    rows: Row<R>[] | unknown[][],
    private readonly columnNames: readonly string[],
    /** Rows matched by UPDATE/DELETE (found, not changed, on MySQL too), or rows returned. */
    readonly rowCount: number,
    /** First generated id of an INSERT where the backend reports one. */
    readonly lastInsertId?: number | bigint,
    /** @internal Names the rows in place when first read (rows are passed positional). */
    nameLater?: RowShaper,
  ) {
    this.stored = rows as Row<R>[]
    this.pendingShape = rows.length ? nameLater : undefined
  }

  /** Every row (named), regardless of `unique()`. */
  get rows(): Row<R>[] {
    const shape = this.pendingShape
    if (shape !== undefined) { this.pendingShape = undefined; shape(this.stored) }
    return this.stored
  }

  /** Rows for reading by position only (not necessarily named yet), after `unique()`. */
  protected positional(): Row<R>[] { return this.uniqueBy ? this.list() : this.stored }

  [Symbol.iterator](): Iterator<Row<R>> { return this.list()[Symbol.iterator]() }
  /** Column labels, in order. */
  keys(): string[] { return [...this.columnNames] }
  private list(): Row<R>[] {
    if (!this.uniqueBy) return this.rows
    return (this.deduped ??= dedupe(this.rows, this.uniqueBy))
  }
  /** Every row. */
  all(): Row<R>[] { return this.list() }
  /** The first row, or `undefined` when there is none. */
  first(): Row<R> | undefined { return this.list()[0] }
  /** The only row; `NoResultFound` / `MultipleResultsFound` otherwise. */
  one(): Row<R> { return exactlyOne(this.list(), false)! }
  /** The only row or `undefined`; `MultipleResultsFound` for more. */
  oneOrNone(): Row<R> | undefined { return exactlyOne(this.list(), true) }
  /** First column of the first row; `undefined` when there is no row. */
  scalar(): R[0] | undefined { const r = this.positional()[0]; return r === undefined ? undefined : r[0] }
  /** First column of the only row; throws unless exactly one row. */
  scalarOne(): R[0] { return this.one()[0] }
  /** The first (or the `index`-th) column of every row. */
  scalars<I extends number = 0>(index: I = 0 as I): ScalarResult<R[I]> {
    const rows = this.positional()
    const out = new Array<R[I]>(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = rows[i][index] as R[I]
    return new ScalarResult(out)
  }
  /** Rows as plain objects keyed by column label. */
  mappings(): ScalarResult<Record<string, unknown>> {
    const names = this.columnNames
    return new ScalarResult(this.positional().map((r) => {
      const o: Record<string, unknown> = {}
      for (let i = 0; i < names.length; i++) o[names[i]] = r[i]
      return o
    }))
  }
  /**
   * Drop duplicate rows: by value for primitives, dates and bytes, by
   * identity for other objects (ORM instances), or by `strategy(row)`.
   */
  unique(strategy?: (row: Row<R>) => unknown): this {
    this.uniqueBy = strategy ?? rowKey
    this.deduped = undefined
    return this
  }
  /** Rows in chunks of `size`. */
  *partitions(size = 100): Generator<Row<R>[]> {
    if (!(size >= 1)) throw new ArgumentError(`partitions(${size}): the size must be at least 1`)
    const rows = this.list()
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
  }
}

/** @internal A result's rows for reading by position (the ORM's hydration): named or not, never copied. */
export function positionalRows(r: Result<any>): readonly unknown[][] {
  return (r as unknown as { stored: unknown[][] }).stored
}

function dedupe<T>(rows: T[], key: (row: T) => unknown): T[] {
  const seen = new Set<unknown>()
  const out: T[] = []
  for (const r of rows) { const k = key(r); if (!seen.has(k)) { seen.add(k); out.push(r) } }
  return out
}

const objectIds = new WeakMap<object, number>()
let nextObjectId = 0

/** A value key for one cell: equal values give equal strings; plain objects key by identity. */
function cellKey(v: unknown): string {
  switch (typeof v) {
    case 'string': return 's' + v
    case 'number': return 'n' + v
    case 'bigint': return 'n' + v // 1 and 1n are one key, as in the identity map
    case 'boolean': return v ? 'T' : 'F'
    case 'undefined': return 'U'
  }
  if (v === null) return 'N'
  if (v instanceof Date) return 'd' + v.getTime()
  if (v instanceof Uint8Array) return 'b' + Array.from(v, (x) => x.toString(16).padStart(2, '0')).join('')
  let id = objectIds.get(v as object)
  if (id === undefined) objectIds.set(v as object, (id = nextObjectId++))
  return 'o' + id
}

function rowKey(r: unknown[]): unknown {
  if (r.length === 1) return cellKey(r[0])
  let k = ''
  for (let i = 0; i < r.length; i++) k += cellKey(r[i]) + '\u0000'
  return k
}
