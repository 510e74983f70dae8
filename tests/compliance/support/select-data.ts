import { Integer, MetaData, Text, column, insert, table } from '@retort/core'
import type { Backend } from './fixture.js'

/**
 * Users and orders shared by the select cases; each file passes its own
 * prefix so concurrent files never touch each other's tables.
 */
export function selectTables(prefix: string) {
  const metadata = new MetaData()
  const users = table(`${prefix}_users`, {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    name: column(Text, { nullable: false }),
    age: column(Integer),
    managerId: column(Integer, { name: 'manager_id' }),
  }, { metadata })
  const orders = table(`${prefix}_orders`, {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    userId: column(Integer, { name: 'user_id', foreignKey: `${prefix}_users.id`, nullable: false }),
    total: column(Integer, { nullable: false }),
    note: column(Text),
  }, { metadata })
  const seed = async (b: Backend): Promise<void> => {
    await b.run(insert(users).values([
      { id: 1, name: 'Jane', age: 30, managerId: null },
      { id: 2, name: 'Bob', age: 25, managerId: 1 },
      { id: 3, name: 'alice', age: null, managerId: 1 },
      { id: 4, name: 'Carl', age: 40, managerId: 2 },
    ]))
    await b.run(insert(orders).values([
      { id: 1, userId: 1, total: 100, note: 'first' },
      { id: 2, userId: 1, total: 200, note: null },
      { id: 3, userId: 2, total: 300, note: 'big' },
      { id: 4, userId: 4, total: 50, note: null },
    ]))
  }
  /** `"<table>"."<column>"` in neutral quoting. */
  const u = (c: string) => `"${prefix}_users"."${c}"`
  const o = (c: string) => `"${prefix}_orders"."${c}"`
  return { metadata, users, orders, seed, u, o, U: `"${prefix}_users"`, O: `"${prefix}_orders"` }
}
