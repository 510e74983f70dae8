import { MultipleResultsFound, NoResultFound } from '../errors/errors.js'

/** A row: an array that also has a property per column label (`row[0] === row.name`). */
export type Row<R extends unknown[] = unknown[]> = R & { readonly [name: string]: any }

/** Give each positional row its named properties (in place: no per-row copy). */
export function nameRows(rows: unknown[][], names: readonly string[]): void {
  const n = names.length
  const usable = names.map((k) => k !== 'length' && !/^\d+$/.test(k))
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as any
    for (let i = 0; i < n; i++) if (usable[i]) row[names[i]] = row[i]
  }
}

/** Scalars of one column, iterable, with the usual accessors. */
export class ScalarResult<T> implements Iterable<T> {
  constructor(private readonly values: T[]) {}
  [Symbol.iterator](): Iterator<T> { return this.values[Symbol.iterator]() }
  all(): T[] { return this.values }
  first(): T | undefined { return this.values[0] }
  one(): T { return exactlyOne(this.values, false) as T }
  oneOrNone(): T | undefined { return exactlyOne(this.values, true) }
  /** Deduplicate (by identity, or by value for primitives). */
  unique(): ScalarResult<T> { return new ScalarResult([...new Set(this.values)]) }
  get length(): number { return this.values.length }
}

function exactlyOne<T>(rows: T[], allowNone: boolean): T | undefined {
  if (rows.length > 1) throw new MultipleResultsFound(`Expected one row, got ${rows.length}`)
  if (!rows.length) { if (allowNone) return undefined; throw new NoResultFound('Expected one row, got none') }
  return rows[0]
}

/** A buffered result: rows stay readable after the connection is released. */
export class Result<R extends unknown[] = unknown[]> implements Iterable<Row<R>> {
  private uniqueRows = false
  constructor(
    readonly rows: Row<R>[],
    private readonly columnNames: readonly string[],
    /** Rows matched by UPDATE/DELETE (found, not changed, on MySQL too), or rows returned. */
    readonly rowCount: number,
    /** First generated id of an INSERT where the backend reports one. */
    readonly lastInsertId?: number | bigint,
  ) {}

  [Symbol.iterator](): Iterator<Row<R>> { return this.list()[Symbol.iterator]() }
  keys(): string[] { return [...this.columnNames] }
  private list(): Row<R>[] {
    if (!this.uniqueRows) return this.rows
    const seen = new Set<string>()
    return this.rows.filter((r) => { const k = rowKey(r); if (seen.has(k)) return false; seen.add(k); return true })
  }
  all(): Row<R>[] { return this.list() }
  first(): Row<R> | undefined { return this.list()[0] }
  one(): Row<R> { return exactlyOne(this.list(), false)! }
  oneOrNone(): Row<R> | undefined { return exactlyOne(this.list(), true) }
  /** First column of the first row; `undefined` when there is no row. */
  scalar(): R[0] | undefined { const r = this.list()[0]; return r === undefined ? undefined : r[0] }
  /** First column of the only row; throws unless exactly one row. */
  scalarOne(): R[0] { return this.one()[0] }
  /** The first (or the `index`-th) column of every row. */
  scalars<I extends number = 0>(index: I = 0 as I): ScalarResult<R[I]> { return new ScalarResult(this.list().map((r) => r[index] as R[I])) }
  /** Rows as plain objects keyed by column label. */
  mappings(): ScalarResult<Record<string, unknown>> {
    const names = this.columnNames
    return new ScalarResult(this.list().map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]))))
  }
  /** Drop duplicate rows (by value). */
  unique(): this { this.uniqueRows = true; return this }
  /** Rows in chunks of `size`. */
  *partitions(size = 100): Generator<Row<R>[]> {
    const rows = this.list()
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
  }
}

function rowKey(r: unknown[]): string {
  return JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v))
}
