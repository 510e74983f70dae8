/** Symbol-keyed slots the ORM keeps on classes, metadata objects and instances (fast, no WeakMap). */
export const STATE = Symbol.for('retort.orm.state')
/** On a decorator metadata object: the fields declared by decorators at that class level. */
export const FIELDS = Symbol.for('retort.orm.fields')
/** On a model base's metadata object: the model's name, object-style fields and options. */
export const MODEL_BASE = Symbol.for('retort.orm.modelBase')
/** On a metadata object: the mapper built from it. */
export const MAPPER = Symbol.for('retort.orm.mapper')
/** Marks a relationship declaration. */
export const RELATIONSHIP_DEF = Symbol.for('retort.orm.relationshipDef')
