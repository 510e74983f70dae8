import {
  Integer, MetaData, Text, column, insert, isCheckViolation, isConnectionError, isDeadlockDetected, isForeignKeyViolation,
  isIntegrityError, isLockTimeout, isNotNullViolation, isOperationalError, isProgrammingError, isQueryCanceled, isUniqueViolation,
  table, text, update,
} from '@retort/core'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure, kill, mariadb, sleep, threadId } from './mysql-support.js'

const metadata = new MetaData()
const parents = table('myx_err_parents', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
  qty: column(Integer),
}, { metadata, checks: [{ name: 'myx_err_qty_positive', sql: 'qty > 0' }] })
const children = table('myx_err_children', {
  id: column(Integer, { primaryKey: true }),
  parentId: column(Integer, { foreignKey: 'myx_err_parents.id', name: 'parent_id' }),
}, { metadata })

describe('MariaDB error conversion', () => {
  const engine = mariadb()
  const hidden = mariadb({ hideParameters: true })

  beforeAll(async () => {
    await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) })
    await engine.begin(async (c) => {
      await c.execute(insert(parents).values([{ id: 1, name: 'a', qty: 1 }, { id: 2, name: 'b', qty: 1 }]))
      await c.execute(insert(children).values({ id: 1, parentId: 1 }))
    })
  })
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await Promise.all([engine.dispose(), hidden.dispose()])
  })

  const run = (stmt: Parameters<typeof engine.begin>[0]) => failure(engine.begin(stmt))

  it('1062 duplicate key → UniqueViolation with sql, parameters, code and cause', async () => {
    const err = await run((c) => c.execute(insert(parents).values({ id: 1, name: 'dup', qty: 1 })))
    expect(isUniqueViolation(err) && isIntegrityError(err)).toBe(true)
    expect(err.code).toBe(1062)
    expect(err.cause.errno).toBe(1062)
    expect(err.sql).toBe('INSERT INTO `myx_err_parents` (`id`, `name`, `qty`) VALUES (?, ?, ?)')
    expect(err.parameters).toEqual([1, 'dup', 1])
  })

  it('hideParameters keeps the values out of the error', async () => {
    const err = await failure(hidden.begin((c) => c.execute(insert(parents).values({ id: 1, name: 'secret-value', qty: 1 }))))
    expect(isUniqueViolation(err)).toBe(true)
    expect(err.parameters).toBeUndefined()
    expect(err.cause.sql).not.toContain('secret-value') // mysql2 writes the values into its own error's sql
    expect(err.sql).toContain('?')
  })

  it('1451 and 1452 → ForeignKeyViolation', async () => {
    const parentGone = await run((c) => c.execute(text('DELETE FROM myx_err_parents WHERE id = 1')))
    expect(isForeignKeyViolation(parentGone) && parentGone.code === 1451).toBe(true)
    const noParent = await run((c) => c.execute(insert(children).values({ id: 2, parentId: 99 })))
    expect(isForeignKeyViolation(noParent) && noParent.code === 1452).toBe(true)
  })

  it('1048 → NotNullViolation, 4025 → CheckViolation', async () => {
    const nul = await run((c) => c.execute(update(parents).values({ name: null as unknown as string }).where(parents.c.id.eq(2))))
    expect(isNotNullViolation(nul) && nul.code === 1048).toBe(true)
    const check = await run((c) => c.execute(update(parents).values({ qty: -1 }).where(parents.c.id.eq(2))))
    expect(isCheckViolation(check) && check.code === 4025).toBe(true)
  })

  it('1146, 1066 and 42000 syntax errors → ProgrammingError', async () => {
    const missing = await run((c) => c.execute(text('SELECT * FROM myx_err_nowhere')))
    expect(isProgrammingError(missing) && missing.code === 1146).toBe(true)
    const nonUnique = await run((c) => c.execute(text('SELECT 1 FROM myx_err_parents, myx_err_parents')))
    expect(isProgrammingError(nonUnique) && nonUnique.code === 1066).toBe(true)
    const syntax = await run((c) => c.execute(text('SELEC 1')))
    expect(isProgrammingError(syntax) && syntax.code === 1064).toBe(true)
  })

  it('1213 → DeadlockDetected between two real transactions', async () => {
    const a = await engine.connect()
    const b = await engine.connect()
    try {
      await a.execute(text('SELECT * FROM myx_err_parents WHERE id = 1 FOR UPDATE'))
      await b.execute(text('SELECT * FROM myx_err_parents WHERE id = 2 FOR UPDATE'))
      const first = a.execute(text('UPDATE myx_err_parents SET qty = 5 WHERE id = 2'))
      first.catch(() => {})
      await sleep(100)
      const second = b.execute(text('UPDATE myx_err_parents SET qty = 5 WHERE id = 1'))
      const results = await Promise.allSettled([first, second])
      const errors = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
      expect(errors).toHaveLength(1)
      expect(isDeadlockDetected(errors[0]) && isOperationalError(errors[0])).toBe(true)
      expect(errors[0].code).toBe(1213)
    } finally { await Promise.all([a.close(), b.close()]) }
  })

  it('1205 → LockTimeout (innodb_lock_wait_timeout = 1)', async () => {
    const a = await engine.connect()
    const b = await engine.connect()
    try {
      await a.execute(text('SELECT * FROM myx_err_parents WHERE id = 1 FOR UPDATE'))
      await b.execute(text('SET SESSION innodb_lock_wait_timeout = 1'))
      const err = await failure(b.execute(text('UPDATE myx_err_parents SET qty = 3 WHERE id = 1')))
      expect(isLockTimeout(err) && isOperationalError(err)).toBe(true)
      expect(err.code).toBe(1205)
    } finally { await Promise.all([a.close(), b.close()]) }
  })

  it('1317 → QueryCanceled when another session kills the statement', async () => {
    await engine.connect(async (c) => {
      const id = await threadId(c)
      const outcome = failure(c.execute(text('SELECT SLEEP(5)')))
      await sleep(150)
      await kill(engine, 'QUERY', id)
      const err = await outcome
      expect(isQueryCanceled(err) && err.code === 1317).toBe(true)
    })
  })

  it('server gone (KILL CONNECTION mid-statement) → ConnectionError with the driver code', async () => {
    await engine.connect(async (c) => {
      const id = await threadId(c)
      const outcome = failure(c.execute(text('SELECT SLEEP(5)')))
      await sleep(150)
      await kill(engine, 'CONNECTION', id)
      const err = await outcome
      expect(isConnectionError(err)).toBe(true)
      expect(err.code).toBe('PROTOCOL_CONNECTION_LOST')
      expect(err.cause).toBeDefined()
    })
  })

  it('a failed connect never shows the password', async () => {
    const bad = mariadb().url.renderWithPassword().replace('root@', 'root:s3cr3t-pw@')
    const { createAsyncEngine } = await import('@retort/core')
    const e = createAsyncEngine(bad)
    const err = await failure(e.connect())
    expect(isOperationalError(err) && err.code === 1045).toBe(true)
    for (const s of [err.message, err.stack, inspect(err, { depth: 6 }), String(e.url)]) expect(s).not.toContain('s3cr3t-pw')
    await e.dispose()
  })
})
