import { ArgumentError } from '../../errors/errors.js'
import { Result, type Row, type ScalarResult } from '../../engine/result.js'

/**
 * The result of an ORM select: rows hold entities. When a joined eager
 * load brought a collection, rows repeat per related row, so (as in
 * SQLAlchemy) `unique()` must be called before reading.
 */
export class OrmResult<R extends unknown[] = unknown[]> extends Result<R> {
  private uniqued = false
  constructor(rows: Row<R>[], names: readonly string[], rowCount: number, private readonly needsUnique: boolean) {
    super(rows, names, rowCount)
  }
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
  override scalar(): R[0] | undefined { this.check(); return super.scalar() }
  override scalarOne(): R[0] { this.check(); return super.scalarOne() }
  override scalars<I extends number = 0>(index?: I): ScalarResult<R[I]> { this.check(); return super.scalars(index) }
  override *partitions(size = 100): Generator<Row<R>[]> { this.check(); yield* super.partitions(size) }
}
