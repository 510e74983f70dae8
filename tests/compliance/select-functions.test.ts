import { Float, Integer, Text, Varchar, case_, cast, func, literal, select } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'
import { selectTables } from './support/select-data.js'

// Functions, window functions, CASE, CAST, arithmetic and concatenation (SQLAlchemy test_select.py / test_types.py StringTest).
describe.each(BACKENDS)('select: functions and expressions on $name', ({ name }) => {
  const { metadata, users, orders, seed, u, o, U, O } = selectTables('cmp_self')
  const b = useBackend(name, metadata, seed)

  it('row_number() over (partition by ... order by ...)', async () => {
    const rn = func.rowNumber().over({ partitionBy: orders.c.userId, orderBy: orders.c.total.desc() }).label('rn')
    const r = await b.check(select(orders.c.id, rn).orderBy(orders.c.id),
      `SELECT ${o('id')}, ROW_NUMBER() OVER (PARTITION BY ${o('user_id')} ORDER BY ${o('total')} DESC) AS "rn" FROM ${O} ORDER BY ${o('id')}`, [])
    expect(plain(r)).toEqual([[1, 2], [2, 1], [3, 1], [4, 1]])
    expect(typeof r.first()!.rn).toBe('number')
  })

  it('rank() and dense_rank() over an order', async () => {
    const spent = select(users.c.id, func.coalesce(func.sum(orders.c.total), 0).label('s')).outerJoin(orders, orders.c.userId.eq(users.c.id)).groupBy(users.c.id).subquery('sp')
    const rk = func.rank().over({ orderBy: spent.c.s.desc() }).label('rk')
    const dr = func.denseRank().over({ orderBy: spent.c.s.desc() }).label('dr')
    const r = await b.rows(select(spent.c.id, rk, dr).orderBy(spent.c.id))
    expect(r).toEqual([[1, 1, 1], [2, 1, 1], [3, 4, 3], [4, 3, 2]])
  })

  it('a window aggregate: running sum', async () => {
    const running = func.sum(orders.c.total).over({ orderBy: orders.c.id }).label('running')
    const r = await b.rows(select(orders.c.id, running).orderBy(orders.c.id))
    expect(r.map((x) => Number(x[1]))).toEqual([100, 300, 600, 650])
  })

  it('case with else', async () => {
    const size = case_([[orders.c.total.ge(200), 'big'], [orders.c.total.ge(100), 'medium']], 'small').label('size')
    const plainCase = `SELECT ${o('id')}, CASE WHEN ${o('total')} >= ? THEN ? WHEN ${o('total')} >= ? THEN ? ELSE ? END AS "size" FROM ${O} ORDER BY ${o('id')}`
    // PostgreSQL would type bare CASE results as text whatever they are: they are cast to their own type
    const r = await b.check(select(orders.c.id, size).orderBy(orders.c.id), {
      postgresql: `SELECT ${o('id')}, CASE WHEN ${o('total')} >= ? THEN CAST(? AS TEXT) WHEN ${o('total')} >= ? THEN CAST(? AS TEXT) ELSE CAST(? AS TEXT) END AS "size" FROM ${O} ORDER BY ${o('id')}`,
      mariadb: plainCase, sqlite: plainCase,
    }, [200, 'big', 100, 'medium', 'small'])
    expect(r.scalars(1).all()).toEqual(['medium', 'big', 'big', 'small'])
  })

  it('case without else gives NULL', async () => {
    const r = await b.rows(select(case_([[users.c.age.gt(35), users.c.name]]).label('old')).orderBy(users.c.id))
    expect(r.flat()).toEqual([null, null, null, 'Carl'])
  })

  it('case inside an aggregate (portable FILTER)', async () => {
    const bigCount = func.sum(case_([[orders.c.total.gt(100), 1]], 0)).label('big')
    const r = await b.rows(select(bigCount))
    expect(Number(r[0][0])).toBe(2)
  })

  it('cast to integer and to text', async () => {
    const r = await b.check(select(cast(users.c.age, Text).label('t'), cast(literal('42'), Integer).label('i')).where(users.c.id.eq(1)), {
      postgresql: `SELECT CAST(${u('age')} AS TEXT) AS "t", CAST(? AS INTEGER) AS "i" FROM ${U} WHERE ${u('id')} = ?`,
      mariadb: `SELECT CAST(${u('age')} AS CHAR) AS "t", CAST(? AS SIGNED) AS "i" FROM ${U} WHERE ${u('id')} = ?`,
      sqlite: `SELECT CAST(${u('age')} AS TEXT) AS "t", CAST(? AS INTEGER) AS "i" FROM ${U} WHERE ${u('id')} = ?`,
    }, ['42', 1])
    expect(plain(r)).toEqual([['30', 42]])
  })

  it('cast to float and varchar', async () => {
    const r = await b.rows(select(cast(users.c.age, Float).div(4).label('q'), cast(users.c.name, Varchar(10))).where(users.c.id.eq(2)))
    expect(r).toEqual([[6.25, 'Bob']])
  })

  it('lower / upper / coalesce', async () => {
    const r = await b.check(select(func.lower(users.c.name), func.upper(users.c.name).label('up'), func.coalesce(users.c.age, -1).label('age')).where(users.c.id.eq(3)),
      `SELECT LOWER(${u('name')}) AS "lower", UPPER(${u('name')}) AS "up", COALESCE(${u('age')}, ?) AS "age" FROM ${U} WHERE ${u('id')} = ?`, [-1, 3])
    expect(plain(r)).toEqual([['alice', 'ALICE', -1]])
    expect(r.first()!.lower).toBe('alice')
  })

  it('string concatenation with a bound value', async () => {
    const r = await b.check(select(users.c.name.concat('!').label('shout')).where(users.c.id.eq(2)), {
      postgresql: `SELECT ${u('name')} || ? AS "shout" FROM ${U} WHERE ${u('id')} = ?`,
      mariadb: `SELECT CONCAT(${u('name')}, ?) AS "shout" FROM ${U} WHERE ${u('id')} = ?`,
      sqlite: `SELECT ${u('name')} || ? AS "shout" FROM ${U} WHERE ${u('id')} = ?`,
    }, ['!', 2])
    expect(r.scalar()).toBe('Bob!')
  })

  it('concatenation of columns, chained', async () => {
    const r = await b.rows(select(users.c.name.concat('-').concat(users.c.name)).where(users.c.id.eq(1)))
    expect(r).toEqual([['Jane-Jane']])
  })

  it('arithmetic: + - * / and precedence', async () => {
    const e = orders.c.total.sub(orders.c.id.mul(10)).div(2).label('e')
    const r = await b.check(select(e).where(orders.c.id.eq(3)), `SELECT (${o('total')} - ${o('id')} * ?) / ? AS "e" FROM ${O} WHERE ${o('id')} = ?`, [10, 2, 3])
    expect(Number(r.scalar())).toBe(135)
    const sub = orders.c.total.sub(orders.c.id.sub(1)).label('s')
    expect(b.engine.compile(select(sub)).template.sql).toContain('- (')
    expect(Number((await b.rows(select(sub).where(orders.c.id.eq(3))))[0][0])).toBe(298)
  })

  it('count() and aggregates read as numbers', async () => {
    const r = await b.rows(select(func.count(), func.count(users.c.age), func.max(users.c.age), func.min(users.c.age)))
    expect(r).toEqual([[4, 3, 40, 25]])
    expect(typeof (await b.run(select(func.count()).selectFrom(orders))).scalar()).toBe('number')
  })

  it('avg reads as a number', async () => {
    const avg = (await b.run(select(func.avg(orders.c.total)))).scalar()
    expect(avg).toBeCloseTo(162.5)
  })

  it('an arbitrary function by name', async () => {
    const r = await b.check(select(func.abs(literal(-5, Integer)).label('a')), {
      postgresql: 'SELECT ABS(?) AS "a"', mariadb: 'SELECT ABS(?) AS "a"', sqlite: 'SELECT ABS(?) AS "a"',
    }, [-5])
    expect(Number(r.scalar())).toBe(5)
  })

  it('a bound literal in the select list keeps its type', async () => {
    const r = await b.check(select(literal(7).label('seven'), literal('x').label('ex')), {
      postgresql: 'SELECT CAST(? AS INTEGER) AS "seven", CAST(? AS TEXT) AS "ex"',
      mariadb: 'SELECT ? AS "seven", ? AS "ex"',
      sqlite: 'SELECT ? AS "seven", ? AS "ex"',
    }, [7, 'x'])
    expect(plain(r)).toEqual([[7, 'x']])
  })
})
