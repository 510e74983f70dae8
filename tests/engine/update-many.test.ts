import {
  type AsyncEngine, BigInteger, Bool, DateTime, Integer, Json, MetaData, Text, column, createAsyncEngine, insert, isErrorKind,
  select, table, text, Varchar,
} from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS, type BackendName, failure, poolEngine, spiedTables } from './engine-support.js'

const metadata = new MetaData()
const items = table('um_items', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text),
  qty: column(Integer),
  code: column(Text, { unique: true }),
  big: column(BigInteger),
  at: column(DateTime),
  doc: column(Json),
  flag: column(Bool),
  version: column(Integer, { nullable: false, default: 1 }),
}, { metadata })
const pairs = table('um_pairs', {
  a: column(Integer, { primaryKey: true }),
  b: column(Varchar(20), { primaryKey: true }),
  v1: column(Integer), v2: column(Integer), v3: column(Integer), v4: column(Integer), v5: column(Integer), v6: column(Integer),
}, { metadata })

const LIMIT: Record<BackendName, number> = { postgresql: 65_535, mariadb: 65_535, sqlite: 32_766 }

describe.each(BACKENDS)('executeUpdateMany on $name', ({ name }) => {
  const engine = poolEngine(name)
  const events = spiedTables(engine, metadata, ['um_items', 'um_pairs'], /^UPDATE/)
  const seed = (n: number): Promise<unknown> => engine.begin((c) => c.executeMany(insert(items), Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `n${i + 1}`, qty: i + 1, code: `c${i + 1}` }))))

  it('renders the dialect form, binds flat and counts matched rows', async () => {
    await seed(3)
    events.length = 0
    const res = await engine.begin((c) => c.executeUpdateMany(items, [[1, 10, 'a'], [2, 20, 'b'], [99, 0, 'none']], { set: ['qty', 'name'] }))
    expect(res.rowCount).toBe(2)
    const sql = {
      postgresql: 'UPDATE "um_items" SET "qty" = v."qty", "name" = v."name" FROM (VALUES ($1::INTEGER, $2::INTEGER, $3::TEXT), ($4::INTEGER, $5::INTEGER, $6::TEXT), ($7::INTEGER, $8::INTEGER, $9::TEXT)) AS v("id", "qty", "name") WHERE "um_items"."id" = v."id"',
      sqlite: 'UPDATE "um_items" SET "qty" = v.column2, "name" = v.column3 FROM (VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)) AS v WHERE "um_items"."id" = v.column1',
      mariadb: 'UPDATE `um_items` SET `qty` = CASE `id` WHEN ? THEN ? WHEN ? THEN ? WHEN ? THEN ? END, `name` = CASE `id` WHEN ? THEN ? WHEN ? THEN ? WHEN ? THEN ? END WHERE `id` IN (?, ?, ?)',
    }[name]
    const params = name === 'mariadb' ? [1, 10, 2, 20, 99, 0, 1, 'a', 2, 'b', 99, 'none', 1, 2, 99] : [1, 10, 'a', 2, 20, 'b', 99, 0, 'none']
    expect(events.map((e) => [e.sql, e.parameters])).toEqual([[sql, params]])
    const got = (await engine.connect((c) => c.execute(select(items.c.id, items.c.qty, items.c.name).orderBy(items.c.id)))).all().map((r) => [r.id, r.qty, r.name])
    expect(got).toEqual([[1, 10, 'a'], [2, 20, 'b'], [3, 3, 'n3']])
  })

  it('takes rows as objects keyed by column, and applies bind processors (dates, bigint, json, bool) and NULLs', async () => {
    await seed(3)
    const at = new Date(Date.UTC(2023, 11, 31, 23, 59, 58, 123))
    const rows = [
      { id: 1, big: 2n ** 61n + 3n, at, doc: { k: [1, 'x'] }, flag: true, name: null },
      { id: 2, big: null, at: null, doc: null, flag: false, name: 'two' },
      { id: 3, big: -1n, at, doc: [true], flag: null, name: null },
    ]
    const res = await engine.begin((c) => c.executeUpdateMany(items, rows, { set: ['big', 'at', 'doc', 'flag', 'name'] }))
    expect(res.rowCount).toBe(3)
    const got = (await engine.connect((c) => c.execute(select(items.c.id, items.c.big, items.c.at, items.c.doc, items.c.flag, items.c.name).orderBy(items.c.id)))).all()
    expect(got.map((r) => [r.id, r.big, r.at, r.doc, r.flag, r.name])).toEqual(rows.map((r) => [r.id, r.big, r.at, r.doc, r.flag, r.name]))
  })

  it('matches extra columns (a version counter): a stale row is not matched, so rowCount shows it', async () => {
    await seed(3)
    // rows: [id, old version, new qty, new version]
    const res = await engine.begin((c) => c.executeUpdateMany(items, [[1, 1, 100, 2], [2, 7, 200, 8], [3, 1, 300, 2]], { match: ['version'], set: ['qty', 'version'] }))
    expect(res.rowCount).toBe(2)
    const got = (await engine.connect((c) => c.execute(select(items.c.id, items.c.qty, items.c.version).orderBy(items.c.id)))).all().map((r) => [r.id, r.qty, r.version])
    expect(got).toEqual([[1, 100, 2], [2, 2, 1], [3, 300, 2]])
    if (name === 'postgresql') expect(events.at(-1)!.sql).toContain('AS v("id", "version", "qty", "version_1") WHERE "um_items"."id" = v."id" AND "um_items"."version" = v."version"')
    if (name === 'mariadb') expect(events.at(-1)!.sql).toMatch(/WHERE \(`id`, `version`\) IN \(\(\?, \?\), \(\?, \?\), \(\?, \?\)\)$/)
  })

  it('updates by a composite key across the bind limit, each statement under it', async () => {
    const perRow = name === 'mariadb' ? 6 * 3 + 2 : 2 + 6
    const n = Math.floor(LIMIT[name] / perRow) + 500
    const keys = Array.from({ length: n }, (_, i) => ({ a: i % 100, b: `b${Math.floor(i / 100)}` }))
    await engine.begin((c) => c.executeMany(insert(pairs), keys))
    events.length = 0
    const rows = keys.map((k, i) => [k.a, k.b, i, i + 1, i + 2, i + 3, i + 4, i % 2 ? null : i])
    const res = await engine.begin((c) => c.executeUpdateMany(pairs, rows, { set: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'], batchSize: 1_000_000 }))
    expect(res.rowCount).toBe(n)
    expect(events).toHaveLength(2)
    for (const e of events) expect(e.parameters!.length).toBeLessThanOrEqual(LIMIT[name])
    expect(events.reduce((s, e) => s + e.parameters!.length, 0)).toBe(n * perRow)
    const got = (await engine.connect((c) => c.execute(select(pairs.c.a, pairs.c.b, pairs.c.v1, pairs.c.v6)))).all()
    const want = new Map(rows.map((r) => [`${r[0]}|${r[1]}`, [r[2], r[7]]]))
    for (const r of got) expect([r.v1, r.v6]).toEqual(want.get(`${r.a}|${r.b}`))
  })

  it('converts errors (a unique violation) with the statement and its parameters; undefined is refused', async () => {
    await seed(3)
    const err = await failure(engine.begin((c) => c.executeUpdateMany(items, [[1, 'x'], [2, 'x']], { set: ['code'] })))
    expect(isErrorKind(err, 'UniqueViolation')).toBe(true)
    expect(err.sql).toMatch(/^UPDATE .um_items. SET .code. = /)
    expect(err.parameters).toEqual(name === 'mariadb' ? [1, 'x', 2, 'x', 1, 2] : [1, 'x', 2, 'x'])
    const bad = await failure(engine.begin((c) => c.executeUpdateMany(items, [{ id: 1, qty: undefined }], { set: ['qty'] })))
    expect(isErrorKind(bad, 'ArgumentError')).toBe(true)
  })

  if (name === 'sqlite') {
    it('falls back to CASE where the dialect has no UPDATE ... FROM (SQLite < 3.33)', async () => {
      await seed(2)
      const other: AsyncEngine = createAsyncEngine(engine.url)
      await other.connect(async () => {})
      ;(other.dialect as any).supportsUpdateFromValues = false
      const seen: string[] = []
      other.events.on('beforeExecute', (e) => { if (/^UPDATE/.test(e.sql)) seen.push(e.sql) })
      try {
        const res = await other.begin((c) => c.executeUpdateMany(items, [[1, 5], [2, 6]], { set: ['qty'] }))
        expect(res.rowCount).toBe(2)
        expect(seen).toEqual(['UPDATE "um_items" SET "qty" = CASE "id" WHEN ? THEN ? WHEN ? THEN ? END WHERE "id" IN (?, ?)'])
        const got = (await other.connect((c) => c.execute(select(items.c.qty).orderBy(items.c.id)))).scalars().all()
        expect(got).toEqual([5, 6])
      } finally { await other.dispose() }
    })
  }
})
