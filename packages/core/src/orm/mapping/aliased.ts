import { ENTITY } from '../../sql/builders/protocols.js'
import type { Column } from '../../sql/nodes/from.js'
import type { Mapper } from './mapper.js'
import { modelColumns } from './model-columns.js'
import { mapperOf } from './registry.js'

export const ALIASED_MAPPER = Symbol.for('retort.orm.aliasedMapper')

/**
 * A second name for a model in one query (self-joins):
 * `const Manager = aliased(Employee)`, then `Manager.c.name`,
 * `select(Employee, Manager).join(Manager, Employee.c.managerId.eq(Manager.c.id))`.
 * Rows come back as instances of the model.
 */
export function aliased<C extends abstract new (...a: any[]) => any>(cls: C, name?: string): C {
  const mapper: Mapper = mapperOf(cls)
  const alias = mapper.table.alias(name)
  const columns = mapper.columns.map((c) => (alias.c as Record<string, Column<any>>)[c.key])
  const info = Object.freeze({ from: alias, columns })
  return {
    [ALIASED_MAPPER]: mapper,
    [ENTITY]: () => info,
    from: alias,
    c: modelColumns(mapper, alias),
    table: mapper.table,
  } as unknown as C
}

/** The mapper behind an `aliased()` entity. */
export function aliasedMapper(x: unknown): Mapper | undefined {
  return x !== null && typeof x === 'object' ? (x as any)[ALIASED_MAPPER] : undefined
}
