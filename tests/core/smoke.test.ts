import { Integer, MetaData, Text, column, deleteFrom, insert, select, table } from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine, per } from '../support/backends.js'

describe.each(BACKENDS)('smoke on $name', ({ name }) => {
  const metadata = new MetaData()
  const users = table('smoke_users', {
    id: column(Integer, { primaryKey: true }),
    name: column(Text, { nullable: false }),
  }, { metadata })
  const engine = makeEngine(name)

  beforeAll(async () => {
    await engine.begin(async (conn) => {
      await metadata.dropAll(conn)
      await metadata.createAll(conn)
    })
  })
  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn))
    await engine.dispose()
  })

  it('inserts and selects through the public API', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(users).values([{ name: 'Jane' }, { name: 'Bob' }]))
    })
    const stmt = select(users.c.id, users.c.name).where(users.c.name.like('J%')).orderBy(users.c.id)
    const result = await engine.connect((conn) => conn.execute(stmt))
    const rows = result.all()
    expect(rows).toHaveLength(1)
    expect(rows[0][1]).toBe('Jane')
    expect(rows[0].name).toBe('Jane')
    expect(typeof rows[0].id).toBe('number')
    const q = per(name, { postgresql: '"', mariadb: '`', sqlite: '"' })
    const ph = per(name, { postgresql: '$1', mariadb: '?', sqlite: '?' })
    expect(engine.compile(stmt).template.sql).toBe(
      `SELECT ${q}smoke_users${q}.${q}id${q}, ${q}smoke_users${q}.${q}name${q} FROM ${q}smoke_users${q} WHERE ${q}smoke_users${q}.${q}name${q} LIKE ${ph} ORDER BY ${q}smoke_users${q}.${q}id${q}`)
    await engine.begin((conn) => conn.execute(deleteFrom(users)))
  })
})
