import { accessorFor, metadataOf, requireAccessor } from '../mapping/accessors.js'
import { declareField } from '../mapping/fields.js'
import { scheduleMapping } from '../mapping/registry.js'
import { RELATIONSHIP_DEF } from '../mapping/state-symbols.js'
import type { ModelCtor, RelationshipField } from '../mapping/types.js'
import type { RelationshipDefinition, RelationshipKind, RelationshipOptions } from './relationship-options.js'

export type { LazyStrategy, RelationshipDefinition, RelationshipKind, RelationshipOptions } from './relationship-options.js'

type Decorator<V> = <This, W extends V>(
  target: ClassAccessorDecoratorTarget<This, W>,
  context: ClassAccessorDecoratorContext<This, W>,
) => ClassAccessorDecoratorResult<This, W>

/** A relationship declaration that is also an accessor decorator. */
export type RelationshipDecl<R, Many extends boolean> = RelationshipDefinition & RelationshipField<R, Many> & Decorator<Many extends true ? R[] : R | null>

function declare<R, M extends boolean>(kind: RelationshipKind, target: () => ModelCtor<R>, options: RelationshipOptions): RelationshipDecl<R, M> {
  const decorator = ((_t: unknown, context: ClassAccessorDecoratorContext) => {
    const key = requireAccessor(context, kind)
    declareField(metadataOf(context), key, decorator as unknown as RelationshipDefinition)
    scheduleMapping(metadataOf(context))
    return accessorFor(key)
  }) as unknown as RelationshipDecl<R, M>
  Object.defineProperties(decorator, {
    [RELATIONSHIP_DEF]: { value: true },
    kind: { value: kind, enumerable: true },
    target: { value: target, enumerable: true },
    options: { value: Object.freeze({ ...options }), enumerable: true },
  })
  return decorator
}

/** One-to-many: `orders: hasMany(() => Order, { backPopulates: 'user' })`. */
export function hasMany<R>(target: () => ModelCtor<R>, options: RelationshipOptions = {}): RelationshipDecl<R, true> {
  return declare<R, true>('hasMany', target, options)
}
/** Many-to-one: `user: belongsTo(() => User, { backPopulates: 'orders' })`. */
export function belongsTo<R>(target: () => ModelCtor<R>, options: RelationshipOptions = {}): RelationshipDecl<R, false> {
  return declare<R, false>('belongsTo', target, options)
}
/** One-to-one from the referenced side: `profile: hasOne(() => Profile)`. */
export function hasOne<R>(target: () => ModelCtor<R>, options: RelationshipOptions = {}): RelationshipDecl<R, false> {
  return declare<R, false>('hasOne', target, options)
}
/** Many-to-many through `secondary`: `tags: manyToMany(() => Tag, { secondary: postTags })`. */
export function manyToMany<R>(target: () => ModelCtor<R>, options: RelationshipOptions & { secondary: NonNullable<RelationshipOptions['secondary']> }): RelationshipDecl<R, true> {
  return declare<R, true>('manyToMany', target, options)
}
