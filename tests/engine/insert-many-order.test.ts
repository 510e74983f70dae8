import {
  BigInteger, DateTime, Integer, MetaData, Text, column, createAsyncEngine, func, insert, select, table, text,
} from '@retort/core'
import { MysqlDialect } from '@retort/mysql'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, type Reorder, poolEngine, reorderingEngine } from './engine-support.js'

const metadata = new MetaData()
const ODD = 'we"ird\\key\n'
const things = table('imo_things', {
  id: column(Integer, { primaryKey: true }),
  code: column(Text, { nullable: false }),
  big: column(BigInteger),
  at: column(DateTime),
  // a key that must be escaped in generated code, a client default
  'we"ird\\key\n': column(Text, { name: 'odd_name' }),
  dflt: column(Integer, { default: () => 7 }),
}, { metadata })

const swapMiddle: Reorder = (rows) => { const k = rows.length >> 1; [rows[k], rows[k + 1]] = [rows[k + 1], rows[k]] }
const lastFirst: Reorder = (rows) => { rows.unshift(rows.pop()!) }

const data = (n: number): { code: string; big: bigint | null; at: Date | null; [ODD]: string | null }[] =>
  Array.from({ length: n }, (_, i) => ({ code: `c${i}`, big: i % 3 ? BigInt(i) * 2n ** 40n : null, at: i % 2 ? new Date(Date.UTC(2024, 0, 1, 0, 0, i)) : null, [ODD]: i % 4 ? `o"\\${i}` : null }))

describe.each(BACKENDS)('executeInsertMany ordering and binding on $name', ({ name }) => {
  const engine = poolEngine(name)
  const returns = (): boolean => engine.dialect!.supportsReturning

  beforeAll(async () => { await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }) })
  beforeEach(async () => { await engine.begin((c) => c.execute(text('DELETE FROM imo_things'))) })
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
    engine.cleanup()
  })

  async function idsByCode(): Promise<Map<string, number>> {
    const rows = (await engine.connect((c) => c.execute(select(things.c.code, things.c.id)))).all()
    return new Map(rows.map((r) => [r.code as string, Number(r.id)]))
  }

  it.each([['two rows swapped in the middle', swapMiddle], ['the last row first', lastFirst]] as const)(
    "sentinel 'autoincrement' matches by key when the driver returns %s", async (_, reorder) => {
      if (!returns()) return
      const reordering = await reorderingEngine(engine, reorder)
      try {
        const rows = data(41)
        const res = await reordering.begin((c) => c.executeInsertMany(insert(things), rows, { returning: [things.c.id, things.c.code], sentinel: 'autoincrement' }))
        const ids = await idsByCode()
        expect(res.rows.map((r) => r.code)).toEqual(rows.map((d) => d.code))
        expect(res.rows.map((r) => Number(r.id))).toEqual(rows.map((d) => ids.get(d.code)))
      } finally { await reordering.dispose() }
    })

  it('binds through the generated filler: escaped keys, processors, NULLs, client defaults; converts RETURNING back', async () => {
    const rows = data(25).map((d) => ({ code: d.code, big: d.big, at: d.at, [ODD]: d[ODD] }))
    const opts = { columns: ['code', 'big', 'at', ODD, 'dflt'], sentinel: 'autoincrement' as const }
    const res = await engine.begin((c) => c.executeInsertMany(insert(things), rows, returns() ? { ...opts, returning: [things.c.id, things.c.big, things.c.at] } : opts))
    expect(res.rowCount).toBe(25)
    const back = (await engine.connect((c) => c.execute(select(things.c.code, things.c.big, things.c.at, things.c[ODD], things.c.dflt).orderBy(things.c.id)))).all()
    expect(back.map((r) => [r.code, r.big === null ? null : BigInt(r.big as any), r.at, r.odd_name, r.dflt]))
      .toEqual(rows.map((d) => [d.code, d.big, d.at, d[ODD], 7]))
    if (returns()) expect(res.rows.map((r) => [r.big === null ? null : BigInt(r.big as any), r.at])).toEqual(rows.map((d) => [d.big, d.at]))
  })

  it('a SQL expression among the values still runs (as an ordinary statement), in input order', async () => {
    const rows: Record<string, unknown>[] = data(10).map((d) => ({ code: d.code, [ODD]: d[ODD] }))
    rows[6] = { code: func.lower('C6') as any, [ODD]: null }
    const res = await engine.begin((c) => c.executeInsertMany(insert(things), rows, { columns: ['code', ODD], sentinel: 'autoincrement' }))
    const ids = await idsByCode()
    expect(res.rows.map((r) => Number(r.id))).toEqual(rows.map((_, i) => ids.get(`c${i}`)))
  })

  it('rows in input order by position (scalars) and by name, row[0] === row.id', async () => {
    const rows = data(30)
    const opts = { sentinel: 'autoincrement' as const, ...(returns() ? { returning: [things.c.id, things.c.at] } : {}) }
    const first = await engine.begin((c) => c.executeInsertMany(insert(things), rows, opts))
    const ids = await idsByCode()
    expect(first.scalars().all().map(Number)).toEqual(rows.map((d) => ids.get(d.code)))
    await engine.begin((c) => c.execute(text('DELETE FROM imo_things')))
    const res = await engine.begin((c) => c.executeInsertMany(insert(things), rows, opts))
    const again = await idsByCode()
    expect(res.keys()).toEqual(returns() ? ['id', 'at'] : ['id'])
    expect(res.rows.map((r) => Number(r.id))).toEqual(rows.map((d) => again.get(d.code)))
    for (const r of res.rows) expect(r.id).toBe(r[0])
    if (returns()) expect(res.rows.map((r) => r.at)).toEqual(rows.map((d) => d.at))
  })
})

describe('executeInsertMany ids without RETURNING (the MySQL 8 path, on MariaDB)', () => {
  const url = BACKENDS.find((b) => b.name === 'mariadb')!.url
  const engine = createAsyncEngine(url, { dialect: new MysqlDialect({ name: 'mariadb', supportsReturning: false }) })
  beforeAll(async () => { await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }) })
  afterAll(async () => { await engine.begin((c) => metadata.dropAll(c)); await engine.dispose() })

  it('gives the ids from the first insert id in input order, by position and by name', async () => {
    const rows = data(2000)
    const res = await engine.begin((c) => c.executeInsertMany(insert(things), rows, { sentinel: 'autoincrement' }))
    const byCode = new Map((await engine.connect((c) => c.execute(select(things.c.code, things.c.id)))).all().map((r) => [r.code, Number(r.id)]))
    expect(res.keys()).toEqual(['id'])
    expect(res.scalars().all().map(Number)).toEqual(rows.map((d) => byCode.get(d.code)))
    expect(res.rows.map((r) => Number(r.id))).toEqual(rows.map((d) => byCode.get(d.code)))
    const named = await engine.begin((c) => c.executeInsertMany(insert(things), rows.slice(0, 3), { sentinel: 'autoincrement' }))
    expect(named.rows[2].id).toBe(named.rows[2][0])
  })
})
