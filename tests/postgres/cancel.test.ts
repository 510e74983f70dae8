import { type AsyncConnection, isPendingRollbackError, isQueryCanceled, text } from '@retort/core'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/backends.js'

async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a rejection')
}

describe('PostgreSQL statement cancellation', () => {
  const engine = makeEngine('postgresql', { poolSize: 1, maxOverflow: 0 })
  const observer = makeEngine('postgresql', { poolSize: 1, isolationLevel: 'AUTOCOMMIT' })
  afterAll(async () => { await Promise.all([engine.dispose(), observer.dispose()]) })

  const pidOf = async (conn: AsyncConnection): Promise<number> => (await conn.execute(text('SELECT pg_backend_pid()'))).scalar() as number
  /** The backend's state as the server's own activity view shows it, seen from another connection. */
  const activity = (pid: number) => observer.connect(async (c) =>
    (await c.execute(text('SELECT state, query FROM pg_stat_activity WHERE pid = :pid'), { pid })).mappings().first() as { state: string; query: string })

  /** Cancel, check the server stopped, roll back, and check the same backend serves the next statement. */
  async function expectCanceledAndReused(conn: AsyncConnection, run: () => Promise<unknown>): Promise<void> {
    const pid = await pidOf(conn)
    const started = performance.now()
    const err = await failure(run())
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(isQueryCanceled(err)).toBe(true)
    expect(err.code).toBe('57014')
    expect(err.sql).toBe('SELECT pg_sleep(10)')
    // the backend reports the error before it updates its activity entry: poll briefly
    await expect.poll(async () => (await activity(pid)).state, { timeout: 2_000, interval: 20 })
      .toBe('idle in transaction (aborted)')                            // no longer running pg_sleep
    expect(isPendingRollbackError(await failure(conn.execute(text('SELECT 1'))))).toBe(true)
    await conn.rollback()
    expect(await pidOf(conn)).toBe(pid)                                // same connection, reused
    expect((await conn.execute(text('SELECT 2 AS n'))).scalar()).toBe(2)
  }

  it('a timeout cancels pg_sleep on the server and the connection is reused', async () => {
    await using conn = await engine.connect()
    await expectCanceledAndReused(conn, () => conn.execute(text('SELECT pg_sleep(10)'), {}, { timeout: 200 }))
  })

  it('an AbortSignal cancels pg_sleep on the server and the connection is reused', async () => {
    await using conn = await engine.connect()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    await expectCanceledAndReused(conn, () => conn.execute(text('SELECT pg_sleep(10)'), {}, { signal: controller.signal }))
  })

  it('an already aborted signal never starts the statement', async () => {
    await using conn = await engine.connect()
    const err = await failure(conn.execute(text('SELECT pg_sleep(10)'), {}, { signal: AbortSignal.abort() }))
    expect(isQueryCanceled(err)).toBe(true)
    expect((await conn.execute(text('SELECT 3 AS n'))).scalar()).toBe(3)
  })

  it('a cancel racing the end of its statement never hits the next statement', async () => {
    await using conn = await engine.connect()
    let canceled = 0
    for (let i = 0; i < 20; i++) {
      // the timer fires around the moment the statement ends: before, during or after
      const err = await conn.execute(text('SELECT pg_sleep(0.02)'), {}, { timeout: 5 + (i % 5) * 5 }).then(() => undefined, (e) => e)
      if (err) { expect(isQueryCanceled(err)).toBe(true); canceled++; await conn.rollback() }
      const after = await conn.execute(text('SELECT pg_sleep(0.03), CAST(:i AS integer) AS i'), { i })
      expect(after.first()!.i).toBe(i)
      await conn.commit()
    }
    expect(canceled).toBeGreaterThan(0)
  })
})
