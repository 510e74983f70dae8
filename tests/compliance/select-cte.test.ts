import { Integer, MetaData, Text, column, deleteFrom, func, insert, literal, select, table } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'

// Ported from SQLAlchemy's testing/suite/test_cte.py.
describe.each(BACKENDS)('CTEs on $name', ({ name }) => {
  const metadata = new MetaData()
  const some = table('cmp_cte_some', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    data: column(Text),
    parentId: column(Integer, { name: 'parent_id' }),
  }, { metadata })
  const other = table('cmp_cte_other', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    data: column(Text),
    parentId: column(Integer, { name: 'parent_id' }),
  }, { metadata })
  const b = useBackend(name, metadata, async (x) => {
    await x.run(insert(some).values([
      { id: 1, data: 'd1', parentId: null }, { id: 2, data: 'd2', parentId: 1 }, { id: 3, data: 'd3', parentId: 1 },
      { id: 4, data: 'd4', parentId: 3 }, { id: 5, data: 'd5', parentId: 3 },
    ]))
  })
  const S = '"cmp_cte_some"'
  const s = (c: string) => `${S}."${c}"`

  it('non-recursive CTE round trip', async () => {
    const cte = select(some).where(some.c.data.in(['d2', 'd3', 'd4'])).cte('some_cte')
    const r = await b.check(select(cte.c.data).where(cte.c.data.in(['d4', 'd5'])),
      `WITH "some_cte" AS (SELECT ${s('id')}, ${s('data')}, ${s('parent_id')} FROM ${S} WHERE ${s('data')} IN (?, ?, ?)) SELECT "some_cte"."data" FROM "some_cte" WHERE "some_cte"."data" IN (?, ?)`,
      ['d2', 'd3', 'd4', 'd4', 'd5'])
    expect(plain(r)).toEqual([['d4']])
  })

  it('recursive CTE walks a tree', async () => {
    const tree = select(some.c.id, some.c.data, some.c.parentId).where(some.c.id.eq(3)).cte('tree', { recursive: true })
    tree.unionAll((t) => select(some.c.id, some.c.data, some.c.parentId).join(t, some.c.parentId.eq(t.c.id)))
    const r = await b.check(select(tree.c.data).orderBy(tree.c.data),
      `WITH RECURSIVE "tree" ("id", "data", "parent_id") AS (SELECT ${s('id')}, ${s('data')}, ${s('parent_id')} FROM ${S} WHERE ${s('id')} = ? ` +
      `UNION ALL SELECT ${s('id')}, ${s('data')}, ${s('parent_id')} FROM ${S} JOIN "tree" ON ${s('parent_id')} = "tree"."id") SELECT "tree"."data" FROM "tree" ORDER BY "tree"."data"`, [3])
    expect(r.scalars().all()).toEqual(['d3', 'd4', 'd5'])
  })

  it('recursive CTE counting with a bound step', async () => {
    const n = select(literal(1, Integer).label('n')).cte('counter', { recursive: true })
    n.unionAll((c) => select(c.c.n.add(1)).where(c.c.n.lt(5)))
    const r = await b.rows(select(func.sum(n.c.n)))
    expect(Number(r[0][0])).toBe(15)
  })

  it('two CTEs, the second using the first', async () => {
    const a = select(some.c.id, some.c.parentId).where(some.c.parentId.isNotNull()).cte('a')
    const c = select(a.c.parent_id, func.count().label('kids')).groupBy(a.c.parent_id).cte('c')
    // a CTE is defined after the CTEs it uses, whatever order they were met in
    const r = await b.check(select(c.c.parent_id, c.c.kids).orderBy(c.c.parent_id),
      `WITH "a" AS (SELECT ${s('id')}, ${s('parent_id')} FROM ${S} WHERE ${s('parent_id')} IS NOT NULL), "c" AS (SELECT "a"."parent_id", COUNT(*) AS "kids" FROM "a" GROUP BY "a"."parent_id") ` +
      `SELECT "c"."parent_id", "c"."kids" FROM "c" ORDER BY "c"."parent_id"`, [])
    expect(plain(r)).toEqual([[1, 2], [3, 2]])
  })

  it('a CTE used in a subquery is defined at the top', async () => {
    const parents = select(some.c.parentId).where(some.c.parentId.isNotNull()).cte('parents')
    const r = await b.check(select(some.c.id).where(some.c.id.in(select(parents.c.parent_id))).orderBy(some.c.id),
      `WITH "parents" AS (SELECT ${s('parent_id')} FROM ${S} WHERE ${s('parent_id')} IS NOT NULL) SELECT ${s('id')} FROM ${S} WHERE ${s('id')} IN (SELECT "parents"."parent_id" FROM "parents") ORDER BY ${s('id')}`, [])
    expect(r.scalars().all()).toEqual([1, 3])
  })

  it('insert from a select that uses a CTE', async () => {
    const cte = select(some).where(some.c.data.in(['d2', 'd3', 'd4'])).cte('some_cte')
    const stmt = insert(other).fromSelect(['id', 'data', 'parentId'], select(cte))
    const O = '"cmp_cte_other"'
    await b.check(stmt,
      `INSERT INTO ${O} ("id", "data", "parent_id") WITH "some_cte" AS (SELECT ${s('id')}, ${s('data')}, ${s('parent_id')} FROM ${S} WHERE ${s('data')} IN (?, ?, ?)) ` +
      `SELECT "some_cte"."id", "some_cte"."data", "some_cte"."parent_id" FROM "some_cte"`, ['d2', 'd3', 'd4'])
    expect(await b.rows(select(other.c.id, other.c.data).orderBy(other.c.id))).toEqual([[2, 'd2'], [3, 'd3'], [4, 'd4']])
    await b.run(deleteFrom(other))
  })

  it('a CTE joined to a table', async () => {
    const kids = select(some.c.parentId, func.count().label('n')).where(some.c.parentId.isNotNull()).groupBy(some.c.parentId).cte('kids')
    const r = await b.rows(select(some.c.data, kids.c.n).join(kids, kids.c.parent_id.eq(some.c.id)).orderBy(some.c.id))
    expect(r).toEqual([['d1', 2], ['d3', 2]])
  })
})
