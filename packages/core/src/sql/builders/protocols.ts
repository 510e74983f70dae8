import type { ColumnElement } from '../nodes/elements.js'
import type { Column, FromClause } from '../nodes/from.js'

/**
 * Hooks through which higher layers (the ORM) plug into Core statements
 * without Core importing them: a mapped class exposes its table and
 * columns, a relationship exposes its join.
 */
export const ENTITY = Symbol.for('retort.entity')
export const JOIN_PATH = Symbol.for('retort.joinPath')

/** Something `select()` can take as a whole row source (a mapped class or alias). */
export interface EntityLike {
  readonly [ENTITY]: () => { from: FromClause; columns: readonly Column<any>[] }
}

/** Something `.join()` can follow (a relationship attribute). */
export interface JoinPath {
  readonly [JOIN_PATH]: () => { target: FromClause; on: ColumnElement<boolean> }
}
