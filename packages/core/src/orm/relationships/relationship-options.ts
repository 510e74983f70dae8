import type { ColumnElement, OrderBy } from '../../sql/nodes/elements.js'
import type { Table } from '../../sql/schema/table.js'
import type { RELATIONSHIP_DEF } from '../mapping/state-symbols.js'
import type { ModelCtor } from '../mapping/types.js'

/** How a relationship loads when a query does not say: SQLAlchemy's `lazy=`. */
export type LazyStrategy = 'raise' | 'selectin' | 'joined' | 'subquery' | 'noload'

export type OrderByArg = ColumnElement<any> | OrderBy | readonly (ColumnElement<any> | OrderBy)[]

export interface RelationshipOptions {
  /** Name of the matching relationship declared on the other model. */
  backPopulates?: string
  /** Create the reverse relationship on the other model under this name. */
  backref?: string
  /** The foreign-key attribute(s) to join on, when several paths exist (`'billingUserId'`). */
  foreignKey?: string | readonly string[]
  /** SQLAlchemy's cascade list: `'save-update, merge'` (default), `delete`, `delete-orphan`, `all`. */
  cascade?: string
  /** Leave unloaded children to the database's `ON DELETE` when the parent is deleted. */
  passiveDeletes?: boolean
  /** Write this relationship's foreign key with a second UPDATE (breaks insert/delete cycles). */
  postUpdate?: boolean
  /** Order of a collection: a column, an array, or a thunk returning one. */
  orderBy?: OrderByArg | (() => OrderByArg)
  /** Default loader strategy (`'raise'` unless set). */
  lazy?: LazyStrategy
  /** Many-to-many: the association table (or a model mapped to it). */
  secondary?: Table<any> | ModelCtor | (() => Table<any> | ModelCtor)
}

export type RelationshipKind = 'hasMany' | 'belongsTo' | 'hasOne' | 'manyToMany'

/** A relationship declaration (before the mappers are configured). */
export interface RelationshipDefinition {
  readonly [RELATIONSHIP_DEF]: true
  readonly kind: RelationshipKind
  readonly target: () => ModelCtor
  readonly options: RelationshipOptions
}
