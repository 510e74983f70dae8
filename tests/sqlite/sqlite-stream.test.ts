import { BigInteger, Integer, MetaData, Text, column, createAsyncEngine, insert, select, table, text } from '@retort/core'
import '@retort/sqlite'
import { afterAll, describe, expect, it } from 'vitest'

const count = (n: number) => text(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x, 'row ' || x AS label FROM c`)
const spools = text("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'retort_spool_%'")

describe('SQLite stream()', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  afterAll(() => engine.dispose())

  it('streams 1,000,000 rows in order with bounded heap growth, in a few seconds', async () => {
    await engine.connect(async (conn) => {
      globalThis.gc?.()
      const base = process.memoryUsage().heapUsed
      let peak = 0
      let n = 0
      let ordered = true
      const start = performance.now()
      for await (const row of conn.stream(count(1_000_000))) {
        n++
        if (row[0] !== n || row.label !== `row ${n}`) ordered = false
        if ((n & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base)
      }
      const ms = performance.now() - start
      expect(n).toBe(1_000_000)
      expect(ordered).toBe(true)
      // buffering 1M rows costs well over 100 MB of heap; a few batches stay far below
      expect(peak).toBeLessThan(60 * 1024 * 1024)
      expect(ms).toBeLessThan(20_000)
      console.log(`sqlite stream: 1M rows in ${Math.round(ms)} ms, peak heap growth ${(peak / 1048576).toFixed(1)} MB`)
      expect((await conn.execute(spools)).scalar()).toBe(0)
    })
  })

  it('break finalizes the cursor and leaves the connection usable', async () => {
    await engine.connect(async (conn) => {
      let n = 0
      for await (const _ of conn.stream(count(100_000), undefined, { batchSize: 100 })) if (++n === 250) break
      expect(n).toBe(250)
      expect((await conn.execute(spools)).scalar()).toBe(0)
      expect((await conn.execute(text('SELECT 99'))).scalar()).toBe(99)
      await conn.commit()
    })
  })

  it('a throw inside the loop also closes it', async () => {
    await engine.connect(async (conn) => {
      await expect((async () => { for await (const _ of conn.stream(count(10_000))) throw new Error('stop') })()).rejects.toThrow('stop')
      expect((await conn.execute(spools)).scalar()).toBe(0)
      expect((await conn.execute(text('SELECT 1'))).scalar()).toBe(1)
    })
  })

  it('keeps values and types exactly, with Core columns converted', async () => {
    const metadata = new MetaData()
    const t = table('sqx_stream_vals', {
      id: column(Integer, { primaryKey: true }),
      big: column(BigInteger),
      name: column(Text),
    }, { metadata })
    await engine.begin(async (conn) => {
      await metadata.createAll(conn)
      await conn.execute(insert(t).values([{ id: 1, big: 2n ** 62n + 1n, name: '007' }, { id: 2, big: -5n, name: null }]))
    })
    await engine.connect(async (conn) => {
      const rows = []
      for await (const row of conn.stream(select(t.c.id, t.c.big, t.c.name).orderBy(t.c.id))) rows.push([...row])
      expect(rows).toEqual([[1, 2n ** 62n + 1n, '007'], [2, -5n, null]])
      // a mixed-type compound keeps each value's own type (no column affinity on the way)
      const mixed = []
      for await (const row of conn.stream(text("SELECT name AS v FROM sqx_stream_vals WHERE id = 1 UNION ALL SELECT 5 UNION ALL SELECT x'00ff'"))) mixed.push(row[0])
      expect(mixed).toEqual(['007', 5, Buffer.from([0, 255])])
      await conn.execute(text('DROP TABLE sqx_stream_vals'))
      await conn.commit()
    })
  })

  it('streams INSERT ... RETURNING row by row', async () => {
    await engine.connect(async (conn) => {
      await conn.execute(text('CREATE TABLE sqx_stream_ret (n INTEGER)'))
      const got: number[] = []
      for await (const row of conn.stream(text('INSERT INTO sqx_stream_ret (n) SELECT value FROM json_each(:list) RETURNING n'), { list: '[1,2,3]' }, { batchSize: 2 })) got.push(row[0] as number)
      expect(got.sort()).toEqual([1, 2, 3])
      expect((await conn.execute(text('SELECT count(*) FROM sqx_stream_ret'))).scalar()).toBe(3)
      await conn.rollback()
    })
  })
})
