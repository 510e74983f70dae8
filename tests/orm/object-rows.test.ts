import { Bool, DateTime, Integer, MetaData, Model, Numeric, Text, column, deleteFrom, insert, isQueryCanceled, select, sessionmaker, text } from '@retort/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, resetSchema } from './support.js'

// `select(Model)` on SQLite and MariaDB hydrates the driver's own object rows
// (a row becomes the object's dict, converted in place); PostgreSQL, models
// whose columns are renamed, and joined loads keep positional rows. Both must
// give the same objects.
const metadata = new MetaData()

class Gadget extends Model<Gadget>('orm_obj_gadgets', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @column(Bool) accessor active!: boolean | null
  @column(DateTime) accessor made!: Date | null
  @column(Numeric(10, 2)) accessor price!: string | null
}
class Part extends Model<Part>('orm_obj_parts', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { name: 'part_label', nullable: false }) accessor label!: string
}

const MADE = new Date('2024-02-29T12:34:56.789Z')

describe.each(BACKENDS)('loading models from object rows on $name', ({ name }) => {
  const engine = makeEngine(name)
  const Session = sessionmaker(engine, { expireOnCommit: false })
  let ids: number[] = []

  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))
  beforeEach(async () => {
    await engine.begin(async (c) => { await c.execute(deleteFrom(Gadget)); await c.execute(deleteFrom(Part)) })
    const gadgets = [
      new Gadget({ name: 'lamp', active: true, made: MADE, price: '12.25' }),
      new Gadget({ name: 'fan', active: false, made: null, price: null }),
    ]
    await Session.begin(async (s) => { s.addAll(gadgets) })
    ids = gadgets.map((g) => g.id)
  })

  it('converts every value as the positional path does (Date, boolean, decimal text, NULL)', async () => {
    await using s = Session()
    const got = (await s.scalars(select(Gadget).orderBy(Gadget.c.id))).all()
    expect(got.map((g) => [g.id, g.name, g.active, g.made, g.price])).toEqual([
      [ids[0], 'lamp', true, MADE, '12.25'],
      [ids[1], 'fan', false, null, null],
    ])
    expect(got[0].made).toBeInstanceOf(Date)
    expect(got[0].toJSON()).toEqual({ id: ids[0], name: 'lamp', active: true, made: MADE, price: '12.25' })
  })

  it('one object per key: a loaded attribute keeps its value, an expired one is read again', async () => {
    await using s = Session()
    const [lamp] = (await s.scalars(select(Gadget).where(Gadget.c.id.eq(ids[0])))).all()
    s.expire(lamp, ['name'])
    await s.execute(text(`UPDATE orm_obj_gadgets SET name = 'desk lamp', price = 1.00 WHERE id = ${ids[0]}`))
    const again = (await s.scalars(select(Gadget).orderBy(Gadget.c.id))).all()
    expect(again[0]).toBe(lamp)
    expect(lamp.name).toBe('desk lamp')
    expect(lamp.price).toBe('12.25')
    expect(again[1].name).toBe('fan')
  })

  it('changes to an object loaded from an object row are flushed', async () => {
    {
      await using s = Session()
      const fan = await s.get(Gadget, ids[1])
      const [lamp] = (await s.scalars(select(Gadget).where(Gadget.c.name.eq('lamp')))).all()
      lamp.active = false
      lamp.made = null
      expect(fan!.name).toBe('fan')
      await s.commit()
    }
    const row = await engine.connect(async (c) => (await c.execute(select(Gadget.c.active, Gadget.c.made).where(Gadget.c.id.eq(ids[0])))).all()[0])
    expect([row[0], row[1]]).toEqual([false, null])
  })

  it('execute options given in the parameters\' place still apply (an aborted signal cancels before the SELECT runs)', async () => {
    await using s = Session()
    const ac = new AbortController()
    ac.abort()
    const err = await s.execute(select(Gadget), { signal: ac.signal }).then(() => undefined, (e: unknown) => e)
    expect(isQueryCanceled(err)).toBe(true)
  })

  it('a model with a renamed column loads through positional rows, with the same result', async () => {
    await engine.begin((c) => c.execute(insert(Part).values([{ label: 'bolt' }, { label: 'nut' }])))
    await using s = Session()
    const parts = (await s.scalars(select(Part).orderBy(Part.c.id))).all()
    expect(parts.map((p) => p.label)).toEqual(['bolt', 'nut'])
    expect(parts[0].toJSON()).toEqual({ id: parts[0].id, label: 'bolt' })
  })
})
