import { Integer, MetaData, Text, column, deleteFrom, insert, select, table, text, update } from '@retort/core'
import { MysqlDialect, parseServerVersion } from '@retort/mysql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mariadb } from './mysql-support.js'

const metadata = new MetaData()
const items = table('myx_srv_items', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
}, { metadata })

describe('MariaDB server detection and capabilities', () => {
  const engine = mariadb()
  const noReturning = mariadb({ dialect: new MysqlDialect({ name: 'mariadb', supportsReturning: false }) })

  beforeAll(() => engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }))
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await Promise.all([engine.dispose(), noReturning.dispose()])
  })

  it('tells MariaDB from MySQL by VERSION() and sets RETURNING from it', () => {
    expect(parseServerVersion('10.11.6-MariaDB-0+deb12u1')).toMatchObject({ isMariaDB: true, versionInfo: [10, 11, 6], hasReturning: true })
    expect(parseServerVersion('5.5.5-10.4.32-MariaDB')).toMatchObject({ isMariaDB: true, versionInfo: [10, 4, 32], hasReturning: false })
    expect(parseServerVersion('10.5.0-MariaDB')).toMatchObject({ hasReturning: true, hasIntersectExcept: true })
    expect(parseServerVersion('8.0.36')).toMatchObject({ isMariaDB: false, hasReturning: false, hasIntersectExcept: true })
    expect(parseServerVersion('8.0.30')).toMatchObject({ hasIntersectExcept: false })
  })

  it('on this MariaDB: INSERT and DELETE ... RETURNING, never UPDATE ... RETURNING', async () => {
    await engine.begin(async (c) => {
      const d = engine.dialect as MysqlDialect
      expect(d.isMariaDB).toBe(true)
      expect(d.serverVersion).toMatch(/MariaDB/)
      expect(d.supportsReturning).toBe(true)
      expect(d.supportsUpdateReturning).toBe(false)
      const ins = insert(items).values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]).returning(items.c.id, items.c.name)
      expect(engine.compile(ins).template.sql).toBe('INSERT INTO `myx_srv_items` (`id`, `name`) VALUES (?, ?), (?, ?) RETURNING `myx_srv_items`.`id`, `myx_srv_items`.`name`')
      expect((await c.execute(ins)).all().map((r) => [...r])).toEqual([[1, 'a'], [2, 'b']])
      const del = await c.execute(deleteFrom(items).where(items.c.id.eq(2)).returning(items.c.name))
      expect(del.scalars().all()).toEqual(['b'])
      await c.execute(deleteFrom(items))
    })
  })

  it('with RETURNING off (MySQL 8\'s path), ids come from insertId: consecutive for one multi-row INSERT', async () => {
    await noReturning.begin(async (c) => {
      const d = noReturning.dialect as MysqlDialect
      expect(d.supportsReturning).toBe(false)
      const lockMode = Number((await c.execute(text('SELECT @@innodb_autoinc_lock_mode'))).scalar())
      expect(d.consecutiveInsertIds).toBe(lockMode !== 2)
      expect(d.insertIdStep).toBe(Number((await c.execute(text('SELECT @@auto_increment_increment'))).scalar()))
      const one = await c.execute(insert(items).values({ name: 'x' }))
      expect(typeof one.lastInsertId).toBe('number')
      const many = await c.execute(insert(items).values([{ name: 'p' }, { name: 'q' }, { name: 'r' }]))
      expect(many.rowCount).toBe(3)
      const first = Number(many.lastInsertId) // the FIRST id of the multi-row insert
      const rows = (await c.execute(select(items.c.id, items.c.name).where(items.c.id.ge(first)).orderBy(items.c.id))).all()
      expect(rows.map((r) => [r[0], r[1]])).toEqual(['p', 'q', 'r'].map((n, i) => [first + i * d.insertIdStep, n]))
      await c.execute(deleteFrom(items))
    })
  })

  it('a bound 0 in an AUTO_INCREMENT key is stored as 0, as on the other backends (NO_AUTO_VALUE_ON_ZERO)', async () => {
    await engine.begin(async (c) => {
      await c.execute(insert(items).values({ id: 0, name: 'zero' }))
      expect((await c.execute(select(items.c.id).where(items.c.name.eq('zero')))).scalar()).toBe(0)
      await c.execute(deleteFrom(items))
    })
  })

  it('rowCount counts matched rows, also when the UPDATE changes nothing (CLIENT_FOUND_ROWS)', async () => {
    await engine.begin(async (c) => {
      await c.execute(insert(items).values([{ id: 10, name: 'same' }, { id: 11, name: 'same' }, { id: 12, name: 'other' }]))
      const r = await c.execute(update(items).values({ name: 'same' }).where(items.c.name.eq('same')))
      expect(r.rowCount).toBe(2)
      const mixed = await c.execute(update(items).values({ name: 'same' }).where(items.c.id.in([10, 11, 12])))
      expect(mixed.rowCount).toBe(3)
      expect((await c.execute(deleteFrom(items).where(items.c.id.in([10, 11, 12, 99])))).rowCount).toBe(3)
    })
  })
})
