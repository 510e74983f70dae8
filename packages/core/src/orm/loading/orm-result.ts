import { ArgumentError } from '../../errors/errors.js'
import { Result, type Row, type RowShaper, ScalarResult, rowNamer } from '../../engine/result.js'

/**
 * The result of an ORM select: rows hold entities. When a joined eager
 * load brought a collection, rows repeat per related row, so (as in
 * SQLAlchemy) `unique()` must be called before reading.
 */
export class OrmResult<R extends unknown[] = unknown[]> extends Result<R> {
  private uniqued = false
  /** Whether `stored` still holds one entity (or null) per row, not rows (single-entity selects until first read). */
  private columnOnly: boolean
  /**
   * `rows` are unnamed rows; or, with `column`, the entities of a
   * one-entity select, one per row: its rows are made (and named) only when
   * read, `scalars()` takes the column as it is.
   */
  constructor(rows: unknown[], names: readonly string[], rowCount: number, private readonly needsUnique: boolean, column = false) {
    super(rows as unknown[][], names, rowCount, undefined, column ? wrapThen(rowNamer(names)) : rowNamer(names))
    this.columnOnly = column && rows.length > 0
  }
  override get rows(): Row<R>[] { this.columnOnly = false; return super.rows }
  protected override positional(): Row<R>[] { if (this.columnOnly) void this.rows; return super.positional() }
  override unique(): this { this.uniqued = true; return super.unique() }
  private check(): void {
    if (this.needsUnique && !this.uniqued) {
      throw new ArgumentError('This result contains a joinedload of a collection, so rows repeat per related row: call result.unique() first (e.g. (await session.execute(stmt)).unique().scalars())')
    }
  }
  override [Symbol.iterator](): Iterator<Row<R>> { this.check(); return super[Symbol.iterator]() }
  override all(): Row<R>[] { this.check(); return super.all() }
  override first(): Row<R> | undefined { this.check(); return super.first() }
  override one(): Row<R> { this.check(); return super.one() }
  override oneOrNone(): Row<R> | undefined { this.check(); return super.oneOrNone() }
  override scalar(): R[0] | undefined { this.check(); return this.columnOnly && !this.uniqued ? this.stored[0] as unknown as R[0] : super.scalar() }
  override scalarOne(): R[0] { this.check(); return super.scalarOne() }
  override scalars<I extends number = 0>(index?: I): ScalarResult<R[I]> {
    this.check()
    if (this.columnOnly && !index && !this.uniqued) return new ScalarResult(this.stored.slice() as unknown[] as R[I][])
    return super.scalars(index)
  }
  override *partitions(size = 100): Generator<Row<R>[]> { this.check(); yield* super.partitions(size) }
}

/** Rows of one entity each from the column of entities, in place, then named. */
function wrapThen(namer: RowShaper | undefined): RowShaper {
  return (column) => {
    for (let i = 0; i < column.length; i++) column[i] = [column[i]]
    namer?.(column)
  }
}
