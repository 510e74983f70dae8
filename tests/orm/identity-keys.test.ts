import { type AsyncSession, BigInteger, Integer, MetaData, Model, Text, Varchar, column, insert, select, sessionmaker } from '@retort/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, resetSchema } from './support.js'

// Integer keys sit in the identity map's array slots, any other key in its Map: either way
// 5, '5' and 5n are one key, and sessions see, walk and drop the objects alike.
const metadata = new MetaData()
class Thing extends Model<Thing>('orm_ikey_things', { metadata }) {
  @column(BigInteger, { primaryKey: true, autoincrement: false }) accessor id!: bigint
  @column(Text, { nullable: false }) accessor label!: string
}
class Tagged extends Model<Tagged>('orm_ikey_tagged', { metadata }) {
  @column(Varchar(20), { primaryKey: true }) accessor code!: string
  @column(Integer) accessor n!: number | null
}

// small, zero, at and past the array bound (2^30), negative, beyond 2^31 and 2^53 (bigint only)
const IDS = [0n, 1n, 7n, 5000000n, 5000003n, 1073741823n, 1073741824n, -3n, 2147483648n, 9007199254740993n]

describe.each(BACKENDS)('identity keys on $name', ({ name }) => {
  const engine = makeEngine(name)
  const Session = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const S = (): AsyncSession => { const s = Session(); open.push(s); return s }

  beforeAll(async () => {
    await resetSchema(engine, metadata)
    await engine.begin(async (c) => {
      await c.execute(insert(Thing.table).values(IDS.map((id) => ({ id, label: `t${id}` }))))
      await c.execute(insert(Tagged.table).values([{ code: '5', n: 1 }, { code: '05', n: 2 }, { code: 'x', n: 3 }, { code: '-0', n: 4 }, { code: '0', n: 5 }]))
    })
  })
  afterAll(() => dropSchema(engine, metadata))
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })

  it('a loaded object is found by number, string and bigint for every kind of key', async () => {
    const s = S()
    const things = (await s.scalars(select(Thing).orderBy(Thing.c.id))).all()
    expect(things).toHaveLength(IDS.length)
    for (const t of things) {
      expect(await s.get(Thing, t.id)).toBe(t)
      expect(await s.get(Thing, String(t.id))).toBe(t)
      expect(await s.get(Thing, BigInt(t.id))).toBe(t)
      if (Number.isSafeInteger(Number(t.id))) expect(await s.get(Thing, Number(t.id))).toBe(t)
    }
    // a second load hands out the same objects
    const again = (await s.scalars(select(Thing).orderBy(Thing.c.id))).all()
    expect(again.every((t, i) => t === things[i])).toBe(true)
  })

  it('integer keys in the millions first, small ones after: one object per key either way', async () => {
    const s = S()
    const m = (await s.get(Thing, 5000003))!
    const all = (await s.scalars(select(Thing).orderBy(Thing.c.id))).all()
    expect(all).toHaveLength(IDS.length)
    expect(all).toContain(m)
    for (const t of all) expect(await s.get(Thing, String(t.id))).toBe(t)
    s.expunge(m)
    expect((await s.get(Thing, 5000003))).not.toBe(m)
    const tiny = (await s.get(Thing, 1))!
    expect(all).toContain(tiny)
  })

  it('get first, load after: one object; expunge and close reach objects of every key', async () => {
    const s = S()
    const big = (await s.get(Thing, 2147483648n))!
    const small = (await s.get(Thing, 7))!
    const all = (await s.scalars(select(Thing))).all()
    expect(all).toContain(big)
    expect(all).toContain(small)
    s.expunge(small)
    const fresh = (await s.get(Thing, 7))!
    expect(fresh).not.toBe(small)
    s.expungeAll()
    expect(await s.get(Thing, 7)).not.toBe(fresh)
    await s.close()
    expect(all.map((t) => t.label).sort()).toEqual(IDS.map((id) => `t${id}`).sort())
  })

  it('text keys that look like numbers stay distinct ("5", "05", "0", "-0")', async () => {
    const s = S()
    const rows = (await s.scalars(select(Tagged))).all()
    expect(new Set(rows).size).toBe(5)
    expect((await s.get(Tagged, '5'))!.n).toBe(1)
    expect((await s.get(Tagged, '05'))!.n).toBe(2)
    expect((await s.get(Tagged, '0'))!.n).toBe(5)
    expect((await s.get(Tagged, '-0'))!.n).toBe(4)
    expect((await s.get(Tagged, 5))).toBe(await s.get(Tagged, '5'))
  })
})
