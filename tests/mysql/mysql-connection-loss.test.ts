import { isConnectionError, isPendingRollbackError, text } from '@retort/core'
import { afterAll, describe, expect, it } from 'vitest'
import { failure, kill, mariadb, sleep, threadId } from './mysql-support.js'

describe('MariaDB connections killed by the server', () => {
  const engine = mariadb({ poolSize: 2 })
  afterAll(() => engine.dispose())

  it('an idle pooled connection killed on the server is discarded, never handed out again', async () => {
    const first = await engine.connect()
    const second = await engine.connect()
    const victim = await threadId(first)
    const survivor = await threadId(second)
    await first.close()
    await second.close()
    expect(engine.pool.status()).toMatchObject({ checkedIn: 2, checkedOut: 0 })
    await kill(engine, 'CONNECTION', victim)
    await sleep(50) // the close reaches mysql2 as an 'error'/'end' event: handled, no crash
    const ids = await Promise.all([engine.connect(threadId), engine.connect(threadId)])
    expect(ids).not.toContain(victim)
    expect(ids).toContain(survivor)
    expect(ids.filter((id) => id !== survivor)).toHaveLength(1) // the dead one was replaced by a new connection
    expect(engine.pool.status()).toMatchObject({ checkedIn: 2, checkedOut: 0, overflow: 0 })
  })

  it('a connection killed mid-transaction fails with a typed ConnectionError; the next checkout is fresh', async () => {
    const conn = await engine.connect()
    await conn.execute(text('SELECT 1')) // begins a transaction
    expect(conn.inTransaction).toBe(true)
    const victim = await threadId(conn)
    await kill(engine, 'CONNECTION', victim)
    await sleep(50)
    const err = await failure(conn.execute(text('SELECT 2')))
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('PROTOCOL_CONNECTION_LOST')
    expect(isPendingRollbackError(err)).toBe(false)
    await conn.close()
    const fresh = await engine.connect(threadId)
    expect(fresh).not.toBe(victim)
    expect(engine.pool.status().checkedOut).toBe(0)
  })

  it('a connection killed while it runs a statement fails that statement and is dropped', async () => {
    const conn = await engine.connect()
    const victim = await threadId(conn)
    const outcome = failure(conn.execute(text('SELECT SLEEP(5)')))
    await sleep(100)
    await kill(engine, 'CONNECTION', victim)
    const err = await outcome
    expect(isConnectionError(err)).toBe(true)
    await conn.close()
    expect(await engine.connect((c) => c.execute(text('SELECT 7')).then((r) => r.scalar()))).toBe(7)
  })
})
