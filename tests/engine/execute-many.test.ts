import { type StatementEvent, Integer, MetaData, Text, bindparam, column, func, insert, select, table, text, update } from '@retort/core'
import { estimateRowBytes, rowsPerStatement } from '@retort/core/dialect'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, poolEngine } from './engine-support.js'

describe.each(BACKENDS)('executeMany on $name', ({ name }) => {
  const metadata = new MetaData()
  const rows = table('eng_many_rows', {
    id: column(Integer, { primaryKey: true }),
    a: column(Integer, { nullable: false }),
    b: column(Integer),
    c: column(Text),
  }, { metadata })
  const engine = poolEngine(name)
  const inserts: StatementEvent[] = []
  const spy = (e: StatementEvent): void => { if (/^INSERT|^UPDATE/.test(e.sql)) inserts.push(e) }

  beforeAll(async () => { await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }) })
  beforeEach(async () => {
    await engine.begin((c) => c.execute(text('DELETE FROM eng_many_rows')))
    inserts.length = 0
  })
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
    engine.cleanup()
  })

  it("batches an INSERT without values under the backend's bind-parameter limit", async () => {
    const limit = per(name)
    const n = 25_000 // 3 binds per row: 75,000 parameters, over every backend's limit
    const data = Array.from({ length: n }, (_, i) => ({ a: i, b: i * 2, c: `r${i}` }))
    engine.events.on('beforeExecute', spy)
    const result = await engine.begin((c) => c.executeMany(insert(rows), data))
    engine.events.off('beforeExecute', spy)
    expect(result.rowCount).toBe(n)
    // MariaDB keeps each statement's values within its maxStatementBytes (64 KiB); the others fill the bind limit
    const page = rowsPerStatement(engine.dialect!, 3, { rowBytes: estimateRowBytes(data, ['a', 'b', 'c']) })
    expect(inserts).toHaveLength(Math.ceil(n / page))
    if (name === 'mariadb') expect(inserts.length).toBeGreaterThan(Math.ceil(n / Math.floor(limit / 3)))
    else expect(inserts).toHaveLength(Math.ceil(n / Math.floor(limit / 3)))
    for (const e of inserts) expect(e.parameters!.length).toBeLessThanOrEqual(limit)
    expect(inserts.reduce((s, e) => s + e.parameters!.length, 0)).toBe(3 * n)
    const [count, sum] = (await engine.connect((c) => c.execute(select(func.count(), func.sum(rows.c.a))))).one()
    expect(Number(count)).toBe(n)
    expect(Number(sum)).toBe((n * (n - 1)) / 2)
  })

  it('starts a new batch where the keys change, and gathers RETURNING rows', async () => {
    const data = [{ a: 1 }, { a: 2 }, { a: 3, b: 30 }, { a: 4 }]
    engine.events.on('beforeExecute', spy)
    const stmt = engine.dialect?.supportsReturning ? insert(rows).returning(rows.c.a) : insert(rows)
    const result = await engine.begin((c) => c.executeMany(stmt, data))
    engine.events.off('beforeExecute', spy)
    expect(inserts).toHaveLength(3)
    expect(result.rowCount).toBe(4)
    if (engine.dialect?.supportsReturning) expect(result.scalars().all().map(Number).sort()).toEqual([1, 2, 3, 4])
    expect((await engine.connect((c) => c.execute(select(rows.c.b).where(rows.c.a.eq(3))))).scalar()).toBe(30)
  })

  it('runs any other statement once per parameter set and sums the matched rows', async () => {
    await engine.begin((c) => c.executeMany(insert(rows), [{ a: 1 }, { a: 2 }, { a: 2 }]))
    engine.events.on('beforeExecute', spy)
    const viaText = await engine.begin((c) => c.executeMany(text('UPDATE eng_many_rows SET c = :c WHERE a = :a'), [{ c: 'one', a: 1 }, { c: 'two', a: 2 }]))
    const viaCore = await engine.begin((c) => c.executeMany(
      update(rows).where(rows.c.a.eq(bindparam('target', Integer))).values({ b: bindparam('newB', Integer) }),
      [{ target: 1, newB: 10 }, { target: 2, newB: 20 }, { target: 9, newB: 90 }]))
    engine.events.off('beforeExecute', spy)
    expect(viaText.rowCount).toBe(3)
    expect(viaCore.rowCount).toBe(3)
    expect(inserts).toHaveLength(5)
    const got = (await engine.connect((c) => c.execute(select(rows.c.a, rows.c.b, rows.c.c).orderBy(rows.c.id)))).all().map((r) => [r.a, r.b, r.c])
    expect(got).toEqual([[1, 10, 'one'], [2, 20, 'two'], [2, 20, 'two']])
  })
})

function per(name: string): number {
  return name === 'sqlite' ? 32_766 : 65_535
}
