import { Integer, MetaData, MultipleResultsFound, NoResultFound, Text, column, func, insert, select, table, text } from '@retort/core'
import { describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'

// Ported from SQLAlchemy's testing/suite/test_results.py (RowFetchTest) plus the Result API of the contract.
describe.each(BACKENDS)('results on $name', ({ name }) => {
  const metadata = new MetaData()
  const plainT = table('cmp_res_plain', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    data: column(Text),
  }, { metadata })
  const b = useBackend(name, metadata, async (x) => {
    await x.run(insert(plainT).values([{ id: 1, data: 'd1' }, { id: 2, data: 'd2' }, { id: 3, data: null }, { id: 4, data: 'd2' }]))
  })
  const all = select(plainT.c.id, plainT.c.data).orderBy(plainT.c.id)

  it('row by attribute, by index, and row[0] === row.name', async () => {
    const row = (await b.run(all)).first()!
    expect(row.id).toBe(1)
    expect(row[1]).toBe('d1')
    expect(row[0]).toBe(row.id)
    expect(row.data).toBe(row[1])
  })

  it('a row is an array of the selected values', async () => {
    const row = (await b.run(all)).first()!
    expect(Array.isArray(row)).toBe(true)
    expect([...row]).toEqual([1, 'd1'])
  })

  it('duplicate column names get _1 suffixes', async () => {
    const a = plainT.alias('a')
    const r = await b.run(select(plainT.c.id, a.c.id, plainT.c.data, a.c.data).join(a, a.c.id.eq(plainT.c.id)).where(plainT.c.id.eq(1)))
    expect(r.keys()).toEqual(['id', 'id_1', 'data', 'data_1'])
    const row = r.one()
    expect([row.id, row.id_1, row.data, row.data_1]).toEqual([1, 1, 'd1', 'd1'])
  })

  it('a row with a scalar select', async () => {
    const r = await b.run(select(plainT.c.id, select(func.count()).selectFrom(plainT).scalarSubquery().label('n')).where(plainT.c.id.eq(2)))
    expect(plain(r)).toEqual([[2, 4]])
    expect(r.first()!.n).toBe(4)
  })

  it('all() and iteration', async () => {
    const r = await b.run(all)
    expect(r.all()).toHaveLength(4)
    const ids: number[] = []
    for (const row of r) ids.push(row.id)
    expect(ids).toEqual([1, 2, 3, 4])
  })

  it('first(): a row, or undefined when there is none', async () => {
    expect((await b.run(all)).first()!.id).toBe(1)
    expect((await b.run(all.where(plainT.c.id.eq(9)))).first()).toBeUndefined()
  })

  it('one(): exactly one row, else NoResultFound / MultipleResultsFound', async () => {
    expect((await b.run(all.where(plainT.c.id.eq(2)))).one().data).toBe('d2')
    await expect(b.run(all.where(plainT.c.id.eq(9))).then((r) => r.one())).rejects.toThrow(NoResultFound)
    await expect(b.run(all).then((r) => r.one())).rejects.toThrow(MultipleResultsFound)
  })

  it('oneOrNone(): undefined for no row, throws for several', async () => {
    expect((await b.run(all.where(plainT.c.id.eq(9)))).oneOrNone()).toBeUndefined()
    expect((await b.run(all.where(plainT.c.id.eq(1)))).oneOrNone()!.id).toBe(1)
    await expect(b.run(all).then((r) => r.oneOrNone())).rejects.toThrow(MultipleResultsFound)
  })

  it('scalar(): first column of the first row, undefined for no row, null for NULL', async () => {
    expect((await b.run(select(plainT.c.data).where(plainT.c.id.eq(1)))).scalar()).toBe('d1')
    expect((await b.run(select(plainT.c.data).where(plainT.c.id.eq(9)))).scalar()).toBeUndefined()
    expect((await b.run(select(plainT.c.data).where(plainT.c.id.eq(3)))).scalar()).toBeNull()
  })

  it('scalarOne()', async () => {
    expect((await b.run(select(func.count()).selectFrom(plainT))).scalarOne()).toBe(4)
    await expect(b.run(select(plainT.c.id)).then((r) => r.scalarOne())).rejects.toThrow(MultipleResultsFound)
  })

  it('scalars(): one column, iterable, with all/first/one/unique', async () => {
    const s = (await b.run(select(plainT.c.data).orderBy(plainT.c.id))).scalars()
    expect(s.all()).toEqual(['d1', 'd2', null, 'd2'])
    expect([...s]).toEqual(['d1', 'd2', null, 'd2'])
    expect(s.first()).toBe('d1')
    expect(s.unique().all()).toEqual(['d1', 'd2', null])
    expect((await b.run(all)).scalars(1).all()).toEqual(['d1', 'd2', null, 'd2'])
  })

  it('mappings(): rows as objects', async () => {
    const m = (await b.run(all.limit(2))).mappings().all()
    expect(m).toEqual([{ id: 1, data: 'd1' }, { id: 2, data: 'd2' }])
  })

  it('unique() drops duplicate rows', async () => {
    const r = (await b.run(select(plainT.c.data).where(plainT.c.data.isNotNull()).orderBy(plainT.c.data))).unique()
    expect(plain(r)).toEqual([['d1'], ['d2']])
  })

  it('partitions(n)', async () => {
    const parts = [...(await b.run(all)).partitions(3)]
    expect(parts.map((p) => p.map((r) => r.id))).toEqual([[1, 2, 3], [4]])
  })

  it('keys() names the labels', async () => {
    const r = await b.run(select(plainT.c.id.label('ident'), func.count().label('n')).groupBy(plainT.c.id).limit(1))
    expect(r.keys()).toEqual(['ident', 'n'])
  })

  it('an empty result', async () => {
    const r = await b.run(all.where(plainT.c.id.lt(0)))
    expect(r.all()).toEqual([])
    expect(r.keys()).toEqual(['id', 'data'])
    expect(r.rowCount).toBe(0)
    expect([...r.partitions(2)]).toEqual([])
  })

  it('a buffered result outlives its connection', async () => {
    const r = await b.engine.connect((conn) => conn.execute(all))
    expect(r.all()).toHaveLength(4)
  })

  it('text() rows are named by the driver columns', async () => {
    const r = await b.run(text(`SELECT id, data FROM ${name === 'mariadb' ? '`cmp_res_plain`' : '"cmp_res_plain"'} WHERE id = :id`), { id: 1 })
    expect(r.keys().map((k) => k.toLowerCase())).toEqual(['id', 'data'])
    expect(r.first()!.data).toBe('d1')
  })

  it('stream() yields the same named rows', async () => {
    const rows = await b.engine.connect(async (conn) => {
      const out: unknown[] = []
      for await (const row of conn.stream(all)) out.push([row.id, row.data])
      return out
    })
    expect(rows).toEqual([[1, 'd1'], [2, 'd2'], [3, null], [4, 'd2']])
  })
})
