import type { Mapper } from '../mapping/mapper.js'
import { type Relationship, relationshipsOf } from './relationship.js'

/**
 * A mapper's relationships as arrays, grouped the way the unit of work
 * walks them (per object, on every flush: no Map iterator, no filter per
 * object). Rebuilt when the mapper gains a relationship (a backref
 * configured later).
 */
export interface RelationshipLists {
  readonly generation: number
  readonly all: readonly Relationship[]
  /** Relationships that cascade save-update (add() and flush pull their objects in). */
  readonly saveUpdate: readonly Relationship[]
  /** One-to-many / many-to-many / one-to-one collections and scalars (not many-to-one). */
  readonly toMany: readonly Relationship[]
  /** One-to-many with delete-orphan (the parent side of orphan detection). */
  readonly orphanParents: readonly Relationship[]
  /** Many-to-one whose reverse side has delete-orphan (a pending child set to null is not inserted). */
  readonly orphanChildren: readonly Relationship[]
}

let generation = 0

/** @internal configureMappers resolved relationships (new ones, or reverse sides of old ones): rebuild the lists. */
export function relationshipListsChanged(): void { generation++ }

export function relationshipLists(mapper: Mapper): RelationshipLists {
  // kept on the mapper (a property read; the unit of work asks once or more per object)
  let l = mapper.relationshipLists as RelationshipLists | undefined
  if (l === undefined || l.generation !== generation) {
    const all = [...relationshipsOf(mapper).values()]
    l = {
      generation,
      all,
      saveUpdate: all.filter((r) => r.cascade.saveUpdate),
      toMany: all.filter((r) => r.direction !== 'manyToOne'),
      orphanParents: all.filter((r) => r.cascade.deleteOrphan && r.direction === 'oneToMany'),
      orphanChildren: all.filter((r) => r.direction === 'manyToOne' && !!r.reverse?.cascade.deleteOrphan),
    }
    mapper.relationshipLists = l
  }
  return l
}
