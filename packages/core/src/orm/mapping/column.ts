import type { ColumnOptions } from '../../sql/nodes/from.js'
import { COLUMN_DEF, type ColumnDef } from '../../sql/schema/table.js'
import { type TypeArg, resolveType } from '../../sql/types/type.js'
import { accessorFor, metadataOf, requireAccessor } from './accessors.js'
import { declareField } from './fields.js'
import { scheduleMapping } from './registry.js'
import { METADATA } from './symbol-metadata.js'

/**
 * A column declaration that is also a TC39 accessor decorator: use it in
 * `table()`, in `Model(name, { ... })`, or as `@column(...) accessor x!: T`.
 * The accessor's type must match the column's JS type (`T`, or `T | null`
 * for a nullable column).
 */
export type ColumnField<T> = ColumnDef<T> & (<This, V extends T>(
  target: ClassAccessorDecoratorTarget<This, V>,
  context: ClassAccessorDecoratorContext<This, V>,
) => ClassAccessorDecoratorResult<This, V>)

type NotNull = { primaryKey: true } | { nullable: false }

/** Declare a column. Nullable unless `nullable: false` or `primaryKey: true`. */
export function column<T>(type: TypeArg<T>, options: ColumnOptions<T> & NotNull): ColumnField<T>
export function column<T>(type: TypeArg<T>, options?: ColumnOptions<T>): ColumnField<T | null>
export function column<T>(type: TypeArg<T>, options: ColumnOptions<T> = {}): ColumnField<any> {
  void METADATA
  const decorator = ((_target: unknown, context: ClassAccessorDecoratorContext) => {
    const key = requireAccessor(context, 'column')
    declareField(metadataOf(context), key, decorator as unknown as ColumnDef<any>)
    scheduleMapping(metadataOf(context))
    return accessorFor(key)
  }) as unknown as ColumnField<any>
  Object.defineProperties(decorator, {
    [COLUMN_DEF]: { value: true },
    type: { value: resolveType(type), enumerable: true },
    options: { value: Object.freeze({ ...options }), enumerable: true },
  })
  return decorator
}
