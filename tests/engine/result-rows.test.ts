import { DateTime, Integer, MetaData, StatementCache, Text, column, createAsyncEngine, insert, select, table, text } from '@retort/core'
import '@retort/sqlite'
import { afterAll, describe, expect, it } from 'vitest'

// Row shaping (processors + named properties, one generated function per column list) and the statement cache's LRU.
describe('rows and the statement cache', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  const metadata = new MetaData()
  const t = table('eng_rows', { id: column(Integer, { primaryKey: true }), name: column(Text), at: column(DateTime) }, { metadata })
  afterAll(() => engine.dispose())

  it('processors run per column, skip NULL, and rows of text() are named from the driver', async () => {
    await engine.begin(async (c) => {
      await metadata.createAll(c)
      await c.execute(insert(t).values([{ id: 1, name: 'a', at: new Date('2024-03-05T10:20:30.123Z') }, { id: 2, name: null, at: null }]))
    })
    const rows = (await engine.connect((c) => c.execute(select(t).orderBy(t.c.id)))).all()
    // `at` is also Array.prototype.at: the label's own property wins
    expect(rows[0]['at']).toBeInstanceOf(Date)
    expect((rows[0][2] as Date).toISOString()).toBe('2024-03-05T10:20:30.123Z')
    expect(rows[0]['at']).toBe(rows[0][2])
    expect(rows[1]['at']).toBeNull()
    expect(rows[1].name).toBeNull()
    const raw = (await engine.connect((c) => c.execute(text('SELECT id AS "x y", name FROM eng_rows ORDER BY id')))).all()
    expect(raw.map((r) => [r['x y'], r.name])).toEqual([[1, 'a'], [2, null]])
  })

  it('labels of any spelling become properties; length and indices are never overwritten', async () => {
    const labels = ['plain', 'with space', 'quote"s', "it's", 'back\\slash', 'line\nbreak', 'ünï', 'length', '0', '1']
    const stmt = select(...labels.map((l) => t.c.id.label(l))).where(t.c.id.eq(1))
    const row = (await engine.connect((c) => c.execute(stmt))).one()
    expect(row.length).toBe(labels.length)
    expect(Array.from(row)).toEqual(labels.map(() => 1))
    for (const l of labels) if (l !== 'length' && !/^\d+$/.test(l)) expect(row[l]).toBe(1)
  })

  it('a full cache evicts the entry used longest ago, not one just hit', () => {
    const cache = new StatementCache(engine.dialect!, 3)
    const a = select(t.c.id).where(t.c.id.eq(1))
    const b = select(t.c.name).where(t.c.id.eq(1))
    const c = select(t.c.at).where(t.c.id.eq(1))
    const d = select(t.c.id, t.c.name).where(t.c.id.eq(1))
    cache.compile(a); cache.compile(b); cache.compile(c)
    cache.compile(a) // a is now the most recently used; b the least
    cache.compile(d) // evicts b
    expect(cache.size).toBe(3)
    const before = cache.compilations
    cache.compile(a); cache.compile(c); cache.compile(d)
    expect(cache.compilations).toBe(before)
    cache.compile(b)
    expect(cache.compilations).toBe(before + 1)
  })

  it('a cache of size 0 compiles every time', () => {
    const cache = new StatementCache(engine.dialect!, 0)
    cache.compile(select(t.c.id)); cache.compile(select(t.c.id))
    expect(cache.compilations).toBe(2)
    expect(cache.size).toBe(0)
  })
})
