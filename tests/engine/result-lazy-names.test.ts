import { type AsyncConnection, Integer, MetaData, type Result, Text, column, createAsyncEngine, insert, select, table, text } from '@retort/core'
import '@retort/sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Rows are converted when the statement runs and named (row.name === row[0]) on first read;
// positional readers (scalars, scalar, mappings) work on rows not named yet.
describe('result rows named on first read', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  const metadata = new MetaData()
  const t = table('eng_lazy', { id: column(Integer, { primaryKey: true }), name: column(Text) }, { metadata })
  beforeAll(() => engine.begin(async (c) => {
    await metadata.createAll(c)
    await c.execute(insert(t).values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'b' }]))
  }))
  afterAll(() => engine.dispose())
  const run = (stmt: Parameters<AsyncConnection['execute']>[0]): Promise<Result<any>> => engine.connect((c) => c.execute(stmt))

  it('scalars, scalar and mappings read by position; rows read later are named', async () => {
    const res = await run(select(t).orderBy(t.c.id))
    expect(res.scalars(1).all()).toEqual(['a', 'b', 'b'])
    expect(res.scalar()).toBe(1)
    expect(res.mappings().all()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'b' }])
    const rows = res.rows
    expect(rows.map((r) => [r.id, r.name, r[0], r[1], r.length])).toEqual([[1, 'a', 1, 'a', 2], [2, 'b', 2, 'b', 2], [3, 'b', 3, 'b', 2]])
    expect(res.all()).toBe(rows)
  })

  it('every row reader names: all, first, one, iteration, partitions, unique, text()', async () => {
    const q = select(t).orderBy(t.c.id)
    expect((await run(q)).all()[2].name).toBe('b')
    expect((await run(q)).first()!.name).toBe('a')
    expect((await run(select(t).where(t.c.id.eq(2)))).one().name).toBe('b')
    for (const r of await run(q)) expect(r.id).toBe(r[0])
    const [part] = [...(await run(q)).partitions(2)]
    expect(part.map((r) => r.name)).toEqual(['a', 'b'])
    const u = (await run(select(t.c.name).orderBy(t.c.name))).unique()
    expect(u.scalars().all()).toEqual(['a', 'b'])
    expect(u.all().map((r) => r.name)).toEqual(['a', 'b'])
    const byStrategy = (await run(q)).unique((r) => r.name)
    expect(byStrategy.all().map((r) => r.id)).toEqual([1, 2])
    const raw = await run(text('SELECT id AS k, name FROM eng_lazy ORDER BY id'))
    expect(raw.scalars().all()).toEqual([1, 2, 3])
    expect(raw.rows.map((r) => r.k)).toEqual([1, 2, 3])
  })
})
