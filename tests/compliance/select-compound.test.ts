import { select, union, unionAll } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'
import { selectTables } from './support/select-data.js'

// Ported from SQLAlchemy's test_select.py CompoundSelectTest (plus INTERSECT / EXCEPT where supported).
describe.each(BACKENDS)('select: union, intersect, except on $name', ({ name }) => {
  const { metadata, users, orders, seed, u, o, U, O } = selectTables('cmp_selc')
  const b = useBackend(name, metadata, seed)
  const young = select(users.c.id).where(users.c.age.lt(35))
  const buyers = select(orders.c.userId).where(orders.c.total.ge(100))

  it('union removes duplicates; order by names the result column', async () => {
    const stmt = young.union(buyers).orderBy(users.c.id)
    const r = await b.check(stmt, `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} < ? UNION SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ? ORDER BY "id"`, [35, 100])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('standalone union() and unionAll() compile like the methods', async () => {
    const viaFn = await b.check(union(young, buyers).orderBy(users.c.id),
      `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} < ? UNION SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ? ORDER BY "id"`, [35, 100])
    expect(viaFn.scalars().all()).toEqual([1, 2])
    const all = await b.rows(unionAll(young, buyers).orderBy(users.c.id))
    expect(all.flat()).toEqual([1, 1, 1, 2, 2])
  })

  it('union all keeps duplicates', async () => {
    const r = await b.check(young.unionAll(buyers).orderBy(users.c.id.desc()),
      `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} < ? UNION ALL SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ? ORDER BY "id" DESC`, [35, 100])
    expect(r.scalars().all()).toEqual([2, 2, 1, 1, 1])
  })

  it('union of three, with limit and offset bound', async () => {
    const stmt = select(users.c.id).where(users.c.id.eq(1)).union(select(users.c.id).where(users.c.id.eq(2)), select(users.c.id).where(users.c.id.eq(3)))
      .orderBy(users.c.id).limit(2).offset(1)
    const r = await b.check(stmt,
      `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? UNION SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? UNION SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? ORDER BY "id" LIMIT ? OFFSET ?`,
      [1, 2, 3, 2, 1])
    expect(r.scalars().all()).toEqual([2, 3])
  })

  it('members with their own order by / limit are wrapped (a subquery on SQLite)', async () => {
    const first = select(users.c.id).orderBy(users.c.id).limit(1)
    const last = select(users.c.id).orderBy(users.c.id.desc()).limit(1)
    const inner = (s: string) => (name === 'sqlite' ? `SELECT * FROM (${s})` : `(${s})`)
    const r = await b.check(first.unionAll(last).orderBy(users.c.id),
      inner(`SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} LIMIT ?`) + ' UNION ALL ' + inner(`SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} DESC LIMIT ?`) + ' ORDER BY "id"', [1, 1])
    expect(r.scalars().all()).toEqual([1, 4])
  })

  it('select from a union used as a subquery', async () => {
    const sub = young.union(buyers).subquery('u')
    const r = await b.check(select(sub.c.id).orderBy(sub.c.id.desc()),
      `SELECT "u"."id" FROM (SELECT ${u('id')} FROM ${U} WHERE ${u('age')} < ? UNION SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ?) AS "u" ORDER BY "u"."id" DESC`, [35, 100])
    expect(r.scalars().all()).toEqual([2, 1])
  })

  it('distinct members in a union', async () => {
    const r = await b.rows(select(orders.c.userId).distinct().union(select(users.c.id).where(users.c.id.eq(3))).orderBy(orders.c.userId))
    expect(r.flat()).toEqual([1, 2, 3, 4])
  })

  it('union with several columns and labels', async () => {
    const a = select(users.c.name.label('who'), users.c.age.label('n')).where(users.c.id.eq(1))
    const c = select(users.c.name, orders.c.total).join(orders, orders.c.userId.eq(users.c.id)).where(orders.c.id.eq(4))
    const r = await b.rows(a.unionAll(c).orderBy(a.columns[0]))
    expect(r).toEqual([['Carl', 50], ['Jane', 30]])
  })

  it('a union as a scalar IN source', async () => {
    const r = await b.rows(select(users.c.name).where(users.c.id.in(select(users.c.id).where(users.c.id.eq(1)).union(select(users.c.id).where(users.c.id.eq(4))))).orderBy(users.c.id))
    expect(r).toEqual([['Jane'], ['Carl']])
  })

  it('intersect', async () => {
    const r = await b.check(young.intersect(buyers).orderBy(users.c.id),
      `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} < ? INTERSECT SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ? ORDER BY "id"`, [35, 100])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('except', async () => {
    const r = await b.check(select(users.c.id).except(buyers).orderBy(users.c.id),
      `SELECT ${u('id')} FROM ${U} EXCEPT SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ? ORDER BY "id"`, [100])
    expect(r.scalars().all()).toEqual([3, 4])
  })

  it('mixed operators nest their members', async () => {
    const stmt = select(users.c.id).union(buyers).except(select(users.c.id).where(users.c.id.eq(1))).orderBy(users.c.id)
    const wrap = (s: string) => (name === 'sqlite' ? `SELECT * FROM (${s})` : `(${s})`)
    const r = await b.check(stmt, wrap(`SELECT ${u('id')} FROM ${U} UNION SELECT ${o('user_id')} FROM ${O} WHERE ${o('total')} >= ?`) +
      ` EXCEPT SELECT ${u('id')} FROM ${U} WHERE ${u('id')} = ? ORDER BY "id"`, [100, 1])
    expect(r.scalars().all()).toEqual([2, 3, 4])
  })

  it('capability flag supportsIntersectExcept is set from the server', async () => {
    await b.engine.connect(async () => undefined)
    expect(b.engine.dialect!.supportsIntersectExcept).toBe(true)
    expect(plain(await b.run(young.union(buyers).limit(1).orderBy(users.c.id)))).toEqual([[1]])
  })
})
