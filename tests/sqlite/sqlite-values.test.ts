import {
  BigInteger, Integer, MetaData, Text, column, createAsyncEngine, insert, isDataError, isProgrammingError, select, table, text, update,
} from '@retort/core'
import type { SqliteDialect } from '@retort/sqlite'
import '@retort/sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const metadata = new MetaData()
const nums = table('sqx_val_nums', {
  id: column(Integer, { primaryKey: true }),
  big: column(BigInteger),
  small: column(Integer),
}, { metadata })
const wide = table('sqx_val_wide', {
  id: column(Integer, { primaryKey: true }),
  a: column(Text), b: column(Text), c: column(Integer), d: column(Integer),
}, { metadata })
const HUGE = 2n ** 62n + 12_345n                 // far above 2^53: a double cannot hold it
const EDGES = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, HUGE, 7n]

describe('SQLite bigint binding and BigInteger results', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  beforeAll(() => engine.begin((conn) => metadata.createAll(conn)))
  afterAll(async () => { await engine.begin((conn) => metadata.dropAll(conn)); await engine.dispose() })

  it('round-trips 64-bit values exactly through Core insert, select and RETURNING', async () => {
    await engine.begin(async (conn) => {
      const ret = await conn.execute(insert(nums).values(EDGES.map((big, i) => ({ id: i + 1, big }))).returning(nums.c.id, nums.c.big))
      expect(new Set(ret.all().map((r) => r.big))).toEqual(new Set(EDGES))
      const stmt = select(nums.c.id, nums.c.big).orderBy(nums.c.id)
      expect(engine.compile(stmt).template.sql).toBe('SELECT "sqx_val_nums"."id", CAST("sqx_val_nums"."big" AS TEXT) AS "big" FROM "sqx_val_nums" ORDER BY "sqx_val_nums"."id"')
      expect((await conn.execute(stmt)).all().map((r) => r.big)).toEqual(EDGES)
      expect((await conn.execute(select(nums.c.id).where(nums.c.big.eq(HUGE)))).scalar()).toBe(4)
      await conn.rollback()
    })
  })

  it('orders a labelled BigInteger by its number, not its text', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(nums).values([{ id: 1, big: 9n }, { id: 2, big: 10n }, { id: 3, big: HUGE }]))
      const b = nums.c.big.label('b')
      const stmt = select(b).orderBy(b.desc())
      expect(engine.compile(stmt).template.sql).toBe('SELECT CAST("sqx_val_nums"."big" AS TEXT) AS "b" FROM "sqx_val_nums" ORDER BY "sqx_val_nums"."big" DESC')
      expect((await conn.execute(stmt)).scalars().all()).toEqual([HUGE, 10n, 9n])
      expect((await conn.execute(select(b).orderBy(b))).scalars().all()).toEqual([9n, 10n, HUGE])
      await conn.rollback()
    })
  })

  it('never stores NULL for a bigint: Integer columns, text() binds and executeMany convert', async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(nums).values({ id: 1n as unknown as number, small: 42n as unknown as number }))
      await conn.execute(text('INSERT INTO sqx_val_nums (id, big, small) VALUES (:id, :big, :small)'), { id: 2n, big: HUGE, small: 5n })
      await conn.executeMany(insert(nums), [{ id: 3, big: HUGE + 1n }, { id: 4, big: -HUGE }])
      await conn.executeMany(text('UPDATE sqx_val_nums SET small = :small WHERE id = :id'), [{ id: 3n, small: 2n ** 60n }, { id: 4n, small: 1n }])
      await conn.execute(update(nums).values({ big: 11n }).where(nums.c.id.eq(1n as unknown as number)))
      const rows = (await conn.execute(text('SELECT id, typeof(big), typeof(small), CAST(big AS TEXT), CAST(small AS TEXT) FROM sqx_val_nums ORDER BY id'))).all().map((r) => [...r])
      expect(rows).toEqual([
        [1, 'integer', 'integer', '11', '42'],
        [2, 'integer', 'integer', HUGE.toString(), '5'],
        [3, 'integer', 'integer', (HUGE + 1n).toString(), (2n ** 60n).toString()],
        [4, 'integer', 'integer', (-HUGE).toString(), '1'],
      ])
      await conn.rollback()
    })
  })

  it('refuses a bigint outside 64 bits with DataError instead of storing a double', async () => {
    const err = await engine.connect((conn) => conn.execute(text('SELECT :v'), { v: 2n ** 64n })).catch((e: unknown) => e)
    expect(isDataError(err)).toBe(true)
  })
})

describe('SQLite RETURNING and the bind-parameter limit', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  beforeAll(() => engine.begin((conn) => metadata.createAll(conn)))
  afterAll(async () => { await engine.begin((conn) => metadata.dropAll(conn)); await engine.dispose() })

  it('sets RETURNING from sqlite_version() (>= 3.35)', async () => {
    const version = await engine.connect(async (conn) => (await conn.execute(text('SELECT sqlite_version()'))).scalar() as string)
    const dialect = engine.dialect as SqliteDialect
    expect(dialect.serverVersion).toBe(version)
    const [major, minor] = version.split('.').map(Number)
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(3035)
    expect(dialect.supportsReturning).toBe(true)
    const ret = await engine.begin((conn) => conn.execute(update(nums).values({ small: 1 }).returning(nums.c.id)))
    expect(ret.all()).toEqual([])
  })

  it('executeMany splits an insert under 32,766 parameters and inserts every row', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i + 1, a: `a${i}`, b: `b${i}`, c: i, d: -i }))
    const sizes: number[] = []
    const listener = (e: { sql: string; parameters?: readonly unknown[] }) => { if (e.sql.startsWith('INSERT')) sizes.push(e.parameters!.length) }
    engine.events.on('beforeExecute', listener)
    try {
      const res = await engine.begin((conn) => conn.executeMany(insert(wide), rows))
      expect(res.rowCount).toBe(20_000)
    } finally { engine.events.off('beforeExecute', listener) }
    expect(sizes.length).toBe(Math.ceil(100_000 / (Math.floor(32_766 / 5) * 5)))
    expect(Math.max(...sizes)).toBeLessThanOrEqual(32_766)
    expect(sizes.reduce((a, b) => a + b)).toBe(100_000)
    expect((await engine.connect((conn) => conn.execute(text('SELECT count(*), sum(c) FROM sqx_val_wide')))).all().map((r) => [...r])[0]).toEqual([20_000, 199_990_000])
  })

  it('the limit is real: one statement past it is refused', async () => {
    const rows = Array.from({ length: 6554 }, (_, i) => ({ id: 100_000 + i, a: 'x', b: 'y', c: 0, d: 0 }))   // 32,770 binds
    const err = await engine.begin((conn) => conn.execute(insert(wide).values(rows))).catch((e: unknown) => e)
    expect(isProgrammingError(err)).toBe(true)
    expect(String((err as Error).message)).toContain('too many SQL variables')
  })
})
