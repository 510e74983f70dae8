import type { EntityLike, JoinPath } from '../../sql/builders/protocols.js'
import type { ColumnElement } from '../../sql/nodes/elements.js'
import type { Column } from '../../sql/nodes/from.js'
import type { ColumnDef, Table } from '../../sql/schema/table.js'

/** A mapped class (any model), as relationship targets name it. */
export type ModelCtor<R = any> = abstract new (...args: any[]) => R

/** What every model instance has. */
export interface ModelInstance {
  /** Loaded column attributes, for `JSON.stringify`. */
  toJSON(): Record<string, unknown>
  /** `await obj.awaitable.orders` loads an unloaded relationship. */
  readonly awaitable: Record<string, Promise<unknown>>
}

type Elem<V> = V extends readonly (infer E)[] ? E : V
/** Keys of `T` that hold related objects. */
export type RelationKeys<T> = { [K in keyof T]-?: NonNullable<Elem<T[K]>> extends ModelInstance ? K : never }[keyof T]
/** Keys of `T` that are attributes (not methods, not the model's own members). */
export type DataKeys<T> = { [K in keyof T]-?: K extends keyof ModelInstance ? never : T[K] extends (...a: any[]) => any ? never : K }[keyof T]
/** Keys of `T` that are columns. */
export type ColumnKeys<T> = Exclude<DataKeys<T>, RelationKeys<T>>

/** `Order.c.user`: a relationship as used in queries, loader options and joins. */
export interface RelationshipExpr<R = unknown, O = unknown> extends JoinPath {
  readonly key: string
  /** `Order.c.user.eq(user)`: compares the foreign key with the object's key, bound when the statement runs. */
  eq(other: R | null): ColumnElement<boolean>
  ne(other: R | null): ColumnElement<boolean>
  /** `User.c.orders.any(Order.c.total.gt(100))`: EXISTS over the related rows. */
  any(criterion?: ColumnElement<boolean>): ColumnElement<boolean>
  /** Phantom: owner and target types. */
  readonly __owner?: O
  readonly __target?: R
}

/** `User.c`: typed column expressions and relationships. */
export type ModelColumns<T> =
  & { readonly [K in ColumnKeys<T>]: Column<T[K]> }
  & { readonly [K in RelationKeys<T>]: RelationshipExpr<NonNullable<Elem<T[K]>>, T> }

/** Constructor attributes: any attribute, typed. */
export type ModelAttrs<T> = { [K in DataKeys<T>]?: T[K] }

/** Static side of a mapped class. */
export interface ModelStatics<T> extends EntityLike {
  /** The mapped `Table`. */
  readonly table: Table<any>
  /** Typed column expressions and relationships (`User.c.name`, `User.c.orders`). */
  readonly c: ModelColumns<T>
}

/** `Model<User>('users')`: the base class a decorated model extends. */
export type ModelClass<T> = ModelStatics<T> & (new (attrs?: ModelAttrs<T>) => ModelInstance)

/** Marks a relationship declaration, with its target and whether it holds a list. */
export interface RelationshipField<R = unknown, Many extends boolean = boolean> {
  readonly __relTarget?: R
  readonly __many?: Many
}

/** Instance type from object-style fields. */
export type InstanceFromFields<D> = {
  -readonly [K in keyof D]: D[K] extends ColumnDef<infer V> ? V
    : D[K] extends RelationshipField<infer R, infer M> ? (M extends true ? R[] : R | null)
    : never
}

/** `Model('users', { ...fields })`: the base class of an object-style model. */
export type ObjectModelClass<D> = ModelStatics<InstanceFromFields<D> & ModelInstance> &
  (new (attrs?: Partial<InstanceFromFields<D>>) => ModelInstance & InstanceFromFields<D>)
