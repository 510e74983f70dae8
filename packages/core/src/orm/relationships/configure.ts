import { ArgumentError } from '../../errors/errors.js'
import { defineAccessor } from '../mapping/accessors.js'
import type { Mapper } from '../mapping/mapper.js'
import { mapperOf, registryOf } from '../mapping/registry.js'
import { Relationship, relationshipsOf } from './relationship.js'
import { relationshipAttribute } from './relationship-attribute.js'
import { relationshipListsChanged } from './relationship-lists.js'
import type { RelationshipDefinition, RelationshipKind } from './relationship-options.js'
import { RELATIONSHIP_DEF } from '../mapping/state-symbols.js'

const REVERSE_KIND: Record<RelationshipKind, RelationshipKind> = {
  hasMany: 'belongsTo', hasOne: 'belongsTo', belongsTo: 'hasMany', manyToMany: 'manyToMany',
}

/**
 * Resolve the relationships of every mapper in `mapper`'s registry (as
 * SQLAlchemy's configure_mappers): targets, join columns, backrefs and
 * backPopulates pairs. Runs once, on first use, when every model exists.
 */
export function configureMappers(mapper: Mapper): void {
  const reg = registryOf(mapper.metadata)
  if (reg.configured) return
  const fresh: Relationship[] = []
  for (const m of [...reg.mappers]) {
    for (const [key, def] of m.relationshipDefs) {
      if (m.relationships.has(key)) continue
      const rel = new Relationship(m, key, def, mapperOf(def.target()))
      m.relationships.set(key, rel)
      m.attributes[key] = relationshipAttribute(rel)
      fresh.push(rel)
    }
  }
  for (const rel of fresh) {
    const name = rel.def.options.backref
    if (!name || rel.reverse) continue
    const target = rel.target
    if (target.relationships.has(name) || target.relationshipDefs.has(name)) throw new ArgumentError(`${rel.owner.name}.${rel.key}: backref '${name}' clashes with an existing attribute of ${target.name}`)
    const revDef: RelationshipDefinition = {
      [RELATIONSHIP_DEF]: true,
      kind: REVERSE_KIND[rel.kind],
      target: () => rel.owner.cls ?? rel.owner.info.base as any,
      options: { backPopulates: rel.key, foreignKey: rel.def.options.foreignKey, secondary: rel.def.options.secondary },
    }
    const rev = new Relationship(target, name, revDef, rel.owner)
    target.relationships.set(name, rev)
    target.relationshipDefs.set(name, revDef)
    target.attributes[name] = relationshipAttribute(rev)
    defineAccessor(target.info.base.prototype, name)
    rel.reverse = rev
    rev.reverse = rel
  }
  for (const rel of fresh) {
    const name = rel.def.options.backPopulates
    if (!name || rel.reverse) continue
    const rev = relationshipsOf(rel.target).get(name)
    if (!rev) throw new ArgumentError(`${rel.owner.name}.${rel.key}: backPopulates '${name}' names no relationship of ${rel.target.name}`)
    rel.reverse = rev
    rev.reverse = rel
  }
  reg.configured = true
  if (fresh.length) relationshipListsChanged()
}
