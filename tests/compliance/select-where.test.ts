import { and, not, or, select } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'
import { selectTables } from './support/select-data.js'

// Ported from SQLAlchemy's testing/suite/test_select.py: WHERE operators, ordering, limit/offset, distinct.
describe.each(BACKENDS)('select: where, order, limit on $name', ({ name }) => {
  const { metadata, users, seed, u, U } = selectTables('cmp_selw')
  const b = useBackend(name, metadata, seed)
  const base = select(users.c.id).orderBy(users.c.id)

  it('selects every column of a table', async () => {
    const r = await b.check(select(users).orderBy(users.c.id), `SELECT ${u('id')}, ${u('name')}, ${u('age')}, ${u('manager_id')} FROM ${U} ORDER BY ${u('id')}`, [])
    expect(plain(r)[0]).toEqual([1, 'Jane', 30, null])
    expect(r.keys()).toEqual(['id', 'name', 'age', 'manager_id'])
  })

  it('eq binds the value', async () => {
    const r = await b.check(select(users.c.name).where(users.c.id.eq(2)), `SELECT ${u('name')} FROM ${U} WHERE ${u('id')} = ?`, [2])
    expect(r.scalars().all()).toEqual(['Bob'])
  })

  it('ne, lt, le, gt, ge', async () => {
    expect((await b.rows(base.where(users.c.age.ne(30)))).flat()).toEqual([2, 4])
    expect((await b.rows(base.where(users.c.age.lt(30)))).flat()).toEqual([2])
    expect((await b.rows(base.where(users.c.age.le(30)))).flat()).toEqual([1, 2])
    expect((await b.rows(base.where(users.c.age.gt(30)))).flat()).toEqual([4])
    await b.check(base.where(users.c.age.ge(30)), `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} >= ? ORDER BY ${u('id')}`, [30])
  })

  it('and / or nest with parentheses', async () => {
    const stmt = base.where(or(and(users.c.age.gt(20), users.c.age.lt(30)), users.c.name.eq('Carl')))
    const r = await b.check(stmt, `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} > ? AND ${u('age')} < ? OR ${u('name')} = ? ORDER BY ${u('id')}`, [20, 30, 'Carl'])
    expect(r.scalars().all()).toEqual([2, 4])
  })

  it('several where() calls are ANDed', async () => {
    const r = await b.check(base.where(users.c.age.gt(20)).where(users.c.age.lt(35)), `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} > ? AND ${u('age')} < ? ORDER BY ${u('id')}`, [20, 35])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('not() negates a group', async () => {
    const r = await b.check(base.where(not(users.c.id.in([1, 2]))), `SELECT ${u('id')} FROM ${U} WHERE NOT (${u('id')} IN (?, ?)) ORDER BY ${u('id')}`, [1, 2])
    expect(r.scalars().all()).toEqual([3, 4])
  })

  it('in() with a list', async () => {
    const r = await b.check(base.where(users.c.name.in(['Bob', 'Carl'])), `SELECT ${u('id')} FROM ${U} WHERE ${u('name')} IN (?, ?) ORDER BY ${u('id')}`, ['Bob', 'Carl'])
    expect(r.scalars().all()).toEqual([2, 4])
  })

  it('in() with an empty list matches nothing, notIn() with one matches everything', async () => {
    const none = await b.check(base.where(users.c.id.in([])), `SELECT ${u('id')} FROM ${U} WHERE 1 <> 1 ORDER BY ${u('id')}`, [])
    expect(none.all()).toEqual([])
    const all = await b.check(base.where(users.c.id.notIn([])), `SELECT ${u('id')} FROM ${U} WHERE 1 = 1 ORDER BY ${u('id')}`, [])
    expect(all.scalars().all()).toEqual([1, 2, 3, 4])
  })

  it('two empty in() lists in one statement', async () => {
    expect(await b.rows(base.where(or(users.c.id.in([]), users.c.name.in([]))))).toEqual([])
  })

  it('notIn() with values', async () => {
    const r = await b.check(base.where(users.c.id.notIn([1, 3])), `SELECT ${u('id')} FROM ${U} WHERE ${u('id')} NOT IN (?, ?) ORDER BY ${u('id')}`, [1, 3])
    expect(r.scalars().all()).toEqual([2, 4])
  })

  it('between', async () => {
    const r = await b.check(base.where(users.c.age.between(25, 30)), `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} BETWEEN ? AND ? ORDER BY ${u('id')}`, [25, 30])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('like is case-sensitive where the backend is (binary collation on MariaDB)', async () => {
    const r = await b.check(base.where(users.c.name.like('%a%')), `SELECT ${u('id')} FROM ${U} WHERE ${u('name')} LIKE ? ORDER BY ${u('id')}`, ['%a%'])
    // SQLite's LIKE ignores ASCII case; PostgreSQL and MariaDB (utf8mb4_bin) do not
    expect(r.scalars().all()).toEqual([1, 3, 4])
    expect((await b.rows(base.where(users.c.name.like('A%')))).flat()).toEqual(name === 'sqlite' ? [3] : [])
  })

  it('notLike', async () => {
    expect((await b.rows(base.where(users.c.name.notLike('%a%')))).flat()).toEqual([2])
  })

  it('ilike is case-insensitive everywhere', async () => {
    const r = await b.check(base.where(users.c.name.ilike('A%')), {
      postgresql: `SELECT ${u('id')} FROM ${U} WHERE ${u('name')} ILIKE ? ORDER BY ${u('id')}`,
      mariadb: `SELECT ${u('id')} FROM ${U} WHERE LOWER(${u('name')}) LIKE LOWER(?) ORDER BY ${u('id')}`,
      sqlite: `SELECT ${u('id')} FROM ${U} WHERE ${u('name')} LIKE ? ORDER BY ${u('id')}`,
    }, ['A%'])
    expect(r.scalars().all()).toEqual([3])
  })

  it('isNull / isNotNull and eq(null)', async () => {
    const r = await b.check(base.where(users.c.age.isNull()), `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} IS NULL ORDER BY ${u('id')}`, [])
    expect(r.scalars().all()).toEqual([3])
    expect((await b.rows(base.where(users.c.age.isNotNull()))).flat()).toEqual([1, 2, 4])
    expect((await b.rows(base.where(users.c.managerId.eq(null))))).toEqual([[1]])
    expect((await b.rows(base.where(users.c.managerId.ne(null)))).flat()).toEqual([2, 3, 4])
  })

  it('comparing with undefined is an ArgumentError', () => {
    expect(() => users.c.id.eq(undefined as unknown as number)).toThrow(/undefined/)
  })

  it('order by desc', async () => {
    const r = await b.check(select(users.c.id).orderBy(users.c.id.desc()), `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} DESC`, [])
    expect(r.scalars().all()).toEqual([4, 3, 2, 1])
  })

  it('order by several keys', async () => {
    const r = await b.check(select(users.c.id).orderBy(users.c.managerId.asc(), users.c.id.desc()), `SELECT ${u('id')} FROM ${U} ORDER BY ${u('manager_id')} ASC, ${u('id')} DESC`, [])
    // NULL sorts first ascending on MariaDB and SQLite, last on PostgreSQL
    expect(r.scalars().all()).toEqual(name === 'postgresql' ? [3, 2, 4, 1] : [1, 3, 2, 4])
  })

  it('nulls first / nulls last give the same order on every backend', async () => {
    const first = await b.check(select(users.c.id).orderBy(users.c.age.asc().nullsFirst()), {
      postgresql: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('age')} ASC NULLS FIRST`,
      mariadb: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('age')} IS NULL DESC, ${u('age')} ASC`,
      sqlite: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('age')} ASC NULLS FIRST`,
    }, [])
    expect(first.scalars().all()).toEqual([3, 2, 1, 4])
    const last = await b.rows(select(users.c.id).orderBy(users.c.age.desc().nullsLast()))
    expect(last.flat()).toEqual([4, 1, 2, 3])
    expect((await b.rows(select(users.c.id).orderBy(users.c.age.asc().nullsLast()))).flat()).toEqual([2, 1, 4, 3])
  })

  it('order by a label, ascending and descending', async () => {
    const lbl = users.c.age.add(1).label('next_age')
    const r = await b.check(select(users.c.id, lbl).where(users.c.age.isNotNull()).orderBy(lbl.desc()),
      `SELECT ${u('id')}, ${u('age')} + ? AS "next_age" FROM ${U} WHERE ${u('age')} IS NOT NULL ORDER BY "next_age" DESC`, [1])
    expect(plain(r)).toEqual([[4, 41], [1, 31], [2, 26]])
    expect(r.first()!.next_age).toBe(41)
    expect((await b.rows(select(users.c.id, lbl).where(users.c.age.isNotNull()).orderBy(lbl))).map((x) => x[0])).toEqual([2, 1, 4])
  })

  it('limit is bound, never literal', async () => {
    const r = await b.check(base.limit(2), `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} LIMIT ?`, [2])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('offset alone', async () => {
    const r = await b.check(base.offset(2), {
      postgresql: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} OFFSET ?`,
      mariadb: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} LIMIT 18446744073709551615 OFFSET ?`,
      sqlite: `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} LIMIT -1 OFFSET ?`,
    }, [2])
    expect(r.scalars().all()).toEqual([3, 4])
  })

  it('limit and offset', async () => {
    const r = await b.check(base.limit(2).offset(1), `SELECT ${u('id')} FROM ${U} ORDER BY ${u('id')} LIMIT ? OFFSET ?`, [2, 1])
    expect(r.scalars().all()).toEqual([2, 3])
  })

  it('offset zero and limit zero', async () => {
    expect((await b.rows(base.limit(10).offset(0))).flat()).toEqual([1, 2, 3, 4])
    expect(await b.rows(base.limit(0))).toEqual([])
  })

  it('limit(null) removes the limit; a negative limit is refused', async () => {
    expect((await b.rows(base.limit(1).limit(null))).flat()).toEqual([1, 2, 3, 4])
    expect(() => base.limit(-1)).toThrow(/non-negative/)
  })

  it('distinct', async () => {
    const r = await b.check(select(users.c.managerId).distinct().where(users.c.managerId.isNotNull()).orderBy(users.c.managerId),
      `SELECT DISTINCT ${u('manager_id')} FROM ${U} WHERE ${u('manager_id')} IS NOT NULL ORDER BY ${u('manager_id')}`, [])
    expect(r.scalars().all()).toEqual([1, 2])
  })

  it('arithmetic on the right side is bound and needs no parentheses', async () => {
    const stmt = base.where(users.c.age.gt(users.c.id.mul(10)))
    const r = await b.check(stmt, `SELECT ${u('id')} FROM ${U} WHERE ${u('age')} > ${u('id')} * ? ORDER BY ${u('id')}`, [10])
    expect(r.scalars().all()).toEqual([1, 2])
  })
})
