import { Integer, MetaData, Text, column, func, insert, literal, select, table, text, update } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { compiled } from './support/compiled.js'
import { useBackend } from './support/fixture.js'

const HOSTILE = [
  "'; DROP TABLE cmp_lit_data; --",
  "\\'; DROP TABLE cmp_lit_data; -- \\",
  'back\\slash \\\\ and \\n not a newline',
  '"double" `back` [brackets]',
  'percent %s %% and ? and $1 and :name and ::text',
  "O'Reilly",
  '/* comment */ -- dash',
  '日本語 🎉 é',
]

// Literal-free compilation (SQLAlchemy test_dialect.py EscapingTest, DifficultParametersTest) and the compiled-statement cache.
describe.each(BACKENDS)('literal-free SQL and the statement cache on $name', ({ name }) => {
  const metadata = new MetaData()
  const data = table('cmp_lit_data', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    s: column(Text),
  }, { metadata })
  const b = useBackend(name, metadata, async (x) => {
    await x.run(insert(data).values(HOSTILE.map((s, i) => ({ id: i + 1, s }))))
  })

  it('hostile strings round-trip as data, never as SQL', async () => {
    const back = (await b.run(select(data.c.s).orderBy(data.c.id))).scalars().all()
    expect(back).toEqual(HOSTILE)
    expect((await b.run(select(func.count()).selectFrom(data))).scalar()).toBe(HOSTILE.length)
  })

  it('hostile strings compare equal in WHERE and never enter the SQL text', async () => {
    for (const [i, s] of HOSTILE.entries()) {
      const stmt = select(data.c.id).where(data.c.s.eq(s))
      const c = compiled(b.engine, stmt)
      expect(c.sql).not.toContain(s)
      expect(c.parameters).toEqual([s])
      expect((await b.run(stmt)).scalar()).toBe(i + 1)
    }
  })

  it('every value is bound: literals, limit and offset, IN lists, CASE, functions', async () => {
    const stmt = select(data.c.id, literal('lit').label('l'), func.coalesce(data.c.s, 'dflt').label('c'))
      .where(data.c.id.in([5, 6, 7]), data.c.s.like("%O'R%"))
      .orderBy(data.c.id).limit(5).offset(0)
    const c = compiled(b.engine, stmt)
    expect(c.sql.replace(/\$\d+/g, '?')).not.toMatch(/'|\d|\blit\b|\bdflt\b/)
    expect(c.parameters).toEqual(['lit', 'dflt', 5, 6, 7, "%O'R%", 5, 0])
    expect((await b.run(stmt)).scalars().all()).toEqual([6])
  })

  it('text() binds a hostile value too', async () => {
    const q = name === 'mariadb' ? '`' : '"'
    const r = await b.run(text(`SELECT id FROM ${q}cmp_lit_data${q} WHERE s = :s`), { s: HOSTILE[1] })
    expect(r.scalar()).toBe(2)
  })

  it('like with an ESCAPE character finds a literal percent and underscore', async () => {
    const stmt = select(data.c.id).where(data.c.s.like('%!%%', '!'))
    expect(compiled(b.engine, stmt)).toEqual({ sql: expect.stringMatching(/LIKE (\?|\$1) ESCAPE (\?|\$2)$/), parameters: ['%!%%', '!'] })
    expect((await b.run(stmt)).scalars().all()).toEqual([5])
    expect((await b.run(select(data.c.id).where(data.c.s.ilike('%!%S%', '!')))).scalars().all()).toEqual([5])
    expect((await b.run(select(func.count()).selectFrom(data).where(data.c.s.notLike('%!_%', '!')))).scalar()).toBe(HOSTILE.filter((s) => !s.includes('_')).length)
  })

  it('an update with a hostile value', async () => {
    await b.run(update(data).values({ s: HOSTILE[0] + '!' }).where(data.c.id.eq(8)))
    expect((await b.run(select(data.c.s).where(data.c.id.eq(8)))).scalar()).toBe(HOSTILE[0] + '!')
    await b.run(update(data).values({ s: HOSTILE[7] }).where(data.c.id.eq(8)))
  })

  it('a query built the same way with other values compiles once; another shape compiles again', async () => {
    const byName = (s: string, n: number) => select(data.c.id).where(data.c.s.eq(s)).orderBy(data.c.id).limit(n)
    await b.run(byName('x', 1))
    const before = b.engine.cacheStats().compilations
    await b.run(byName('y', 2))
    await b.run(byName(HOSTILE[0], 3))
    expect(b.engine.cacheStats().compilations).toBe(before)
    await b.run(select(data.c.id).where(data.c.s.ne('x')).orderBy(data.c.id).limit(1))
    expect(b.engine.cacheStats().compilations).toBe(before + 1)
    expect(b.engine.cacheStats().hits).toBeGreaterThan(1)
  })

  it('IN lists compile once per length (each length is its own shape)', async () => {
    const q = (ids: number[]) => select(data.c.s).where(data.c.id.in(ids))
    await b.run(q([1, 2]))
    const before = b.engine.cacheStats().compilations
    expect((await b.run(q([3, 4]))).all()).toHaveLength(2)
    expect(b.engine.cacheStats().compilations).toBe(before)
    await b.run(q([1, 2, 3]))
    expect(b.engine.cacheStats().compilations).toBe(before + 1)
    await b.run(q([]))
    expect(b.engine.cacheStats().compilations).toBe(before + 2)
  })

  it('the same text() with other values compiles once', async () => {
    const q = name === 'mariadb' ? '`' : '"'
    const sql = `SELECT s FROM ${q}cmp_lit_data${q} WHERE id = :id`
    await b.run(text(sql), { id: 1 })
    const before = b.engine.cacheStats().compilations
    expect((await b.run(text(sql), { id: 2 })).scalar()).toBe(HOSTILE[1])
    expect(b.engine.cacheStats().compilations).toBe(before)
  })

  it('inserts of one shape share a compilation; one more row is another shape', async () => {
    await b.run(insert(data).values({ id: 100, s: 'a' }))
    const before = b.engine.cacheStats().compilations
    await b.run(insert(data).values({ id: 101, s: 'b' }))
    expect(b.engine.cacheStats().compilations).toBe(before)
    await b.run(insert(data).values([{ id: 102, s: 'c' }, { id: 103, s: 'd' }]))
    expect(b.engine.cacheStats().compilations).toBe(before + 1)
  })
})
