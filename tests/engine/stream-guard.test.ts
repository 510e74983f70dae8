import { type StatementEvent, Integer, MetaData, column, insert, isArgumentError, select, table } from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, failure, poolEngine } from './engine-support.js'

describe.each(BACKENDS)('one statement at a time on $name', ({ name }) => {
  const metadata = new MetaData()
  const nums = table('eng_stream_nums', { id: column(Integer, { primaryKey: true }), n: column(Integer) }, { metadata })
  const engine = poolEngine(name)

  beforeAll(async () => {
    await engine.begin(async (c) => {
      await metadata.dropAll(c); await metadata.createAll(c)
      await c.executeMany(insert(nums), Array.from({ length: 50 }, (_, i) => ({ n: i })))
    })
  })
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
    engine.cleanup()
  })

  it('refuses a statement while a stream is open, and takes one again after leaving the loop by break', async () => {
    const after: StatementEvent[] = []
    engine.events.on('afterExecute', (e) => { after.push(e) })
    await engine.connect(async (conn) => {
      const stmt = select(nums.c.n).orderBy(nums.c.id)
      let seen = 0
      for await (const row of conn.stream(stmt, undefined, { batchSize: 10 })) {
        if (seen === 0) expect(isArgumentError(await failure(conn.execute(select(nums.c.id))))).toBe(true)
        if (++seen === 15) { expect(row.n).toBe(14); break }
      }
      expect(after.some((e) => e.sql === engine.compile(stmt).template.sql)).toBe(true)
      expect((await conn.execute(select(nums.c.n).where(nums.c.id.eq(1)))).scalar()).toBe(0)
    })
  })

  it('refuses a second statement sent before the first one finished', async () => {
    await engine.connect(async (conn) => {
      await conn.execute(select(nums.c.id).limit(1))
      const first = conn.execute(select(nums.c.n).orderBy(nums.c.id))
      expect(isArgumentError(await failure(conn.execute(select(nums.c.id))))).toBe(true)
      expect((await first).rowCount).toBe(50)
    })
  })
})
