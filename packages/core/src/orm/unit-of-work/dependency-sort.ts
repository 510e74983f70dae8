import { ArgumentError } from '../../errors/errors.js'
import type { Mapper } from '../mapping/mapper.js'
import { relationshipsOf } from '../relationships/relationship.js'

/**
 * Mappers in dependency order: a mapper whose table others reference
 * comes first (its rows are inserted first and deleted last).
 * Relationships marked `postUpdate` do not count: their foreign keys are
 * written by a later UPDATE, which is how a cycle is broken.
 */
export function sortMappers(mappers: Iterable<Mapper>): Mapper[] {
  const set = new Set(mappers)
  const deps = new Map<Mapper, Set<Mapper>>()
  for (const m of set) deps.set(m, new Set())
  for (const m of set) {
    for (const rel of relationshipsOf(m).values()) {
      if (rel.postUpdate || rel.direction === 'manyToMany') continue
      const key = rel.keyMapper
      const fk = rel.fkMapper
      if (key !== fk && set.has(key) && set.has(fk)) deps.get(fk)!.add(key)
    }
  }
  const out: Mapper[] = []
  const done = new Set<Mapper>()
  const visiting = new Set<Mapper>()
  const visit = (m: Mapper): void => {
    if (done.has(m) || visiting.has(m)) return
    visiting.add(m)
    for (const d of [...deps.get(m)!].sort(byName)) visit(d)
    visiting.delete(m)
    done.add(m)
    out.push(m)
  }
  for (const m of [...set].sort(byName)) visit(m)
  return out
}

const byName = (a: Mapper, b: Mapper): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * Split rows of one table into levels so that each row comes after the
 * rows it depends on (a self-referential tree: parents, then children).
 */
export function levels<T>(items: readonly T[], dependsOn: (item: T) => Iterable<T>, what: string): T[][] {
  const level = new Map<T, number>()
  const inItems = new Set(items)
  const onStack = new Set<T>()
  const depth = (x: T): number => {
    const known = level.get(x)
    if (known !== undefined) return known
    if (onStack.has(x)) throw new ArgumentError(`${what}: rows depend on each other in a cycle; mark one relationship { postUpdate: true }`)
    onStack.add(x)
    let d = 0
    for (const y of dependsOn(x)) if (y !== x && inItems.has(y)) d = Math.max(d, depth(y) + 1)
    onStack.delete(x)
    level.set(x, d)
    return d
  }
  const out: T[][] = []
  for (const x of items) { const d = depth(x); (out[d] ??= []).push(x) }
  return out.filter(Boolean)
}
