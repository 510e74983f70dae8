import { MetaData, Integer, column, insert, isPendingRollbackError, isQueryCanceled, select, table, text } from '@retort/core'
import { MysqlDialect } from '@retort/mysql'
import mysql2 from 'mysql2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure, mariadb, processInfo, sleep, threadId } from './mysql-support.js'

const metadata = new MetaData()
const marks = table('myx_cancel_marks', { id: column(Integer, { primaryKey: true }) }, { metadata })

describe('MariaDB cancellation (KILL QUERY over a short-lived connection)', () => {
  const engine = mariadb()
  beforeAll(() => engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }))
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
  })

  it('a timeout cancels the statement on the server and the connection is reused', async () => {
    await engine.connect(async (conn) => {
      const id = await threadId(conn)
      const started = Date.now()
      const err = await failure(conn.execute(text('SELECT SLEEP(10)'), {}, { timeout: 200 }))
      expect(isQueryCanceled(err)).toBe(true)
      expect(Date.now() - started).toBeLessThan(3000)
      expect(await processInfo(engine, id)).toEqual({ command: 'Sleep', info: null }) // idle: the server stopped it
      await conn.rollback()
      expect(await threadId(conn)).toBe(id) // same connection, usable
    })
  })

  it('an AbortSignal cancels the statement on the server', async () => {
    await engine.connect(async (conn) => {
      const id = await threadId(conn)
      const ac = new AbortController()
      const outcome = failure(conn.execute(text('SELECT SLEEP(10)'), {}, { signal: ac.signal }))
      await sleep(150)
      expect(await processInfo(engine, id)).toMatchObject({ command: 'Query', info: expect.stringMatching(/SLEEP/) })
      ac.abort()
      expect(isQueryCanceled(await outcome)).toBe(true)
      expect(await processInfo(engine, id)).toEqual({ command: 'Sleep', info: null })
      await conn.rollback()
      expect((await conn.execute(text('SELECT 41 + 1'))).scalar()).toBe(42)
    })
  })

  it('the transaction a canceled statement was in is failed and must be rolled back', async () => {
    await engine.connect(async (conn) => {
      await conn.execute(insert(marks).values({ id: 1 }))
      expect(isQueryCanceled(await failure(conn.execute(text('SELECT SLEEP(10)'), { timeout: 100 })))).toBe(true)
      expect(isPendingRollbackError(await failure(conn.execute(text('SELECT 1'))))).toBe(true)
      expect(isPendingRollbackError(await failure(conn.commit()))).toBe(true)
      await conn.rollback()
      expect((await conn.execute(select(marks.c.id))).all()).toHaveLength(0)
    })
  })

  it('a cancel that comes after the statement finished never reaches the next statement', async () => {
    await engine.connect(async (conn) => {
      const ac = new AbortController()
      const r = await conn.execute(text('SELECT 1'), {}, { signal: ac.signal })
      ac.abort() // too late: no KILL is sent
      expect(r.scalar()).toBe(1)
      expect((await conn.execute(text('SELECT SLEEP(0.1), 5'))).all()[0][1]).toBe(5)
    })
    // a KILL that reaches the server late (slow network): the statement ends first, and the next one must wait for
    // the KILL to be done, or the KILL would interrupt it
    const slowKills = {
      createConnection(config: Record<string, unknown>) {
        const c = mysql2.createConnection(config)
        const query = c.query.bind(c) as (...a: unknown[]) => unknown
        ;(c as any).query = (o: { sql: string }, cb?: unknown) => {
          if (!o.sql.startsWith('KILL')) return query(o, cb)
          setTimeout(() => query(o, cb), 80)
        }
        return c
      },
    }
    const slow = mariadb({ isolationLevel: 'AUTOCOMMIT', dialect: new MysqlDialect({ name: 'mariadb', mysql: slowKills }) })
    try {
      await slow.connect(async (conn) => {
        const err = await failure(conn.execute(text('SELECT SLEEP(0.05)'), {}, { timeout: 10 }))
        expect(isQueryCanceled(err)).toBe(true) // it was canceled while it ran, though SLEEP ended before the KILL came
        expect((await conn.execute(text('SELECT SLEEP(0.15), 6'))).all()[0].map(Number)).toEqual([0, 6])
      })
    } finally { await slow.dispose() }
  })
})
