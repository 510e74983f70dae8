import { type AsyncConnection, isConnectionError, isPendingRollbackError, text } from '@retort/core'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/backends.js'

async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a rejection')
}

describe('PostgreSQL connections killed by the server', () => {
  const engine = makeEngine('postgresql', { poolSize: 2, maxOverflow: 0 })
  const killer = makeEngine('postgresql', { poolSize: 1 })   // its own pool: terminating never touches the engine's

  const pidOf = async (conn: AsyncConnection): Promise<number> => (await conn.execute(text('SELECT pg_backend_pid()'))).scalar() as number
  /** pg_terminate_backend, then wait until the backend is gone and its client has heard of it. */
  async function terminate(pid: number): Promise<void> {
    await killer.connect(async (c) => {
      await c.execute(text('SELECT pg_terminate_backend(:pid)'), { pid })
      await c.commit()
      for (let i = 0; i < 100; i++) {
        const left = (await c.execute(text('SELECT count(*) FROM pg_stat_activity WHERE pid = :pid'), { pid })).scalar()
        await c.commit()
        if (Number(left) === 0) break
        await new Promise((r) => setTimeout(r, 20))
      }
    })
    await new Promise((r) => setTimeout(r, 50))
  }

  afterAll(async () => { await Promise.all([engine.dispose(), killer.dispose()]) })

  it('discards an idle pooled connection that was terminated and hands out a fresh one', async () => {
    const pids = await Promise.all([engine.connect(pidOf), engine.connect(pidOf)])
    expect(engine.pool.status()).toMatchObject({ checkedIn: 2, checkedOut: 0 })
    await Promise.all(pids.map(terminate))                      // both idle clients get an 'error' event: handled
    await using conn = await engine.connect()
    const fresh = await pidOf(conn)
    expect(pids).not.toContain(fresh)
    expect((await conn.execute(text('SELECT 41 + 1 AS n'))).scalar()).toBe(42)
    expect(engine.pool.status()).toEqual({ size: 2, checkedIn: 0, checkedOut: 1, overflow: 0 })
  })

  it('a connection terminated mid-transaction gives a ConnectionError with 57P01 and is never reused', async () => {
    const conn = await engine.connect()
    const pid = await pidOf(conn)                                // the transaction is open now
    expect(conn.inTransaction).toBe(true)
    await terminate(pid)
    const err = await failure(conn.execute(text('SELECT :x AS x'), { x: 1 }))
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('57P01')
    expect(err.cause.code).toBe('57P01')
    expect(err.sql).toBe('SELECT $1 AS x')
    expect(engine.pool.status().checkedOut).toBe(0)             // the dead one was discarded, not returned
    // the lost transaction must be rolled back before the connection is used again
    expect(isPendingRollbackError(await failure(conn.execute(text('SELECT 1'))))).toBe(true)
    await conn.rollback()
    expect(await pidOf(conn)).not.toBe(pid)                      // a fresh backend
    await conn.close()
    const pids = await Promise.all([engine.connect(pidOf), engine.connect(pidOf)])
    expect(pids).not.toContain(pid)
  })

  it('a session the server ends on its own (idle-in-transaction timeout, FATAL 25P03) is a ConnectionError', async () => {
    await using conn = await engine.connect()
    const pid = await pidOf(conn)
    await conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = '50ms'"))
    await new Promise((r) => setTimeout(r, 300))
    const err = await failure(conn.execute(text('SELECT 1')))
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('25P03')
    expect(engine.pool.status().checkedOut).toBe(0)
    await conn.rollback()
    expect(await pidOf(conn)).not.toBe(pid)
  })

  it('a stream whose backend is terminated between batches fails with ConnectionError 57P01', async () => {
    await using conn = await engine.connect()
    const pid = await pidOf(conn)
    let rows = 0
    const err = await (async () => {
      for await (const _ of conn.stream(text('SELECT g FROM generate_series(1, 100000) AS g'), {}, { batchSize: 100 })) {
        if (++rows === 1) await terminate(pid)
      }
    })().then(() => undefined, (e) => e)
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('57P01')
    expect(rows).toBe(100)                                       // the first batch, then the loss
    expect(engine.pool.status().checkedOut).toBe(0)
    await conn.rollback()
    expect(await pidOf(conn)).not.toBe(pid)
  })

  it('a statement running when its backend is terminated fails with ConnectionError 57P01', async () => {
    await using conn = await engine.connect()
    const pid = await pidOf(conn)
    const sleeping = failure(conn.execute(text('SELECT pg_sleep(5)')))
    await new Promise((r) => setTimeout(r, 100))
    await killer.connect((c) => c.execute(text('SELECT pg_terminate_backend(:pid)'), { pid }))
    const err = await sleeping
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('57P01')
    const before = engine.pool.status()
    expect(before.checkedOut).toBe(0)
    await engine.connect(async (c) => { expect(await pidOf(c)).not.toBe(pid) })
  })
})
