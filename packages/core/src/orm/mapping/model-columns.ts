import type { Column, FromClause } from '../../sql/nodes/from.js'
import { RelationshipComparator } from '../relationships/comparator.js'
import { configureMappers } from '../relationships/configure.js'
import { relationshipsOf } from '../relationships/relationship.js'
import type { Mapper } from './mapper.js'

/**
 * `Model.c` (or an alias's `c`): column expressions by attribute key, and
 * relationship comparators resolved on first access (so a model may
 * point at one declared later).
 */
export function modelColumns(mapper: Mapper, from?: FromClause & { c: Record<string, Column<any>> }): object {
  const cols: Record<string, unknown> = {}
  for (const col of mapper.columns) cols[col.key] = from ? from.c[col.key] : col
  const rels = new Map<string, RelationshipComparator>()
  return new Proxy(cols, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return (target as any)[key]
      let r = rels.get(key)
      if (!r) {
        configureMappers(mapper)
        const rel = relationshipsOf(mapper).get(key)
        if (!rel) return undefined
        r = new RelationshipComparator(rel, from)
        rels.set(key, r)
      }
      return r
    },
    has(target, key) { return key in target || (typeof key === 'string' && (mapper.relationshipDefs.has(key) || mapper.relationships.has(key))) },
    ownKeys(target) { return [...Reflect.ownKeys(target), ...mapper.relationshipDefs.keys()] },
    getOwnPropertyDescriptor(target, key) {
      if (key in target) return Reflect.getOwnPropertyDescriptor(target, key)
      if (typeof key === 'string' && mapper.relationshipDefs.has(key)) return { configurable: true, enumerable: true, value: (this as any).get(target, key) }
      return undefined
    },
  })
}
