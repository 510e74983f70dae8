import {
  BigInteger, Bool, DateTime, Integer, Json, MetaData, Text, column, createAsyncEngine, func,
  insert, isErrorKind, select, table, text,
} from '@retort/core'
import { MysqlDialect } from '@retort/mysql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type BackendName, failure, poolEngine, reorderingEngine, spiedTables } from './engine-support.js'

const metadata = new MetaData()
const items = table('im_items', {
  id: column(Integer, { primaryKey: true }),
  code: column(Text, { nullable: false, unique: true }),
  big: column(BigInteger),
  at: column(DateTime),
  doc: column(Json),
  flag: column(Bool),
  note: column(Text),
}, { metadata })
const wide = table('im_wide', {
  id: column(Integer, { primaryKey: true }),
  a: column(Integer, { nullable: false }),
  b: column(Text),
  c: column(Integer),
}, { metadata })

const LIMIT: Record<BackendName, number> = { postgresql: 65_535, mariadb: 65_535, sqlite: 32_766 }

describe.each(BACKENDS)('executeInsertMany on $name', ({ name }) => {
  const engine = poolEngine(name)
  const events = spiedTables(engine, metadata, ['im_items', 'im_wide'], /^INSERT/)
  const returns = (): boolean => engine.dialect!.supportsReturning

  it('repeats the compiled VALUES group with the dialect placeholders and binds flat', async () => {
    const stmt = returns() ? insert(wide).returning(wide.c.id) : insert(wide)
    const res = await engine.begin((c) => c.executeInsertMany(stmt, [{ a: 1, b: 'x' }, { a: 2, b: null }, { a: 3, b: 'z' }]))
    expect(res.rowCount).toBe(3)
    const sql = {
      postgresql: 'INSERT INTO "im_wide" ("a", "b") VALUES ($1, $2), ($3, $4), ($5, $6) RETURNING "im_wide"."id"',
      mariadb: 'INSERT INTO `im_wide` (`a`, `b`) VALUES (?, ?), (?, ?), (?, ?) RETURNING `im_wide`.`id`',
      sqlite: 'INSERT INTO "im_wide" ("a", "b") VALUES (?, ?), (?, ?), (?, ?) RETURNING "im_wide"."id"',
    }[name]
    expect(events.map((e) => [e.sql, e.parameters])).toEqual([[sql, [1, 'x', 2, null, 3, 'z']]])
    expect(res.rows).toHaveLength(3)
  })

  it('crosses the bind limit in batches, each under it, and returns keys in input order', async () => {
    const n = Math.floor(LIMIT[name] / 3) * 2 + 1000 // three statements, over the limit in total
    const data = Array.from({ length: n }, (_, i) => ({ a: i, b: `r${i}`, c: i % 7 }))
    // batchSize past the bind limit: the limit alone splits (MariaDB would page at 64 KiB of values by default)
    const res = await engine.begin((c) => c.executeInsertMany(insert(wide), data, { sentinel: 'autoincrement', batchSize: 1_000_000 }))
    expect(res.rowCount).toBe(n)
    expect(events).toHaveLength(3)
    for (const e of events) expect(e.parameters!.length).toBeLessThanOrEqual(LIMIT[name])
    expect(events.reduce((s, e) => s + e.parameters!.length, 0)).toBe(3 * n)
    expect(events.reduce((s, e) => s + e.parameters!.length, 0)).toBeGreaterThan(LIMIT[name])
    const ids = res.rows.map((r) => Number(r.id))
    const byA = new Map((await engine.connect((c) => c.execute(select(wide.c.a, wide.c.id)))).all().map((r) => [r.a, Number(r.id)]))
    expect(ids).toEqual(data.map((d) => byA.get(d.a)))
  })

  it('compiles once: a second call of the same shape is a cache hit and reuses the expanded SQL', async () => {
    const data = Array.from({ length: 500 }, (_, i) => ({ a: i, b: null }))
    await engine.begin((c) => c.executeMany(insert(wide), data))
    const before = engine.cacheStats().compilations
    await engine.begin((c) => c.executeMany(insert(wide), data))
    expect(engine.cacheStats().compilations).toBe(before)
    expect(events[0].sql).toBe(events[1].sql)
  })

  it('applies bind processors (dates, bigint, json, bool) and NULLs, and RETURNING converts back', async () => {
    const at = new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789))
    const data = [
      { code: 'a', big: 2n ** 60n + 7n, at, doc: { x: [1, 'two', null] }, flag: true, note: null },
      { code: 'b', big: null, at: null, doc: null, flag: false, note: 'n' },
      { code: 'c', big: -5n, at, doc: [1, 2], flag: null, note: null },
    ]
    const stmt = returns() ? insert(items).returning(items.c.code, items.c.big, items.c.at, items.c.doc, items.c.flag, items.c.note) : insert(items)
    const res = await engine.begin((c) => c.executeInsertMany(stmt, data, returns() ? { sentinel: items.c.code } : {}))
    const strip = (r: any): unknown[] => [r.code, r.big, r.at, r.doc, r.flag, r.note]
    const expected = data.map((d) => [d.code, d.big, d.at, d.doc, d.flag, d.note])
    if (returns()) expect(res.rows.map(strip)).toEqual(expected)
    const back = await engine.connect((c) => c.execute(select(items.c.code, items.c.big, items.c.at, items.c.doc, items.c.flag, items.c.note).orderBy(items.c.code)))
    expect(back.all().map(strip)).toEqual(expected)
  })

  it('matches RETURNING rows to the input by sentinel when the server returns them in another order', async () => {
    if (!returns()) return
    const reversing = await reorderingEngine(engine, (rows) => { rows.reverse() })
    try {
      const data = Array.from({ length: 50 }, (_, i) => ({ code: `k${(i * 37) % 50}`, note: `n${i}` }))
      const plain = await reversing.begin((c) => c.executeInsertMany(insert(items).returning(items.c.note), data))
      expect(plain.rows.map((r) => r.note)).toEqual(data.map((d) => d.note).reverse()) // the driver really reorders
      await reversing.begin((c) => c.execute(text('DELETE FROM im_items')))
      const byCode = await reversing.begin((c) => c.executeInsertMany(insert(items).returning(items.c.note), data, { sentinel: items.c.code }))
      expect(byCode.rows.map((r) => r.note)).toEqual(data.map((d) => d.note))
      expect(byCode.keys()).toEqual(['note', 'code'])
      await reversing.begin((c) => c.execute(text('DELETE FROM im_items')))
      const byId = await reversing.begin((c) => c.executeInsertMany(insert(items).returning(items.c.note), data, { sentinel: 'autoincrement' }))
      expect(byId.rows.map((r) => r.note)).toEqual(data.map((d) => d.note))
      const ids = new Map((await engine.connect((c) => c.execute(select(items.c.note, items.c.id)))).all().map((r) => [r.note, Number(r.id)]))
      expect(byId.rows.map((r) => Number(r.id))).toEqual(data.map((d) => ids.get(d.note)))
    } finally { await reversing.dispose() }
  })

  it('converts a unique violation mid-batch, with the statement and its parameters', async () => {
    const data = [{ code: 'u1' }, { code: 'u2' }, { code: 'u1' }, { code: 'u3' }]
    const err = await failure(engine.begin((c) => c.executeInsertMany(insert(items), data)))
    expect(isErrorKind(err, 'UniqueViolation')).toBe(true)
    expect(err.sql).toMatch(/^INSERT INTO .im_items. \(.code.\) VALUES/)
    expect(err.parameters).toEqual(['u1', 'u2', 'u1', 'u3'])
    expect((await engine.connect((c) => c.execute(select(func.count(items.c.id))))).scalar()).toBe(0)
  })

  it('executeMany: rows with other keys start a batch; SQL expressions still work; undefined is refused', async () => {
    const res = await engine.begin((c) => c.executeMany(insert(wide), [{ a: 1 }, { a: 2 }, { a: 3, b: 'x' }, { a: func.abs(-4) as any }]))
    expect(res.rowCount).toBe(4)
    expect(events).toHaveLength(3)
    const got = (await engine.connect((c) => c.execute(select(wide.c.a, wide.c.b).orderBy(wide.c.a)))).all().map((r) => [r.a, r.b])
    expect(got).toEqual([[1, null], [2, null], [3, 'x'], [4, null]])
    const err = await failure(engine.begin((c) => c.executeMany(insert(wide), [{ a: 1, b: 'y' }, { a: 2, b: undefined }])))
    expect(isErrorKind(err, 'ArgumentError')).toBe(true)
  })
})

describe('executeInsertMany without RETURNING (the MySQL 8 path, on MariaDB)', () => {
  const url = BACKENDS.find((b) => b.name === 'mariadb')!.url
  const engine = createAsyncEngine(url, { dialect: new MysqlDialect({ name: 'mariadb', supportsReturning: false }) })
  beforeAll(async () => { await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }) })
  afterAll(async () => { await engine.begin((c) => metadata.dropAll(c)); await engine.dispose() })

  it("gives the ids from the first insert id, in input order, with sentinel 'autoincrement'", async () => {
    const data = Array.from({ length: 30_000 }, (_, i) => ({ a: i, b: null, c: null }))
    const res = await engine.begin((c) => c.executeInsertMany(insert(wide), data, { sentinel: 'autoincrement' }))
    expect(res.rowCount).toBe(data.length)
    expect(res.keys()).toEqual(['id'])
    const byA = new Map((await engine.connect((c) => c.execute(select(wide.c.a, wide.c.id)))).all().map((r) => [r.a, Number(r.id)]))
    expect(res.rows.map((r) => Number(r.id))).toEqual(data.map((d) => byA.get(d.a)))
  })
})
