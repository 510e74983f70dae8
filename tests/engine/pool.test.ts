import { type AsyncConnection, isConnectionError, isPendingRollbackError, isPoolTimeoutError, isResourceClosedError, text } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS, aliveIds, killConnection, poolEngine, serverId, sleep, waitGone, failure } from './engine-support.js'

const one = text('SELECT 1')

describe.each(BACKENDS)('pool on $name', ({ name }) => {
  it('opens up to poolSize + maxOverflow, then times out with PoolTimeoutError; overflow closes on return', async () => {
    let opened = 0
    const engine = poolEngine(name, { poolSize: 2, maxOverflow: 1, poolTimeout: 200, onConnect: () => { opened++ } })
    try {
      const conns: AsyncConnection[] = []
      for (let i = 0; i < 3; i++) conns.push(await engine.connect())
      expect(engine.pool.status()).toEqual({ size: 2, checkedIn: 0, checkedOut: 3, overflow: 1 })
      const ids = await Promise.all(conns.map(async (c) => { const id = await serverId(name, c); await c.commit(); return id }))
      const started = Date.now()
      const err = await failure(engine.connect())
      expect(isPoolTimeoutError(err)).toBe(true)
      expect(String((err as Error).message)).toMatch(/200 ms/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(180)
      for (const c of conns) await c.close()
      expect(engine.pool.status()).toEqual({ size: 2, checkedIn: 2, checkedOut: 0, overflow: 0 })
      expect(opened).toBe(3)
      // the first two returned fill the pool; the third is overflow and closes
      if (name !== 'sqlite') expect(await waitGone(name, [ids[2]!])).toEqual([])
      expect(await aliveIds(name, ids.slice(0, 2) as number[])).toHaveLength(name === 'sqlite' ? 0 : 2)
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('hands a returned connection to a waiting checkout', async () => {
    const engine = poolEngine(name, { poolSize: 1, maxOverflow: 0, poolTimeout: 5000 })
    try {
      const first = await engine.connect()
      const waiting = engine.connect((c) => c.execute(one).then((r) => r.scalar()))
      await sleep(50)
      await first.close()
      expect(Number(await waiting)).toBe(1)
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('runs onConnect once per new connection, not per checkout', async () => {
    const raws: unknown[] = []
    const engine = poolEngine(name, { poolSize: 2, onConnect: (raw) => { raws.push(raw) } })
    try {
      for (let i = 0; i < 5; i++) await engine.connect((c) => c.execute(one))
      expect(raws).toHaveLength(1)
      await Promise.all([0, 1].map(() => engine.connect(async (c) => { await c.execute(one); await sleep(30) })))
      expect(raws).toHaveLength(2)
      expect(raws[0]).not.toBe(raws[1])
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('poolPrePing replaces a connection killed while idle, transparently', async () => {
    const engine = poolEngine(name, { poolSize: 1, poolPrePing: true })
    try {
      const conn = await engine.connect()
      const id = await serverId(name, conn)
      const raw = conn.rawConnection
      await conn.close()
      await killConnection(name, { rawConnection: raw } as AsyncConnection, id)
      const again = await engine.connect()
      expect(again.rawConnection).not.toBe(raw)
      expect(Number((await again.execute(one)).scalar())).toBe(1)
      if (id !== undefined) expect(await serverId(name, again)).not.toBe(id)
      await again.close()
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('poolRecycle replaces connections older than the limit', async () => {
    let opened = 0
    const engine = poolEngine(name, { poolSize: 1, poolRecycle: 150, onConnect: () => { opened++ } })
    try {
      const id1 = await engine.connect((c) => serverId(name, c))
      await engine.connect((c) => c.execute(one))
      expect(opened).toBe(1)
      await sleep(250)
      const id2 = await engine.connect((c) => serverId(name, c))
      expect(opened).toBe(2)
      if (id1 !== undefined) {
        expect(id2).not.toBe(id1)
        expect(await waitGone(name, [id1])).toEqual([])
      }
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('invalidate() closes a broken connection; a lost transaction demands rollback, then a fresh connection serves', async () => {
    const engine = poolEngine(name, { poolSize: 2 })
    try {
      const conn = await engine.connect()
      await conn.execute(one) // begins a transaction
      const id = await serverId(name, conn)
      if (name === 'sqlite') {
        conn.invalidate()
      } else {
        await killConnection(name, conn, id)
        const err = await failure(conn.execute(one))
        expect(isConnectionError(err)).toBe(true)
      }
      expect(engine.pool.status()).toMatchObject({ checkedOut: 0 })
      const pending = await failure(conn.execute(one))
      expect(isPendingRollbackError(pending)).toBe(true)
      await conn.rollback()
      expect(Number((await conn.execute(one)).scalar())).toBe(1)
      if (id !== undefined) expect(await serverId(name, conn)).not.toBe(id)
      await conn.close()
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('dispose() closes idle connections at once and checked-out ones when returned; the engine connects again after', async () => {
    const engine = poolEngine(name, { poolSize: 2 })
    try {
      const held = await engine.connect()
      const heldId = await serverId(name, held)
      await held.commit()
      const idleId = await engine.connect((c) => serverId(name, c))
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 1 })
      await engine.dispose()
      if (name !== 'sqlite') {
        expect(await waitGone(name, [idleId!])).toEqual([])
        expect(await aliveIds(name, [heldId!])).toEqual([heldId])
      }
      const err = await failure(held.execute(one))
      expect(isResourceClosedError(err)).toBe(true)
      await held.close()
      if (name !== 'sqlite') expect(await waitGone(name, [heldId!])).toEqual([])
      expect(Number(await engine.connect(async (c) => (await c.execute(one)).scalar()))).toBe(1)
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    } finally { await engine.dispose(); engine.cleanup() }
  })
  it('close() gives the connection back with its ROLLBACK in flight: the next checkout waits for it and sees the rollback', async () => {
    const engine = poolEngine(name, { poolSize: 1, maxOverflow: 0 })
    const seen: string[] = []
    try {
      await engine.connect(async (c) => { await c.execute(text('CREATE TABLE pool_reset_rows (id INTEGER)')); await c.commit() })
      engine.events.on('beforeExecute', (e) => seen.push(`before ${e.sql}`))
      engine.events.on('afterExecute', (e) => seen.push(`after ${e.sql}`))
      const conn = await engine.connect()
      const raw = conn.rawConnection
      await conn.execute(text('INSERT INTO pool_reset_rows (id) VALUES (1)'))
      await conn.close()
      const count = await engine.connect(async (c) => {
        expect(c.rawConnection).toBe(raw)
        return Number((await c.execute(text('SELECT COUNT(*) FROM pool_reset_rows'))).scalar())
      })
      expect(count).toBe(0)
      // nothing starts on the connection before the ROLLBACK is done
      const reset = seen.indexOf('before ROLLBACK')
      expect(seen.slice(reset, reset + 3)).toEqual(['before ROLLBACK', 'after ROLLBACK', expect.stringMatching(/^before (BEGIN|START TRANSACTION)$/)])
    } finally {
      await engine.connect(async (c) => { await c.execute(text('DROP TABLE IF EXISTS pool_reset_rows')); await c.commit() })
      await engine.dispose(); engine.cleanup()
    }
  })

  it.each(['lost', 'refused'] as const)('a connection whose ROLLBACK on return fails (%s) is closed, never handed out again', async (how) => {
    const engine = poolEngine(name, { poolSize: 1, maxOverflow: 0 })
    try {
      const conn = await engine.connect()
      await conn.execute(one) // begins a transaction
      const raw = conn.rawConnection
      // lost under the open transaction (SQLite: its handle closed), or the driver fails that one statement
      if (how === 'lost') await killConnection(name, conn, await serverId(name, conn))
      else failRollback(raw)
      await conn.close()
      const next = await engine.connect(async (c) => { expect(Number((await c.execute(one)).scalar())).toBe(1); return c.rawConnection })
      expect(next).not.toBe(raw)
      expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
    } finally { await engine.dispose(); engine.cleanup() }
  })
  it('a checkout takes an idle connection that is not rolling back before one that is', async () => {
    const engine = poolEngine(name, { poolSize: 2, maxOverflow: 0 })
    try {
      const [clean, dirty] = [await engine.connect(), await engine.connect()]
      const cleanRaw = clean.rawConnection
      await clean.close()
      await dirty.execute(one) // begins a transaction
      const dirtyRaw = dirty.rawConnection
      await dirty.close() // the newest idle connection, its ROLLBACK in flight
      expect(dirtyRaw).not.toBe(cleanRaw)
      expect(await engine.connect(async (c) => c.rawConnection)).toBe(cleanRaw)
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('waiting for a connection that is still rolling back ends with PoolTimeoutError at poolTimeout', async () => {
    const engine = poolEngine(name, { poolSize: 1, maxOverflow: 0, poolTimeout: 200 })
    try {
      const conn = await engine.connect()
      await conn.execute(one) // begins a transaction
      const raw = conn.rawConnection
      failRollback(raw, 1000)
      await conn.close()
      const started = Date.now()
      const err = await failure(engine.connect())
      expect(isPoolTimeoutError(err)).toBe(true)
      expect(Date.now() - started).toBeLessThan(900)
      // once the ROLLBACK is done, the same connection serves again
      await sleep(1000)
      expect(await engine.connect(async (c) => { await c.execute(one); return c.rawConnection })).toBe(raw)
    } finally { await engine.dispose(); engine.cleanup() }
  })

  it('a listener that throws on the ROLLBACK of close() loses no connection and crashes nothing', async () => {
    const engine = poolEngine(name, { poolSize: 1, maxOverflow: 0, poolTimeout: 2000 })
    try {
      for (const event of ['beforeExecute', 'afterExecute'] as const) {
        let thrown = false
        const listener = (e: { sql: string }): void => {
          if (e.sql === 'ROLLBACK' && !thrown) { thrown = true; throw new Error(`listener fails on ${event}`) }
        }
        engine.events.on(event, listener)
        const conn = await engine.connect()
        await conn.execute(one) // begins a transaction
        const raw = conn.rawConnection
        await conn.close()
        // the connection is closed, not reused (as when a rollback fails); a fresh one serves
        // (committed: no ROLLBACK of this check may reach the next round's listener)
        expect(await engine.connect(async (c) => { expect(Number((await c.execute(one)).scalar())).toBe(1); await c.commit(); return c.rawConnection })).not.toBe(raw)
        expect(thrown).toBe(true)
        engine.events.off(event, listener)
        expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
      }
    } finally { await engine.dispose(); engine.cleanup() }
  })
})

/**
 * Make the driver connection fail its ROLLBACKs, or send them only after
 * `delayMs` (pg and mysql2 `query`, sqlite3 `run` / `all`); the connection
 * itself stays intact.
 */
function failRollback(raw: unknown, delayMs?: number): void {
  const r = raw as Record<string, (...args: any[]) => unknown>
  for (const method of ['query', 'run', 'all']) {
    const original = r[method]
    if (typeof original !== 'function') continue
    r[method] = function (this: unknown, ...args: any[]) {
      const sql = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? args[0]?.sql
      if (sql !== 'ROLLBACK') return original.apply(this, args)
      const cb = args.find((a) => typeof a === 'function')
      if (delayMs !== undefined) {
        const later = new Promise((resolve) => setTimeout(resolve, delayMs))
        if (cb) { void later.then(() => { original.apply(this, args) }); return this }
        return later.then(() => original.apply(this, args))
      }
      const err = new Error('injected: ROLLBACK failed')
      if (cb) { setImmediate(() => cb(err)); return this }
      return Promise.reject(err)
    }
  }
}
