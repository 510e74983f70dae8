import { createAsyncEngine, isConnectionError, isPendingRollbackError, isQueryCanceled, text } from '@retort/core'
import '@retort/sqlite'
import { afterAll, describe, expect, it } from 'vitest'

// counts to 1e9: minutes of work unless interrupted
const endless = text('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c')

async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a failure')
}

describe('SQLite cancellation through sqlite3_interrupt()', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  afterAll(() => engine.dispose())

  it('{ timeout } cancels a long query with QueryCanceled and the connection answers next', async () => {
    await engine.connect(async (conn) => {
      const start = performance.now()
      const err = await failure(conn.execute(endless, { timeout: 100 }))
      expect(performance.now() - start).toBeLessThan(2000)
      expect(isQueryCanceled(err)).toBe(true)
      expect(err.code).toBe('SQLITE_INTERRUPT')
      expect(err.sql).toContain('WITH RECURSIVE')
      // the transaction it was in has failed: roll back, then the same connection works
      expect(isPendingRollbackError(await failure(conn.execute(text('SELECT 1'))))).toBe(true)
      await conn.rollback()
      expect((await conn.execute(text('SELECT 41 + 1'))).scalar()).toBe(42)
    })
  })

  it('an AbortSignal cancels the same way, in autocommit mode too', async () => {
    const auto = createAsyncEngine('sqlite+sqlite3://:memory:', { isolationLevel: 'AUTOCOMMIT' })
    try {
      await auto.connect(async (conn) => {
        const ac = new AbortController()
        setTimeout(() => ac.abort(), 100)
        const start = performance.now()
        const err = await failure(conn.execute(endless, { signal: ac.signal }))
        expect(performance.now() - start).toBeLessThan(2000)
        expect(isQueryCanceled(err)).toBe(true)
        expect((await conn.execute(text('SELECT 7'))).scalar()).toBe(7)
      })
    } finally { await auto.dispose() }
  })

  it('an interrupted write rolls the transaction back; rollback() still succeeds', async () => {
    await engine.connect(async (conn) => {
      await conn.execute(text('CREATE TABLE sqx_cancel_w (n INTEGER)'))
      await conn.commit()
      await conn.execute(text('INSERT INTO sqx_cancel_w VALUES (1)'))
      const slowInsert = text('INSERT INTO sqx_cancel_w WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c')
      expect(isQueryCanceled(await failure(conn.execute(slowInsert, { timeout: 100 })))).toBe(true)
      await conn.rollback()   // SQLite already rolled back: no "no transaction is active" error
      expect((await conn.execute(text('SELECT count(*) FROM sqx_cancel_w'))).scalar()).toBe(0)
      await conn.execute(text('DROP TABLE sqx_cancel_w'))
      await conn.commit()
    })
  })

  it('a finished statement is not interrupted by a late cancel', async () => {
    await engine.connect(async (conn) => {
      expect((await conn.execute(text('SELECT 1'), { timeout: 1 })).scalar()).toBe(1)
      await new Promise((r) => setTimeout(r, 20))
      expect((await conn.execute(text('SELECT 2'))).scalar()).toBe(2)
    })
  })
})

describe('a SQLite handle closed underneath', () => {
  it('is marked broken, reported as ConnectionError and never handed out again', async () => {
    const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
    try {
      const conn = await engine.connect()
      await conn.execute(text('SELECT 1'))
      const raw = conn.rawConnection as { close(cb: (err: Error | null) => void): void }
      await new Promise<void>((resolve, reject) => raw.close((e) => (e ? reject(e) : resolve())))
      const err = await failure(conn.execute(text('SELECT 2')))
      expect(isConnectionError(err)).toBe(true)
      expect(err.code).toBe('SQLITE_MISUSE')
      await conn.close()
      expect(engine.pool.status()).toMatchObject({ checkedIn: 0, checkedOut: 0 })
      const fresh = await engine.connect()
      expect(fresh.rawConnection).not.toBe(raw)
      expect((await fresh.execute(text('SELECT 3'))).scalar()).toBe(3)
      await fresh.close()
    } finally { await engine.dispose() }
  })

  it('is discarded at checkout when it was closed while idle in the pool', async () => {
    const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
    try {
      let raw: { close(cb: (err: Error | null) => void): void } | undefined
      await engine.connect(async (c) => { await c.execute(text('SELECT 1')); raw = c.rawConnection as typeof raw })
      await new Promise<void>((resolve) => raw!.close(() => resolve()))
      expect(engine.pool.status().checkedIn).toBe(1)
      expect(await engine.connect(async (c) => { expect(c.rawConnection).not.toBe(raw); return (await c.execute(text('SELECT 5'))).scalar() })).toBe(5)
    } finally { await engine.dispose() }
  })
})
