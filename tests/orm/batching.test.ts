import { type AsyncEngine, Integer, MetaData, Model, Text, belongsTo, column, hasMany, select, sessionmaker } from '@retort/core'
import { MysqlDialect } from '@retort/mysql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema, unquote } from './support.js'

const metadata = new MetaData()

class Owner extends Model<Owner>('orm_batch_owners', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @column(Text, { serverDefault: "'fresh'" }) accessor state!: string | null
  @hasMany(() => Pet, { backPopulates: 'owner' }) accessor pets!: Pet[]
}
class Pet extends Model<Pet>('orm_batch_pets', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_batch_owners.id', name: 'owner_id' }) accessor ownerId!: number | null
  @column(Text, { nullable: false }) accessor name!: string
  @column(Integer) accessor age!: number | null
  @belongsTo(() => Owner, { backPopulates: 'pets' }) accessor owner!: Owner | null
}

async function checkIdsMatch(engine: AsyncEngine, owners: Owner[]): Promise<void> {
  const rows = await engine.connect(async (c) => (await c.execute(select(Owner.c.id, Owner.c.name))).all())
  const byId = new Map(rows.map((r) => [Number(r[0]), r[1]]))
  for (const o of owners) expect(byId.get(o.id)).toBe(o.name)
}

/** The parameters of each statement of one kind (`INSERT INTO`, `DELETE FROM`) on the pets table. */
function petParams(rec: ReturnType<typeof recordStatements>, kind: string): (readonly unknown[])[] {
  return rec.params.filter((_p, i) => rec.sql[i].startsWith(kind) && rec.sql[i].includes('orm_batch_pets')).map((p) => p!)
}

describe.each(BACKENDS)('flush batching on $name', ({ name }) => {
  const engine = makeEngine(name)
  const Session = sessionmaker(engine, { expireOnCommit: false })
  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))

  it('one flush whose parameters pass the bind limit is split under it; every object gets its own row key', async () => {
    const limit = engine.dialect?.maxBindParams ?? (name === 'sqlite' ? 32_766 : 65_535)
    const count = Math.ceil(limit / 3) + 500 // pets send owner_id, name, age: past the limit in one flush
    const owner = new Owner({ name: 'crowd' })
    const pets = Array.from({ length: count }, (_, i) => new Pet({ name: `p${i}`, age: i % 50, owner }))
    const rec = recordStatements(engine)
    await Session.begin(async (s) => { s.add(owner) })
    rec.stop()
    const inserts = rec.sql.filter((q) => q.startsWith('INSERT INTO') && q.includes('orm_batch_pets'))
    const params = petParams(rec, 'INSERT INTO').map((p) => p.length)
    expect(params.reduce((a, b) => a + b, 0)).toBe(count * 3)
    expect(params.reduce((a, b) => a + b, 0)).toBeGreaterThan(limit)
    // MariaDB pages at 64 KiB of values per statement; the others fill the bind limit
    if (name !== 'mariadb') expect(inserts.length).toBe(Math.ceil((count * 3) / (Math.floor(limit / 3) * 3)))
    else expect(inserts.length).toBeGreaterThan(Math.ceil((count * 3) / (Math.floor(limit / 3) * 3)))
    for (const p of params) expect(p).toBeLessThanOrEqual(limit)
    // each object got the key of its own row: read back and compare
    const got = await engine.connect(async (c) => (await c.execute(select(Pet.c.id, Pet.c.name, Pet.c.ownerId))).all())
    const byId = new Map(got.map((r) => [Number(r[0]), r]))
    expect(new Set(pets.map((p) => p.id)).size).toBe(count)
    for (const p of pets) {
      expect(byId.get(p.id)?.[1]).toBe(p.name)
      expect(byId.get(p.id)?.[2]).toBe(owner.id)
    }
    expect(owner.state).toBe('fresh')
  })

  it('matches returned keys by sentinel, not by position, even when rows come back in another order', async () => {
    const owners = ['zed', 'amy', 'kim', 'bob', 'al'].map((n) => new Owner({ name: n }))
    await Session.begin(async (s) => { s.addAll(owners) })
    await checkIdsMatch(engine, owners)
    // ids rise in VALUES order whatever order RETURNING lists them in
    const ids = owners.map((o) => o.id)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
  })
})

describe('MySQL path without RETURNING (MariaDB with RETURNING switched off)', () => {
  const engine = makeEngine('mariadb', { dialect: new MysqlDialect({ supportsReturning: false, name: 'mariadb' }) })
  const Session = sessionmaker(engine, { expireOnCommit: false })
  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))

  it('multi-row INSERT, ids from the first insert id, server defaults selected back', async () => {
    const rec = recordStatements(engine)
    const owners = ['a', 'b', 'c'].map((n) => new Owner({ name: n }))
    owners[0].pets.push(new Pet({ name: 'rex' }), new Pet({ name: 'tom' }))
    await Session.begin(async (s) => { s.addAll(owners) })
    rec.stop()
    expect(engine.dialect!.supportsReturning).toBe(false)
    expect(rec.dml()).toEqual([
      'INSERT INTO orm_batch_owners (name) VALUES (?), (?), (?)',
      'SELECT orm_batch_owners.id, orm_batch_owners.state FROM orm_batch_owners WHERE orm_batch_owners.id IN (?, ?, ?)',
      'INSERT INTO orm_batch_pets (owner_id, name) VALUES (?, ?), (?, ?)',
    ])
    expect(owners[1].id).toBe(owners[0].id + 1)
    expect(owners.map((o) => o.state)).toEqual(['fresh', 'fresh', 'fresh'])
    await checkIdsMatch(engine, owners)
    expect(owners[0].pets.map((p) => p.ownerId)).toEqual([owners[0].id, owners[0].id])
    expect(unquote(rec.sql[0])).toMatch(/^START TRANSACTION/)
  })
})

describe('MariaDB statement pages (maxStatementBytes)', () => {
  const paged = makeEngine('mariadb')
  const unpaged = makeEngine('mariadb', { dialect: new MysqlDialect({ name: 'mariadb', maxStatementBytes: Infinity }) })
  beforeAll(() => resetSchema(paged, metadata))
  afterAll(async () => { await unpaged.dispose(); await dropSchema(paged, metadata) })

  /** Bytes of the values each pets statement of one kind carried. */
  const sizes = (rec: ReturnType<typeof recordStatements>, kind: string): number[] =>
    petParams(rec, kind).map((p) => p.reduce<number>((n, v) => n + String(v).length, 0))

  it('a flush keeps every INSERT and DELETE within 64 KiB of values; each object keeps its own key', async () => {
    const owner = new Owner({ name: 'paged' })
    const pets = Array.from({ length: 6000 }, (_, i) => new Pet({ name: `${'q'.repeat(40)}${i}`, age: i % 9, owner }))
    const rec = recordStatements(paged)
    const Session = sessionmaker(paged, { expireOnCommit: false })
    await Session.begin(async (s) => { s.add(owner) })
    const inserts = sizes(rec, 'INSERT INTO')
    expect(inserts.length).toBeGreaterThanOrEqual(5) // ~300 KB of values
    for (const n of inserts) expect(n).toBeLessThan(64 * 1024)
    const got = new Map((await paged.connect(async (c) => (await c.execute(select(Pet.c.id, Pet.c.name).where(Pet.c.ownerId.eq(owner.id)))).all())).map((r) => [r[0], r[1]]))
    for (const p of pets) expect(got.get(p.id)).toBe(p.name)
    rec.clear()
    await Session.begin(async (s) => { for (const p of await s.scalars(select(Pet).where(Pet.c.ownerId.eq(owner.id)))) await s.delete(p) })
    rec.stop()
    const deletes = petParams(rec, 'DELETE FROM').map((p) => p.length)
    expect(deletes).toEqual([4096, 1904]) // 16 bytes assumed per key
  })

  it('maxStatementBytes: Infinity leaves the bind limit alone to split a flush', async () => {
    const count = Math.ceil(65_535 / 3) + 500
    const owner = new Owner({ name: 'unpaged' })
    for (let i = 0; i < count; i++) new Pet({ name: `u${i}`, age: 1, owner })
    const rec = recordStatements(unpaged)
    await sessionmaker(unpaged).begin(async (s) => { s.add(owner) })
    rec.stop()
    const params = petParams(rec, 'INSERT INTO').map((p) => p.length)
    expect(params).toEqual([Math.floor(65_535 / 3) * 3, (count - Math.floor(65_535 / 3)) * 3])
  })
})
