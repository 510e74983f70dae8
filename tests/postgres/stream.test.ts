import { Integer, isDataError, text } from '@retort/core'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/backends.js'

const MB = 1024 * 1024

describe('PostgreSQL stream() over a server-side cursor', () => {
  const engine = makeEngine('postgresql', { poolSize: 1, maxOverflow: 0 })
  afterAll(() => engine.dispose())

  it('streams 1,000,000 rows with bounded memory', async () => {
    await using conn = await engine.connect()
    const stmt = text('SELECT g AS n FROM generate_series(1, :count) AS g').columns({ n: Integer })
    global.gc?.()
    const base = process.memoryUsage().heapUsed
    let peak = 0
    let count = 0
    let sum = 0
    for await (const row of conn.stream(stmt, { count: 1_000_000 }, { batchSize: 5_000 })) {
      count++
      sum += row.n as number
      if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base)
    }
    expect(count).toBe(1_000_000)
    expect(sum).toBe(500_000_500_000)
    // a buffered Result of a million named rows would take well over 100 MB
    expect(peak).toBeLessThan(50 * MB)
    expect((await conn.execute(text('SELECT 1 AS one'))).scalar()).toBe(1)
  })

  it('break closes the cursor; the connection and its transaction stay usable', async () => {
    await using conn = await engine.connect()
    await conn.execute(text('CREATE TEMP TABLE pgx_stream_marks (n integer) ON COMMIT DROP'))
    let seen = 0
    for await (const row of conn.stream(text('SELECT g AS n FROM generate_series(1, 1000000) AS g'), {}, { batchSize: 100 })) {
      seen = Number(row.n)
      if (seen === 250) break
    }
    expect(seen).toBe(250)
    expect(conn.inTransaction).toBe(true)                           // same transaction, still healthy
    await conn.execute(text('INSERT INTO pgx_stream_marks VALUES (:n)'), { n: seen })
    const cursors = await conn.execute(text('SELECT count(*) AS c FROM pg_cursors'))
    expect(Number(cursors.scalar())).toBe(0)                       // the portal was closed
    expect((await conn.execute(text('SELECT n FROM pgx_stream_marks'))).scalars().all()).toEqual([250])
    await conn.commit()
    expect((await conn.execute(text('SELECT 7 AS n'))).scalar()).toBe(7)
  })

  it('a statement failing mid-stream throws a converted error and the connection recovers after rollback', async () => {
    await using conn = await engine.connect()
    let seen = 0
    const err = await (async () => {
      for await (const _ of conn.stream(text('SELECT 1 / (5000 - g) FROM generate_series(1, 10000) AS g'), {}, { batchSize: 1000 })) seen++
    })().then(() => undefined, (e) => e)
    expect(isDataError(err)).toBe(true)
    expect(err.code).toBe('22012')
    expect(seen).toBe(4000)                                        // the batches read before the failing row
    await conn.rollback()
    expect((await conn.execute(text('SELECT 8 AS n'))).scalar()).toBe(8)
  })

  it('a throw inside the loop closes the cursor too', async () => {
    await using conn = await engine.connect()
    const boom = new Error('stop here')
    await expect((async () => {
      for await (const row of conn.stream(text('SELECT g FROM generate_series(1, 100000) AS g'))) if (Number(row[0]) === 10) throw boom
    })()).rejects.toBe(boom)
    expect(Number((await conn.execute(text('SELECT count(*) FROM pg_cursors'))).scalar())).toBe(0)
    await conn.rollback()
  })
})
