import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  Integer, MetaData, Text, column, createAsyncEngine, insert, isCheckViolation, isForeignKeyViolation, isIntegrityError, isLockTimeout,
  isNotNullViolation, isOperationalError, isUniqueViolation, table, text,
} from '@retort/core'
import '@retort/sqlite'
import { afterAll, describe, expect, it } from 'vitest'

const metadata = new MetaData()
const parents = table('sqx_err_parents', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false, unique: true }),
}, { metadata })
const children = table('sqx_err_children', {
  id: column(Integer, { primaryKey: true }),
  parentId: column(Integer, { name: 'parent_id', foreignKey: 'sqx_err_parents.id' }),
}, { metadata })
const checked = text('CREATE TABLE sqx_err_checked (n INTEGER CONSTRAINT positive CHECK (n > 0))')

async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a failure')
}

describe('SQLite errors are typed from the message', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  afterAll(() => engine.dispose())

  it('maps UNIQUE, NOT NULL, CHECK and FOREIGN KEY with cause, code, sql and parameters', async () => {
    await engine.begin(async (conn) => { await metadata.createAll(conn); await conn.execute(checked) })
    await engine.connect(async (conn) => {
      await conn.execute(insert(parents).values({ id: 1, name: 'a' }))
      const unique = await failure(conn.execute(insert(parents).values({ id: 2, name: 'a' })))
      expect(isUniqueViolation(unique) && isIntegrityError(unique)).toBe(true)
      expect(unique.code).toBe('SQLITE_CONSTRAINT')
      expect(unique.message).toContain('UNIQUE constraint failed: sqx_err_parents.name')
      expect(unique.sql).toBe('INSERT INTO "sqx_err_parents" ("id", "name") VALUES (?, ?)')
      expect(unique.parameters).toEqual([2, 'a'])
      expect((unique.cause as { errno: number }).errno).toBe(19)

      const notNull = await failure(conn.execute(text('INSERT INTO sqx_err_parents (id, name) VALUES (:id, NULL)'), { id: 3 }))
      expect(isNotNullViolation(notNull)).toBe(true)
      expect(notNull.parameters).toEqual([3])

      const check = await failure(conn.execute(text('INSERT INTO sqx_err_checked (n) VALUES (:n)'), { n: -1 }))
      expect(isCheckViolation(check)).toBe(true)
      expect(check.message).toContain('positive')

      const fk = await failure(conn.execute(insert(children).values({ id: 1, parentId: 99 })))
      expect(isForeignKeyViolation(fk)).toBe(true)
      expect(fk.code).toBe('SQLITE_CONSTRAINT')
      await conn.rollback()
    })
  })

  it('enforces foreign keys on every connection unless ?foreign_keys=off', async () => {
    const off = createAsyncEngine('sqlite+sqlite3://:memory:?foreign_keys=off')
    try {
      await off.begin(async (conn) => {
        await metadata.createAll(conn)
        await conn.execute(insert(children).values({ id: 1, parentId: 99 }))
        expect((await conn.execute(text('PRAGMA foreign_keys'))).scalar()).toBe(0)
      })
    } finally { await off.dispose() }
    expect(await engine.connect(async (c) => (await c.execute(text('PRAGMA foreign_keys'))).scalar())).toBe(1)
  })
})

describe('SQLITE_BUSY', () => {
  const file = path.join(os.tmpdir(), `sqx_err_busy_${process.pid}.db`)
  afterAll(() => { for (const f of [file, file + '-journal']) fs.rmSync(f, { force: true }) })

  it('becomes LockTimeout (an OperationalError) once the busy timeout passes', async () => {
    const holder = createAsyncEngine(`sqlite+sqlite3:///${file}`)
    const waiter = createAsyncEngine(`sqlite+sqlite3:///${file}?timeout=100`)
    try {
      await holder.begin((conn) => conn.execute(text('CREATE TABLE sqx_err_busy (n INTEGER)')))
      await using conn = await holder.connect()
      await conn.execute(text('INSERT INTO sqx_err_busy (n) VALUES (1)'))   // holds the write lock
      const start = performance.now()
      const err = await failure(waiter.begin((c) => c.execute(text('INSERT INTO sqx_err_busy (n) VALUES (:n)'), { n: 2 })))
      const waited = performance.now() - start
      expect(isLockTimeout(err) && isOperationalError(err)).toBe(true)
      expect(err.code).toBe('SQLITE_BUSY')
      expect(err.sql).toBe('INSERT INTO sqx_err_busy (n) VALUES (?)')
      expect(err.parameters).toEqual([2])
      expect(waited).toBeGreaterThanOrEqual(90)
      expect(waited).toBeLessThan(3000)
      await conn.commit()
      await waiter.begin((c) => c.execute(text('INSERT INTO sqx_err_busy (n) VALUES (2)')))
      expect((await waiter.connect((c) => c.execute(text('SELECT count(*) FROM sqx_err_busy')))).scalar()).toBe(2)
    } finally { await holder.dispose(); await waiter.dispose() }
  })
})
