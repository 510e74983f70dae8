// Ported from SQLAlchemy's test/engine/test_pool.py (QueuePoolTest), against fake connections.
import { describe, expect, it } from 'vitest'
import { type DriverConnection, Pool, type PoolOptions, isPoolTimeoutError, isResourceClosedError } from '../src/index.js'

class FakeConnection implements DriverConnection {
  static opened = 0
  readonly id = ++FakeConnection.opened
  broken = false
  closed = false
  pingFails = false
  readonly raw = {}
  async query() { return { rows: [], columns: [], rowCount: 0 } }
  async *stream() {}
  async cancel() {}
  async ping() { if (this.pingFails) throw new Error('gone') }
  async close() { this.closed = true }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function makePool(options: Partial<PoolOptions> = {}, open?: () => Promise<FakeConnection>) {
  const conns: FakeConnection[] = []
  const pool = new Pool(open ?? (async () => { const c = new FakeConnection(); conns.push(c); return c }), {
    poolSize: 3, maxOverflow: 2, poolTimeout: 100, poolPrePing: false, poolRecycle: -1, ...options,
  })
  return { pool, conns }
}

describe('Pool', () => {
  it('counts overflow and closes overflow connections when returned to a full pool (test_overflow)', async () => {
    const { pool, conns } = makePool()
    const out = await Promise.all([1, 2, 3, 4, 5].map(() => pool.acquire()))
    expect(pool.status()).toEqual({ size: 3, checkedIn: 0, checkedOut: 5, overflow: 2 })
    for (const e of out) pool.release(e)
    expect(pool.status()).toEqual({ size: 3, checkedIn: 3, checkedOut: 0, overflow: 0 })
    expect(conns.filter((c) => c.closed)).toHaveLength(2)
  })

  it('times out with PoolTimeoutError past maxOverflow (test_max_overflow, test_timeout)', async () => {
    const { pool } = makePool({ poolSize: 1, maxOverflow: 1, poolTimeout: 50 })
    await pool.acquire(); await pool.acquire()
    const started = Date.now()
    const err = await pool.acquire().catch((e: unknown) => e)
    expect(isPoolTimeoutError(err)).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('maxOverflow -1 means no limit', async () => {
    const { pool } = makePool({ poolSize: 1, maxOverflow: -1 })
    await Promise.all(Array.from({ length: 20 }, () => pool.acquire()))
    expect(pool.status().overflow).toBe(19)
  })

  it('gives a slot freed by an invalidated connection to a waiter (test_waiters_handled)', async () => {
    const { pool, conns } = makePool({ poolSize: 1, maxOverflow: 0, poolTimeout: 1000 })
    const first = await pool.acquire()
    const waiting = pool.acquire()
    pool.release(first, true)
    const second = await waiting
    expect(second.conn).not.toBe(first.conn)
    expect(conns[0].closed).toBe(true)
  })

  it('frees the slot when connecting fails, and a waiter gets to try (test_connfail_dont_block)', async () => {
    let fail = true
    const { pool } = makePool({ poolSize: 1, maxOverflow: 0, poolTimeout: 1000 }, async () => {
      await sleep(10)
      if (fail) { fail = false; throw new Error('refused') }
      return new FakeConnection()
    })
    const [a, b] = await Promise.allSettled([pool.acquire(), pool.acquire()])
    expect(a.status).toBe('rejected')
    expect(b.status).toBe('fulfilled')
    expect(pool.status()).toMatchObject({ checkedOut: 1 })
  })

  it('does not let a slow connect hold up connections being returned (test_hanging_connect_within_overflow)', async () => {
    let slow = false
    const { pool } = makePool({ poolSize: 1, maxOverflow: 1, poolTimeout: 1000 }, async () => {
      if (slow) await sleep(300)
      return new FakeConnection()
    })
    const first = await pool.acquire()
    slow = true
    const hanging = pool.acquire()                     // opens the overflow connection, slowly
    const waiter = pool.acquire()                      // capacity reached: waits
    const started = Date.now()
    pool.release(first)
    expect((await waiter).conn).toBe(first.conn)
    expect(Date.now() - started).toBeLessThan(100)
    await hanging
  })

  it('ignores a second return of the same connection (test_no_double_checkin)', async () => {
    const { pool } = makePool()
    const e = await pool.acquire()
    pool.release(e)
    pool.release(e)
    expect(pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    expect((await pool.acquire()).conn).toBe(e.conn)
    expect(pool.status()).toMatchObject({ checkedIn: 0, checkedOut: 1 })
  })

  it('never hands out a broken connection; pre-ping and recycle replace stale ones (test_recycle, test_pre_ping)', async () => {
    const { pool, conns } = makePool({ poolSize: 1, poolPrePing: true, poolRecycle: 50 })
    const e = await pool.acquire(); pool.release(e)
    conns[0].broken = true
    const e2 = await pool.acquire()
    expect(e2.conn).not.toBe(conns[0]); pool.release(e2)
    conns[1].pingFails = true
    const e3 = await pool.acquire()
    expect(e3.conn).toBe(conns[2]); pool.release(e3)
    await sleep(70)
    const e4 = await pool.acquire()
    expect(e4.conn).toBe(conns[3])
    expect(conns.slice(0, 3).every((c) => c.closed)).toBe(true)
  })

  it('invalidateAll retires idle connections now and checked-out ones on return (test_invalidate, test_recreate)', async () => {
    const { pool, conns } = makePool()
    const [a, b] = [await pool.acquire(), await pool.acquire()]
    pool.release(a)
    pool.invalidateAll()
    expect(conns[0].closed).toBe(true)
    expect(conns[1].closed).toBe(false)
    pool.release(b)
    expect(conns[1].closed).toBe(true)
    const c = await pool.acquire()
    expect(c.conn).toBe(conns[2])
  })

  it('dispose closes idle connections, fails waiters, closes checked-out ones on return, refuses new checkouts (test_dispose)', async () => {
    const { pool, conns } = makePool({ poolSize: 1, maxOverflow: 0, poolTimeout: 1000 })
    const held = await pool.acquire()
    const waiting = pool.acquire()
    await pool.dispose()
    expect(isResourceClosedError(await waiting.catch((e: unknown) => e))).toBe(true)
    expect(conns[0].closed).toBe(false)
    pool.release(held)
    expect(conns[0].closed).toBe(true)
    expect(isResourceClosedError(await pool.acquire().catch((e: unknown) => e))).toBe(true)
  })
})
