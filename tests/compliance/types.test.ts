import { randomUUID } from 'node:crypto'
import {
  ArgumentError, BigInteger, Bool, Bytes, DateOnly, DateTime, Enum, Float, Integer, Json, MetaData, Numeric, Text, Uuid, Varchar,
  cast, column, deleteFrom, insert, select, table, text,
} from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { useBackend } from './support/fixture.js'

// Ported from SQLAlchemy's testing/suite/test_types.py: each type binds and reads back as the contract's JS value.
describe.each(BACKENDS)('types round-trip on $name', ({ name }) => {
  const metadata = new MetaData()
  const t = table('cmp_typ_all', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    i: column(Integer), bi: column(BigInteger), tx: column(Text), vc: column(Varchar(20)), bo: column(Bool), f: column(Float),
    n: column(Numeric(30, 10)), dt: column(DateTime), dtz: column(DateTime({ timezone: true })), d: column(DateOnly),
    j: column(Json), uu: column(Uuid), by: column(Bytes), e: column(Enum(['red', 'green', 'it\'s'], { name: 'cmp_typ_color' })),
  }, { metadata })
  const b = useBackend(name, metadata)
  let nextId = 0
  /** Insert one row with `values`, read `col` back from it. */
  async function roundTrip<K extends keyof typeof t.c>(key: K, value: unknown): Promise<unknown> {
    const id = ++nextId
    await b.run(insert(t).values({ id, [key]: value }))
    return (await b.run(select(t.c[key]).where(t.c.id.eq(id)))).scalarOne()
  }

  it('Integer', async () => {
    expect(await roundTrip('i', 2147483647)).toBe(2147483647)
    expect(await roundTrip('i', -5)).toBe(-5)
  })

  it('BigInteger as bigint, beyond 2^53', async () => {
    expect(await roundTrip('bi', 9007199254740993n)).toBe(9007199254740993n)
    expect(await roundTrip('bi', -9223372036854775807n)).toBe(-9223372036854775807n)
    expect(await roundTrip('bi', 0n)).toBe(0n)
  })

  it('BigInteger compared in WHERE and returned from RETURNING', async () => {
    await b.run(insert(t).values({ id: 900, bi: 9007199254740995n }))
    expect((await b.run(select(t.c.id).where(t.c.bi.eq(9007199254740995n)))).scalar()).toBe(900)
    const r = await b.run(insert(t).values({ id: 901, bi: 9007199254740997n }).returning(t.c.bi))
    expect(r.scalar()).toBe(9007199254740997n)
  })

  it('Text: unicode, empty string, long text', async () => {
    expect(await roundTrip('tx', 'réveillé 日本語 🎉')).toBe('réveillé 日本語 🎉')
    expect(await roundTrip('tx', '')).toBe('')
    const long = 'x'.repeat(100_000)
    expect(await roundTrip('tx', long)).toBe(long)
  })

  it('Varchar(n), with trailing spaces kept', async () => {
    expect(await roundTrip('vc', 'hello')).toBe('hello')
    expect(await roundTrip('vc', 'pad  ')).toBe('pad  ')
    // trailing spaces count in comparisons everywhere (MariaDB tables use a NO PAD collation)
    expect((await b.run(select(t.c.id).where(t.c.vc.eq('pad')))).all()).toEqual([])
    expect((await b.run(select(t.c.id).where(t.c.vc.eq('pad  ')))).scalar()).toBe(nextId)
    expect((await b.run(select(t.c.id).where(t.c.vc.eq('HELLO')))).all()).toEqual([])
  })

  it('Bool as a JS boolean', async () => {
    expect(await roundTrip('bo', true)).toBe(true)
    expect(await roundTrip('bo', false)).toBe(false)
    const n = (await b.run(select(t.c.id).where(t.c.bo.eq(true)))).all().length
    expect(n).toBeGreaterThan(0)
  })

  it('Float is double precision', async () => {
    expect(await roundTrip('f', 3.141592653589793)).toBe(3.141592653589793)
    expect(await roundTrip('f', 1e-300)).toBe(1e-300)
  })

  it('Numeric as a string, without precision loss (SQLite: a double)', async () => {
    const big = '12345678901234567890.1234567890'
    const v = await roundTrip('n', big)
    expect(typeof v).toBe('string')
    if (name === 'sqlite') expect(Number(v)).toBeCloseTo(Number(big))
    else expect(v).toBe(big)
    const small = await roundTrip('n', '0.1000000000')
    expect(name === 'sqlite' ? Number(small) : small).toBe(name === 'sqlite' ? 0.1 : '0.1000000000')
  })

  it('DateTime without time zone stores and reads UTC, milliseconds kept', async () => {
    const when = new Date('2024-03-05T10:20:30.123Z')
    const v = await roundTrip('dt', when)
    expect(v).toBeInstanceOf(Date)
    expect((v as Date).toISOString()).toBe(when.toISOString())
    const asText = (await b.run(select(cast(t.c.dt, Text)).where(t.c.id.eq(nextId)))).scalar() as string
    expect(asText.startsWith('2024-03-05 10:20:30.123')).toBe(true)
  })

  it('DateTime compared in WHERE', async () => {
    const when = new Date('2023-01-02T03:04:05.006Z')
    await b.run(insert(t).values({ id: 902, dt: when }))
    expect((await b.run(select(t.c.id).where(t.c.dt.eq(when)))).scalar()).toBe(902)
    expect((await b.run(select(t.c.id).where(t.c.dt.between(new Date('2023-01-01T00:00:00Z'), new Date('2023-01-03T00:00:00Z'))))).scalars().all()).toContain(902)
  })

  it('DateTime with time zone keeps the instant', async () => {
    const when = new Date('2024-07-01T23:59:59.999Z')
    const v = await roundTrip('dtz', when)
    expect((v as Date).getTime()).toBe(when.getTime())
  })

  it('DateOnly as YYYY-MM-DD', async () => {
    expect(await roundTrip('d', '2024-02-29')).toBe('2024-02-29')
    expect(await roundTrip('d', '1999-12-31')).toBe('1999-12-31')
  })

  it('Json objects and arrays (parsed on read everywhere)', async () => {
    const doc = { a: 1, b: [1, 2, { c: 'x' }], s: 'quote " and \\ backslash', u: 'é', n: null }
    expect(await roundTrip('j', doc)).toEqual(doc)
    expect(await roundTrip('j', [1, 'two', null, true])).toEqual([1, 'two', null, true])
    expect(await roundTrip('j', 'just a string')).toBe('just a string')
  })

  it('Uuid as a string', async () => {
    const u = randomUUID()
    expect(await roundTrip('uu', u)).toBe(u)
    expect((await b.run(select(t.c.id).where(t.c.uu.eq(u)))).scalar()).toBe(nextId)
  })

  it('Bytes from Uint8Array and Buffer', async () => {
    const bytes = new Uint8Array([0, 1, 2, 127, 128, 255])
    const v = await roundTrip('by', bytes)
    expect(v).toBeInstanceOf(Uint8Array)
    expect([...(v as Uint8Array)]).toEqual([...bytes])
    const buf = Buffer.from('héllo\u0000world')
    expect(Buffer.from(await roundTrip('by', buf) as Uint8Array).equals(buf)).toBe(true)
  })

  it('Enum accepts its values and refuses others', async () => {
    expect(await roundTrip('e', 'green')).toBe('green')
    expect(await roundTrip('e', "it's")).toBe("it's")
    await expect(b.run(insert(t).values({ id: 903, e: 'blue' }))).rejects.toThrow()
  })

  it('NULL reads as null in every type', async () => {
    const id = 904
    await b.run(insert(t).values({ id }))
    const row = (await b.run(select(t).where(t.c.id.eq(id)))).one()
    expect([...row].slice(1)).toEqual(new Array(14).fill(null))
  })

  it('binding null is NULL; binding undefined is an ArgumentError that says so', async () => {
    await b.run(insert(t).values({ id: 905, tx: null }))
    expect((await b.run(select(t.c.tx).where(t.c.id.eq(905)))).scalar()).toBeNull()
    expect(() => insert(t).values({ id: 906, tx: undefined })).toThrow(ArgumentError)
    expect(() => t.c.tx.eq(undefined as any)).toThrow(/undefined/)
    await expect(b.run(text('SELECT :missing'), {})).rejects.toThrow(/No value was given for bind parameter 'missing'/)
    await expect(b.run(text('SELECT :v'), { v: undefined })).rejects.toThrow(ArgumentError)
  })

  it('text(...).columns({...}) converts its rows', async () => {
    const id = 907
    await b.run(insert(t).values({ id, bo: true, dt: new Date('2020-01-01T00:00:00.500Z'), j: { k: [1] }, bi: 12n }))
    const q = name === 'mariadb' ? '`' : '"'
    const stmt = text(`SELECT bo, dt, j, bi FROM ${q}cmp_typ_all${q} WHERE id = :id`).columns({ bo: Bool, dt: DateTime, j: Json, bi: BigInteger })
    const row = (await b.run(stmt, { id })).one()
    expect(row.bo).toBe(true)
    expect((row.dt as Date).toISOString()).toBe('2020-01-01T00:00:00.500Z')
    expect(row.j).toEqual({ k: [1] })
    expect(row.bi).toBe(12n)
  })

  it('a literal JS value in a comparison takes the column type (bigint, Date, boolean)', async () => {
    await b.run(deleteFrom(t).where(t.c.id.ge(1000)))
    await b.run(insert(t).values({ id: 1000, bo: false, bi: 5n, dt: new Date('2030-01-01T00:00:00Z') }))
    const r = await b.run(select(t.c.id).where(t.c.bo.eq(false), t.c.bi.gt(4n), t.c.dt.gt(new Date('2029-12-31T00:00:00Z'))))
    expect(r.scalars().all()).toEqual([1000])
  })
})
