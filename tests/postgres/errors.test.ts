import { inspect } from 'node:util'
import {
  type AsyncEngine, Integer, MetaData, Text, column, createAsyncEngine, insert, isCheckViolation, isConnectionError, isDataError,
  isDeadlockDetected, isForeignKeyViolation, isIntegrityError, isLockTimeout, isNotNullViolation, isOperationalError, isQueryCanceled,
  isSerializationFailure, isUniqueViolation, table, text,
} from '@retort/core'
import { PostgresDialect } from '@retort/postgres'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/backends.js'

/** The rejection of `p` (fails the test when `p` resolves). */
async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a rejection')
}

const metadata = new MetaData()
const items = table('pgx_err_items', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false, unique: true }),
  qty: column(Integer),
}, { metadata, checks: [{ name: 'pgx_err_qty_ck', sql: 'qty >= 0' }] })
const refs = table('pgx_err_refs', {
  id: column(Integer, { primaryKey: true }),
  itemId: column(Integer, { name: 'item_id', foreignKey: 'pgx_err_items.id' }),
}, { metadata })

describe('PostgreSQL error conversion, provoked on the server', () => {
  const engine = makeEngine('postgresql')
  const hidden = makeEngine('postgresql', { hideParameters: true })

  beforeAll(async () => {
    await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
  })
  beforeEach(async () => {
    await engine.begin(async (conn) => {
      await conn.execute(text('DELETE FROM pgx_err_refs'))
      await conn.execute(text('DELETE FROM pgx_err_items'))
      await conn.execute(insert(items).values([{ id: 1, name: 'one', qty: 1 }, { id: 2, name: 'two', qty: 2 }]))
    })
  })
  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn))
    await Promise.all([engine.dispose(), hidden.dispose()])
  })

  it('23505 → UniqueViolation with cause, code, sql and parameters', async () => {
    const err = await failure(engine.begin((c) => c.execute(insert(items).values({ id: 3, name: 'one', qty: 0 }))))
    expect(isUniqueViolation(err)).toBe(true)
    expect(isIntegrityError(err)).toBe(true)
    expect(err.code).toBe('23505')
    expect(err.cause.code).toBe('23505')
    expect(err.sql).toMatch(/^INSERT INTO "pgx_err_items"/)
    expect(err.parameters).toEqual([3, 'one', 0])
  })

  it('hideParameters keeps the values out of the error', async () => {
    const err = await failure(hidden.begin((c) => c.execute(insert(items).values({ id: 4, name: 'two', qty: 0 }))))
    expect(isUniqueViolation(err)).toBe(true)
    expect(err.parameters).toBeUndefined()
    expect(err.sql).toMatch(/^INSERT/)
    expect(err.cause.code).toBe('23505')
  })

  it('23503 → ForeignKeyViolation', async () => {
    const err = await failure(engine.begin((c) => c.execute(insert(refs).values({ id: 1, itemId: 999 }))))
    expect(isForeignKeyViolation(err)).toBe(true)
    expect([err.code, err.parameters]).toEqual(['23503', [1, 999]])
  })

  it('23502 → NotNullViolation', async () => {
    const err = await failure(engine.begin((c) => c.execute(text('INSERT INTO pgx_err_items (id, name) VALUES (:id, NULL)'), { id: 5 })))
    expect(isNotNullViolation(err)).toBe(true)
    expect([err.code, err.parameters]).toEqual(['23502', [5]])
  })

  it('23514 → CheckViolation', async () => {
    const err = await failure(engine.begin((c) => c.execute(insert(items).values({ id: 6, name: 'neg', qty: -1 }))))
    expect(isCheckViolation(err)).toBe(true)
    expect(err.code).toBe('23514')
  })

  it('22012 and 22P02 → DataError', async () => {
    const zero = await failure(engine.connect((c) => c.execute(text('SELECT 1 / :d AS q'), { d: 0 })))
    expect(isDataError(zero)).toBe(true)
    expect([zero.code, zero.parameters, zero.sql]).toEqual(['22012', [0], 'SELECT 1 / $1 AS q'])
    const bad = await failure(engine.connect((c) => c.execute(text('SELECT CAST(:v AS integer)'), { v: 'abc' })))
    expect(isDataError(bad)).toBe(true)
    expect(bad.code).toBe('22P02')
  })

  it('40001 → SerializationFailure (two SERIALIZABLE transactions update one row)', async () => {
    await using a = await engine.connect()
    await using b = await engine.connect()
    await a.begin({ isolationLevel: 'SERIALIZABLE' })
    await b.begin({ isolationLevel: 'SERIALIZABLE' })
    await b.execute(text('SELECT qty FROM pgx_err_items WHERE id = 1'))       // b's snapshot is taken
    await a.execute(text('UPDATE pgx_err_items SET qty = qty + 1 WHERE id = 1'))
    await a.commit()
    const err = await failure(b.execute(text('UPDATE pgx_err_items SET qty = qty + 10 WHERE id = :id'), { id: 1 }))
    expect(isSerializationFailure(err)).toBe(true)
    expect(isOperationalError(err)).toBe(true)
    expect([err.code, err.parameters]).toEqual(['40001', [1]])
    await b.rollback()
  })

  it('40001 at COMMIT → SerializationFailure (write skew between two SERIALIZABLE transactions)', async () => {
    await using a = await engine.connect()
    await using b = await engine.connect()
    for (const c of [a, b]) await c.begin({ isolationLevel: 'SERIALIZABLE' })
    const total = text('SELECT sum(qty) AS s FROM pgx_err_items')
    await a.execute(total)
    await b.execute(total)
    await a.execute(text('UPDATE pgx_err_items SET qty = 0 WHERE id = 1'))
    await b.execute(text('UPDATE pgx_err_items SET qty = 0 WHERE id = 2'))
    await a.commit()
    const err = await failure(b.commit())
    expect(isSerializationFailure(err)).toBe(true)
    expect([err.code, err.sql]).toEqual(['40001', 'COMMIT'])
  })

  it('40P01 → DeadlockDetected (two connections lock two rows in opposite order)', async () => {
    await using a = await engine.connect()
    await using b = await engine.connect()
    for (const c of [a, b]) await c.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
    await a.execute(text('UPDATE pgx_err_items SET qty = 10 WHERE id = 1'))
    await b.execute(text('UPDATE pgx_err_items SET qty = 20 WHERE id = 2'))
    const results = await Promise.allSettled([
      a.execute(text('UPDATE pgx_err_items SET qty = 11 WHERE id = 2')),
      b.execute(text('UPDATE pgx_err_items SET qty = 21 WHERE id = 1')),
    ])
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    expect(errors).toHaveLength(1)
    expect(isDeadlockDetected(errors[0])).toBe(true)
    expect(errors[0].code).toBe('40P01')
    expect(errors[0].sql).toMatch(/^UPDATE pgx_err_items/)
  })

  it('55P03 → LockTimeout (SET LOCAL lock_timeout)', async () => {
    await using a = await engine.connect()
    await using b = await engine.connect()
    await a.execute(text('UPDATE pgx_err_items SET qty = 5 WHERE id = 1'))
    await b.execute(text("SET LOCAL lock_timeout = '50ms'"))
    const err = await failure(b.execute(text('UPDATE pgx_err_items SET qty = 6 WHERE id = 1')))
    expect(isLockTimeout(err)).toBe(true)
    expect(isOperationalError(err)).toBe(true)
    expect(err.code).toBe('55P03')
  })

  it('57014 → QueryCanceled', async () => {
    const err = await failure(engine.connect((c) => c.execute(text('SELECT pg_sleep(5)'), {}, { timeout: 100 })))
    expect(isQueryCanceled(err)).toBe(true)
    expect(err.code).toBe('57014')
    expect(err.cause.code).toBe('57014')
  })

  it('57P01 → ConnectionError when the backend is terminated', async () => {
    await using victim = await engine.connect()
    const pid = (await victim.execute(text('SELECT pg_backend_pid()'))).scalar()
    await engine.connect((c) => c.execute(text('SELECT pg_terminate_backend(:pid)'), { pid }))
    const err = await failure(victim.execute(text('SELECT 1')))
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('57P01')
    expect(err.cause.code).toBe('57P01')
  })

  it('08xxx / refused connect → ConnectionError keeping the driver code, never the password', async () => {
    const bad: AsyncEngine = createAsyncEngine('postgresql+pg://postgres:Sekret-pw-9@127.0.0.1:1/test')
    const err = await failure(bad.connect())
    expect(isConnectionError(err)).toBe(true)
    expect(err.code).toBe('ECONNREFUSED')
    expect(err.message).toMatch(/ECONNREFUSED/)
    for (const s of [err.message, err.stack, inspect(err, { depth: 5 }), String(bad), inspect(bad)]) expect(s).not.toContain('Sekret-pw-9')
    await bad.dispose()
    for (const [url, code] of [['postgresql+pg://postgres@127.0.0.1:5432/pgx_err_no_such_db', '3D000'], ['postgresql+pg://pgx_err_no_role@127.0.0.1:5432/test', '28000']]) {
      const e = createAsyncEngine(url)
      const refused = await failure(e.connect())
      expect(isConnectionError(refused)).toBe(true)
      expect([refused.code, refused.cause.code]).toEqual([code, code])
      await e.dispose()
    }
    const broken = new PostgresDialect().convertError(Object.assign(new Error('connection failure'), { code: '08006' }), {})
    expect(isConnectionError(broken)).toBe(true)
    expect(broken.code).toBe('08006')
  })
})
