import { ArgumentError, Integer, MetaData, Text, column, deleteFrom, exists, func, insert, select, table, text, update } from '@retort/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'

// Ported from SQLAlchemy's test_update_delete.py and test_rowcount.py: rowcount is matched rows everywhere.
describe.each(BACKENDS)('update, delete and rowcount on $name', ({ name }) => {
  const metadata = new MetaData()
  let stamp = 0
  const emp = table('cmp_upd_employees', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    name: column(Text, { nullable: false }),
    dept: column(Text, { nullable: false }),
    salary: column(Integer, { nullable: false }),
    touched: column(Integer, { onUpdateValue: () => ++stamp }),
  }, { metadata })
  const notes = table('cmp_upd_notes', {
    id: column(Integer, { primaryKey: true, autoincrement: false }),
    empId: column(Integer, { name: 'emp_id' }),
  }, { metadata })
  const b = useBackend(name, metadata)
  const E = '"cmp_upd_employees"'
  const e = (c: string) => `${E}."${c}"`
  beforeEach(async () => {
    stamp = 0
    await b.run(deleteFrom(notes))
    await b.run(deleteFrom(emp))
    await b.run(insert(emp).values([
      { id: 1, name: 'ann', dept: 'A', salary: 10 }, { id: 2, name: 'bob', dept: 'A', salary: 20 },
      { id: 3, name: 'cid', dept: 'B', salary: 30 }, { id: 4, name: 'dee', dept: 'C', salary: 40 },
    ]))
    await b.run(insert(notes).values([{ id: 1, empId: 3 }]))
  })

  it('update with where; onUpdateValue is set too', async () => {
    const r = await b.check(update(emp).values({ name: 'ann2' }).where(emp.c.id.eq(1)),
      `UPDATE ${E} SET "name" = ?, "touched" = ? WHERE ${e('id')} = ?`, ['ann2', 1, 1])
    expect(r.rowCount).toBe(1)
    expect(await b.rows(select(emp.c.name, emp.c.touched).where(emp.c.id.eq(1)))).toEqual([['ann2', 1]])
  })

  it('update with an expression of the old value', async () => {
    const r = await b.check(update(emp).values({ salary: emp.c.salary.mul(2) }).where(emp.c.dept.eq('A')),
      `UPDATE ${E} SET "salary" = ${e('salary')} * ?, "touched" = ? WHERE ${e('dept')} = ?`, [2, 1, 'A'])
    expect(r.rowCount).toBe(2)
    expect((await b.run(select(emp.c.salary).where(emp.c.dept.eq('A')).orderBy(emp.c.id))).scalars().all()).toEqual([20, 40])
  })

  it('rowcount counts matched rows, also when nothing changes (MySQL CLIENT_FOUND_ROWS)', async () => {
    const r = await b.run(update(emp).values({ dept: 'A' }).where(emp.c.dept.eq('A')))
    expect(r.rowCount).toBe(2)
  })

  it('rowcount 0 when nothing matches', async () => {
    expect((await b.run(update(emp).values({ name: 'x' }).where(emp.c.id.eq(99)))).rowCount).toBe(0)
    expect((await b.run(deleteFrom(emp).where(emp.c.id.eq(99)))).rowCount).toBe(0)
  })

  it('update every row', async () => {
    expect((await b.run(update(emp).values({ salary: 1 }))).rowCount).toBe(4)
  })

  it('a multi-row update counts every row it matched', async () => {
    const r = await b.run(update(emp).values({ salary: emp.c.salary.add(1) }).where(emp.c.id.in([1, 2, 3])))
    expect(r.rowCount).toBe(3)
  })

  it('update with a correlated subquery in WHERE', async () => {
    const hasNote = exists(select(notes.c.id).where(notes.c.empId.eq(emp.c.id)))
    const r = await b.check(update(emp).values({ name: 'noted' }).where(hasNote),
      `UPDATE ${E} SET "name" = ?, "touched" = ? WHERE EXISTS (SELECT "cmp_upd_notes"."id" FROM "cmp_upd_notes" WHERE "cmp_upd_notes"."emp_id" = ${e('id')})`, ['noted', 1])
    expect(r.rowCount).toBe(1)
    expect(await b.rows(select(emp.c.id).where(emp.c.name.eq('noted')))).toEqual([[3]])
  })

  it('update returning (PostgreSQL, SQLite); MariaDB has none and says so', async () => {
    const stmt = update(emp).values({ salary: 99 }).where(emp.c.id.eq(4)).returning(emp.c.id, emp.c.salary)
    if (!b.engine.dialect!.supportsUpdateReturning) {
      expect(() => b.engine.compile(stmt)).toThrow(ArgumentError)
      return
    }
    const r = await b.check(stmt, `UPDATE ${E} SET "salary" = ?, "touched" = ? WHERE ${e('id')} = ? RETURNING ${e('id')}, ${e('salary')}`, [99, 1, 4])
    expect(plain(r)).toEqual([[4, 99]])
  })

  it('update without values is refused', () => {
    expect(() => b.engine.compile(update(emp).where(emp.c.id.eq(1)))).toThrow(/no values/)
  })

  it('delete with where', async () => {
    const r = await b.check(deleteFrom(emp).where(emp.c.dept.eq('A')), `DELETE FROM ${E} WHERE ${e('dept')} = ?`, ['A'])
    expect(r.rowCount).toBe(2)
    expect((await b.run(select(func.count()).selectFrom(emp))).scalar()).toBe(2)
  })

  it('delete returning (PostgreSQL, SQLite, MariaDB ≥ 10.5)', async () => {
    expect(b.engine.dialect!.supportsReturning).toBe(true)
    const r = await b.check(deleteFrom(emp).where(emp.c.salary.ge(30)).returning(emp.c.name),
      `DELETE FROM ${E} WHERE ${e('salary')} >= ? RETURNING ${e('name')}`, [30])
    expect(r.scalars().all().sort()).toEqual(['cid', 'dee'])
  })

  it('delete with an IN subquery', async () => {
    const r = await b.run(deleteFrom(notes).where(notes.c.empId.in(select(emp.c.id).where(emp.c.dept.eq('B')))))
    expect(r.rowCount).toBe(1)
  })

  it('delete everything, rowcount counts it', async () => {
    await b.run(deleteFrom(notes))
    expect((await b.run(deleteFrom(emp))).rowCount).toBe(4)
  })

  it('rowcount of a text() update', async () => {
    const r = await b.run(text(`UPDATE ${name === 'mariadb' ? '`cmp_upd_employees`' : '"cmp_upd_employees"'} SET salary = salary WHERE dept = :d`), { d: 'A' })
    expect(r.rowCount).toBe(2)
  })

  it('rowcount of a select is the number of rows', async () => {
    expect((await b.run(select(emp.c.id))).rowCount).toBe(4)
  })

  it('a failed update inside a transaction rolls back with it', async () => {
    await expect(b.engine.begin(async (conn) => {
      await conn.execute(update(emp).values({ salary: 0 }))
      throw new Error('stop')
    })).rejects.toThrow('stop')
    expect((await b.run(select(func.sum(emp.c.salary)))).scalar()).toBe(100)
  })

  it('executeMany of an update with named binds', async () => {
    const { bindparam } = await import('@retort/core')
    const stmt = update(emp).values({ salary: bindparam('s', Integer) }).where(emp.c.id.eq(bindparam('i', Integer)))
    const r = await b.engine.begin((conn) => conn.executeMany(stmt, [{ s: 1, i: 1 }, { s: 2, i: 2 }]))
    expect(r.rowCount).toBe(2)
    expect((await b.run(select(emp.c.salary).where(emp.c.id.le(2)).orderBy(emp.c.id))).scalars().all()).toEqual([1, 2])
  })
})
