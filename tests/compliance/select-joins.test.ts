import { and, exists, func, not, select } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'
import { selectTables } from './support/select-data.js'

// Ported from SQLAlchemy's test_select.py (JoinTest, SameNamedSchemaTableTest, subqueries) and test_results.py.
describe.each(BACKENDS)('select: joins and subqueries on $name', ({ name }) => {
  const { metadata, users, orders, seed, u, o, U, O } = selectTables('cmp_selj')
  const b = useBackend(name, metadata, seed)

  it('inner join with an ON clause', async () => {
    const stmt = select(users.c.name, orders.c.total).join(orders, orders.c.userId.eq(users.c.id)).orderBy(orders.c.id)
    const r = await b.check(stmt, `SELECT ${u('name')}, ${o('total')} FROM ${U} JOIN ${O} ON ${o('user_id')} = ${u('id')} ORDER BY ${o('id')}`, [])
    expect(plain(r)).toEqual([['Jane', 100], ['Jane', 200], ['Bob', 300], ['Carl', 50]])
  })

  it('inner join with an always-true and an always-false condition', async () => {
    const t = await b.rows(select(users.c.id, orders.c.id).join(orders, users.c.id.eq(users.c.id)).where(users.c.id.eq(1)).orderBy(orders.c.id))
    expect(t).toHaveLength(4)
    const f = await b.rows(select(users.c.id).join(orders, users.c.id.ne(users.c.id)))
    expect(f).toEqual([])
  })

  it('left outer join keeps rows without a match', async () => {
    const stmt = select(users.c.name, orders.c.total).outerJoin(orders, orders.c.userId.eq(users.c.id)).orderBy(users.c.id, orders.c.id)
    const r = await b.check(stmt, `SELECT ${u('name')}, ${o('total')} FROM ${U} LEFT OUTER JOIN ${O} ON ${o('user_id')} = ${u('id')} ORDER BY ${u('id')}, ${o('id')}`, [])
    expect(plain(r)).toEqual([['Jane', 100], ['Jane', 200], ['Bob', 300], ['alice', null], ['Carl', 50]])
  })

  it('outer join with a false condition gives NULLs', async () => {
    const r = await b.rows(select(users.c.id, orders.c.id).outerJoin(orders, users.c.id.ne(users.c.id)).orderBy(users.c.id))
    expect(r).toEqual([[1, null], [2, null], [3, null], [4, null]])
  })

  it('join chain through an alias (self-join), ON with several conditions', async () => {
    const manager = users.alias('mgr')
    const stmt = select(users.c.name, manager.c.name.label('manager'), orders.c.total)
      .join(manager, users.c.managerId.eq(manager.c.id))
      .join(orders, and(orders.c.userId.eq(manager.c.id), orders.c.total.gt(150)))
      .orderBy(users.c.id)
    const r = await b.check(stmt,
      `SELECT ${u('name')}, "mgr"."name" AS "manager", ${o('total')} FROM ${U} JOIN ${U} AS "mgr" ON ${u('manager_id')} = "mgr"."id" ` +
      `JOIN ${O} ON ${o('user_id')} = "mgr"."id" AND ${o('total')} > ? ORDER BY ${u('id')}`, [150])
    expect(plain(r)).toEqual([['Bob', 'Jane', 200], ['alice', 'Jane', 200], ['Carl', 'Bob', 300]])
    expect(r.first()!.manager).toBe('Jane')
  })

  it('self-join with duplicate column names gets _1 labels', async () => {
    const mgr = users.alias('m2')
    const r = await b.check(select(users.c.name, mgr.c.name).join(mgr, users.c.managerId.eq(mgr.c.id)).where(users.c.id.eq(4)),
      `SELECT ${u('name')}, "m2"."name" AS "name_1" FROM ${U} JOIN ${U} AS "m2" ON ${u('manager_id')} = "m2"."id" WHERE ${u('id')} = ?`, [4])
    expect(r.keys()).toEqual(['name', 'name_1'])
    const row = r.one()
    expect([row.name, row.name_1]).toEqual(['Carl', 'Bob'])
  })

  it('an anonymous alias is named anon_1', async () => {
    const a = users.alias()
    const r = await b.check(select(a.c.id).where(a.c.id.eq(2)), `SELECT "anon_1"."id" FROM ${U} AS "anon_1" WHERE "anon_1"."id" = ?`, [2])
    expect(r.scalar()).toBe(2)
  })

  it('group by with having and aggregates', async () => {
    const total = func.sum(orders.c.total).label('total')
    const stmt = select(orders.c.userId, func.count().label('n'), total).groupBy(orders.c.userId).having(func.count().gt(1)).orderBy(orders.c.userId)
    const r = await b.check(stmt,
      `SELECT ${o('user_id')}, COUNT(*) AS "n", SUM(${o('total')}) AS "total" FROM ${O} GROUP BY ${o('user_id')} HAVING COUNT(*) > ? ORDER BY ${o('user_id')}`, [1])
    expect(plain(r)).toEqual([[1, 2, 300]])
    expect(typeof r.first()!.n).toBe('number')
  })

  it('group by a joined column, order by the aggregate label', async () => {
    const spent = func.sum(orders.c.total).label('spent')
    const stmt = select(users.c.name, spent).join(orders, orders.c.userId.eq(users.c.id)).groupBy(users.c.name).orderBy(spent.desc(), users.c.name)
    const r = await b.check(stmt,
      `SELECT ${u('name')}, SUM(${o('total')}) AS "spent" FROM ${U} JOIN ${O} ON ${o('user_id')} = ${u('id')} GROUP BY ${u('name')} ORDER BY "spent" DESC, ${u('name')}`, [])
    expect(plain(r)).toEqual([['Bob', 300], ['Jane', 300], ['Carl', 50]])
  })

  it('subquery in FROM', async () => {
    const sub = select(orders.c.userId, func.sum(orders.c.total).label('spent')).groupBy(orders.c.userId).subquery('spending')
    const stmt = select(users.c.name, sub.c.spent).join(sub, sub.c.user_id.eq(users.c.id)).where(sub.c.spent.gt(100)).orderBy(users.c.id)
    const r = await b.check(stmt,
      `SELECT ${u('name')}, "spending"."spent" FROM ${U} JOIN (SELECT ${o('user_id')}, SUM(${o('total')}) AS "spent" FROM ${O} GROUP BY ${o('user_id')}) AS "spending" ` +
      `ON "spending"."user_id" = ${u('id')} WHERE "spending"."spent" > ? ORDER BY ${u('id')}`, [100])
    expect(plain(r)).toEqual([['Jane', 300], ['Bob', 300]])
  })

  it('an anonymous subquery selected from directly', async () => {
    const sub = select(users.c.id, users.c.age).where(users.c.age.isNotNull()).subquery()
    const r = await b.check(select(func.max(sub.c.age)), `SELECT MAX("anon_1"."age") AS "max" FROM (SELECT ${u('id')}, ${u('age')} FROM ${U} WHERE ${u('age')} IS NOT NULL) AS "anon_1"`, [])
    expect(r.scalar()).toBe(40)
  })

  it('scalar subquery in the select list, correlated automatically', async () => {
    const count = select(func.count()).where(orders.c.userId.eq(users.c.id)).scalarSubquery().label('n_orders')
    const r = await b.check(select(users.c.name, count).orderBy(users.c.id),
      `SELECT ${u('name')}, (SELECT COUNT(*) FROM ${O} WHERE ${o('user_id')} = ${u('id')}) AS "n_orders" FROM ${U} ORDER BY ${u('id')}`, [])
    expect(plain(r)).toEqual([['Jane', 2], ['Bob', 1], ['alice', 0], ['Carl', 1]])
  })

  it('scalar subquery compared in WHERE', async () => {
    const avg = select(func.max(orders.c.total)).scalarSubquery()
    const r = await b.check(select(orders.c.id).where(orders.c.total.eq(avg)),
      `SELECT ${o('id')} FROM ${O} WHERE ${o('total')} = (SELECT MAX(${o('total')}) FROM ${O})`, [])
    expect(r.scalars().all()).toEqual([3])
  })

  it('correlated subquery against the same table stays uncorrelated when nothing else is left', async () => {
    const maxAge = select(func.max(users.c.age)).scalarSubquery()
    const r = await b.rows(select(users.c.name).where(users.c.age.eq(maxAge)))
    expect(r).toEqual([['Carl']])
  })

  it('correlate(false) keeps every table in the subquery FROM', async () => {
    const inner = select(func.count()).where(orders.c.userId.eq(users.c.id)).correlate(false).scalarSubquery()
    const r = await b.check(select(users.c.id).where(users.c.id.eq(1)).where(inner.gt(0)),
      `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? AND (SELECT COUNT(*) FROM ${O}, ${U} WHERE ${o('user_id')} = ${u('id')}) > ?`, [1, 0])
    expect(r.scalars().all()).toEqual([1])
  })

  it('exists, correlated', async () => {
    const stmt = select(users.c.id).where(exists(select(orders.c.id).where(orders.c.userId.eq(users.c.id)))).orderBy(users.c.id)
    const r = await b.check(stmt, `SELECT ${u('id')} FROM ${U} WHERE EXISTS (SELECT ${o('id')} FROM ${O} WHERE ${o('user_id')} = ${u('id')}) ORDER BY ${u('id')}`, [])
    expect(r.scalars().all()).toEqual([1, 2, 4])
  })

  it('not exists via select.exists()', async () => {
    const big = select(orders.c.id).where(orders.c.userId.eq(users.c.id), orders.c.total.gt(150)).exists()
    const r = await b.check(select(users.c.id).where(not(big)).orderBy(users.c.id),
      `SELECT ${u('id')} FROM ${U} WHERE NOT (EXISTS (SELECT ${o('id')} FROM ${O} WHERE ${o('user_id')} = ${u('id')} AND ${o('total')} > ?)) ORDER BY ${u('id')}`, [150])
    expect(r.scalars().all()).toEqual([3, 4])
  })

  it('in() a subquery', async () => {
    const stmt = select(users.c.name).where(users.c.id.in(select(orders.c.userId).where(orders.c.total.ge(200)))).orderBy(users.c.id)
    const r = await b.check(stmt, `SELECT ${u('name')} FROM ${U} WHERE ${u('id')} IN (SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ?) ORDER BY ${u('id')}`, [200])
    expect(r.scalars().all()).toEqual(['Jane', 'Bob'])
  })

  it('notIn() a subquery', async () => {
    const r = await b.rows(select(users.c.name).where(users.c.id.notIn(select(orders.c.userId))).orderBy(users.c.id))
    expect(r).toEqual([['alice']])
  })

  it('select from several tables (implicit cross join filtered by WHERE)', async () => {
    const r = await b.check(select(users.c.name, orders.c.total).where(orders.c.userId.eq(users.c.id), orders.c.total.lt(100)),
      `SELECT ${u('name')}, ${o('total')} FROM ${U}, ${O} WHERE ${o('user_id')} = ${u('id')} AND ${o('total')} < ?`, [100])
    expect(plain(r)).toEqual([['Carl', 50]])
  })

  it('selectFrom() names a FROM the columns do not imply', async () => {
    const r = await b.check(select(func.count()).selectFrom(orders), `SELECT COUNT(*) AS "count" FROM ${O}`, [])
    expect(r.scalar()).toBe(4)
  })

  it('count distinct', async () => {
    const r = await b.check(select(func.countDistinct(orders.c.userId)), `SELECT COUNT(DISTINCT ${o('user_id')}) AS "count" FROM ${O}`, [])
    expect(r.scalar()).toBe(3)
  })

  it('a select without FROM', async () => {
    const r = await b.check(select(func.coalesce(null as unknown as number, 7).label('v')), {
      postgresql: 'SELECT COALESCE(?, ?) AS "v"', mariadb: 'SELECT COALESCE(?, ?) AS "v"', sqlite: 'SELECT COALESCE(?, ?) AS "v"',
    }, [null, 7])
    expect(Number(r.scalar())).toBe(7)
  })

  it('for update with nowait / skip locked / of (none on SQLite)', async () => {
    const stmt = select(users.c.id).where(users.c.id.eq(1)).withForUpdate({ nowait: true })
    const r = await b.check(stmt, {
      postgresql: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? FOR UPDATE NOWAIT`,
      mariadb: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? FOR UPDATE NOWAIT`,
      sqlite: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ?`,
    }, [1])
    expect(r.scalar()).toBe(1)
    const skip = select(users.c.id, orders.c.id).join(orders, orders.c.userId.eq(users.c.id)).where(users.c.id.eq(2)).withForUpdate({ skipLocked: true, of: [users] })
    const s = await b.check(skip, {
      postgresql: `SELECT ${u('id')}, ${o('id')} AS "id_1" FROM ${U} JOIN ${O} ON ${o('user_id')} = ${u('id')} WHERE ${u('id')} = ? FOR UPDATE OF ${U} SKIP LOCKED`,
      mariadb: `SELECT ${u('id')}, ${o('id')} AS "id_1" FROM ${U} JOIN ${O} ON ${o('user_id')} = ${u('id')} WHERE ${u('id')} = ? FOR UPDATE SKIP LOCKED`,
      sqlite: `SELECT ${u('id')}, ${o('id')} AS "id_1" FROM ${U} JOIN ${O} ON ${o('user_id')} = ${u('id')} WHERE ${u('id')} = ?`,
    }, [2])
    expect(plain(s)).toEqual([[2, 3]])
  })

  it('a shared lock (FOR SHARE / LOCK IN SHARE MODE)', async () => {
    const r = await b.check(select(users.c.id).where(users.c.id.eq(3)).withForUpdate({ read: true }), {
      postgresql: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? FOR SHARE`,
      mariadb: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? LOCK IN SHARE MODE`,
      sqlite: `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ?`,
    }, [3])
    expect(r.scalar()).toBe(3)
  })

  it('a row lock really blocks a second transaction (NOWAIT fails)', async () => {
    if (name === 'sqlite') {
      // one writer at a time: SQLite locks the database, not rows; the clause is simply absent
      expect(b.engine.compile(select(users.c.id).withForUpdate()).template.sql).not.toMatch(/FOR UPDATE/)
      return
    }
    const locker = await b.engine.connect()
    const other = await b.engine.connect()
    try {
      await locker.execute(select(users.c.id).where(users.c.id.eq(4)).withForUpdate())
      await expect(other.execute(select(users.c.id).where(users.c.id.eq(4)).withForUpdate({ nowait: true }))).rejects.toThrow()
      await other.rollback()
      const skipped = await other.execute(select(users.c.id).where(users.c.id.ge(3)).orderBy(users.c.id).withForUpdate({ skipLocked: true }))
      expect(skipped.scalars().all()).toEqual([3])
    } finally {
      await other.close()
      await locker.close()
    }
  })

  it('arithmetic in a select list', async () => {
    const r = await b.check(select(orders.c.id, orders.c.total.mul(2).add(1).label('x')).where(orders.c.id.eq(4)),
      `SELECT ${o('id')}, ${o('total')} * ? + ? AS "x" FROM ${O} WHERE ${o('id')} = ?`, [2, 1, 4])
    expect(plain(r)).toEqual([[4, 101]])
  })
})
