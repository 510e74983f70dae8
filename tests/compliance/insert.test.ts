import { ArgumentError, Integer, MetaData, Text, Varchar, column, deleteFrom, func, insert, isArgumentError, select, table } from '@retort/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'
import { plain, useBackend } from './support/fixture.js'

// Ported from SQLAlchemy's testing/suite/test_insert.py (LastrowidTest, InsertBehaviorTest, ReturningTest) plus upserts.
describe.each(BACKENDS)('insert on $name', ({ name }) => {
  const metadata = new MetaData()
  let counter = 0
  const items = table('cmp_ins_items', {
    id: column(Integer, { primaryKey: true }),
    name: column(Text, { nullable: false }),
    qty: column(Integer, { serverDefault: 5, nullable: false }),
    code: column(Varchar(20), { unique: true }),
    tag: column(Text, { default: 'plain' }),
    seq: column(Integer, { default: () => ++counter }),
  }, { metadata })
  const bare = table('cmp_ins_bare', {
    id: column(Integer, { primaryKey: true }),
    qty: column(Integer, { serverDefault: 7 }),
  }, { metadata })
  const kv = table('cmp_ins_kv', {
    key: column(Varchar(20), { primaryKey: true }),
    hits: column(Integer, { nullable: false }),
    note: column(Text),
  }, { metadata })
  const b = useBackend(name, metadata)
  const I = '"cmp_ins_items"'
  beforeEach(async () => {
    counter = 0
    await b.run(deleteFrom(items))
    await b.run(deleteFrom(kv))
  })

  it('single row: client defaults fill missing columns, the server default applies', async () => {
    const r = await b.check(insert(items).values({ name: 'a' }), `INSERT INTO ${I} ("name", "tag", "seq") VALUES (?, ?, ?)`, ['a', 'plain', 1])
    expect(r.rowCount).toBe(1)
    expect(await b.rows(select(items.c.name, items.c.qty, items.c.tag, items.c.seq))).toEqual([['a', 5, 'plain', 1]])
  })

  it('explicit values override client defaults; null is NULL', async () => {
    await b.check(insert(items).values({ name: 'b', tag: null, seq: 99, qty: 1 }), `INSERT INTO ${I} ("name", "tag", "seq", "qty") VALUES (?, ?, ?, ?)`, ['b', null, 99, 1])
    expect(await b.rows(select(items.c.tag, items.c.seq, items.c.qty))).toEqual([[null, 99, 1]])
  })

  it('multi-row VALUES, a function default called per row', async () => {
    const r = await b.check(insert(items).values([{ name: 'x' }, { name: 'y' }, { name: 'z' }]),
      `INSERT INTO ${I} ("name", "tag", "seq") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)`, ['x', 'plain', 1, 'y', 'plain', 2, 'z', 'plain', 3])
    expect(r.rowCount).toBe(3)
    expect(await b.rows(select(items.c.name, items.c.seq).orderBy(items.c.seq))).toEqual([['x', 1], ['y', 2], ['z', 3]])
  })

  it('autoincrement primary keys are generated in order', async () => {
    await b.run(insert(items).values([{ name: 'p' }, { name: 'q' }]))
    const ids = (await b.run(select(items.c.id).orderBy(items.c.id))).scalars().all()
    expect(ids[1]).toBe(ids[0] + 1)
  })

  it('last inserted id where the backend reports one', async () => {
    const r = await b.run(insert(items).values({ name: 'last' }))
    const id = (await b.run(select(items.c.id).where(items.c.name.eq('last')))).scalar()
    if (name === 'postgresql') expect(r.lastInsertId).toBeUndefined()
    else expect(Number(r.lastInsertId)).toBe(id)
  })

  it('returning the generated key and a server default', async () => {
    expect(b.engine.dialect!.supportsReturning).toBe(true)
    const r = await b.check(insert(items).values({ name: 'r' }).returning(items.c.id, items.c.qty),
      `INSERT INTO ${I} ("name", "tag", "seq") VALUES (?, ?, ?) RETURNING ${I}."id", ${I}."qty"`, ['r', 'plain', 1])
    const row = r.one()
    expect(typeof row.id).toBe('number')
    expect(row.qty).toBe(5)
  })

  it('returning every column of several rows', async () => {
    const r = await b.run(insert(items).values([{ name: 'm1', code: 'A' }, { name: 'm2', code: 'B' }]).returning(items))
    expect(r.keys()).toEqual(['id', 'name', 'qty', 'code', 'tag', 'seq'])
    expect(r.all().map((x) => x.code).sort()).toEqual(['A', 'B'])
  })

  it('insert with only defaults (DEFAULT VALUES)', async () => {
    const r = await b.check(insert(bare).values({}), {
      postgresql: 'INSERT INTO "cmp_ins_bare" DEFAULT VALUES',
      mariadb: 'INSERT INTO "cmp_ins_bare" () VALUES ()',
      sqlite: 'INSERT INTO "cmp_ins_bare" DEFAULT VALUES',
    }, [])
    expect(r.rowCount).toBe(1)
    expect((await b.run(select(bare.c.qty))).scalars().all()).toContain(7)
  })

  it('insert from select', async () => {
    await b.run(insert(items).values([{ name: 'src1', code: 'S1' }, { name: 'src2', code: 'S2' }]))
    const stmt = insert(kv).fromSelect(['key', 'hits'], select(items.c.code, items.c.seq).where(items.c.code.like('S%')))
    const r = await b.check(stmt, `INSERT INTO "cmp_ins_kv" ("key", "hits") SELECT ${I}."code", ${I}."seq" FROM ${I} WHERE ${I}."code" LIKE ?`, ['S%'])
    expect(r.rowCount).toBe(2)
    expect(await b.rows(select(kv.c.key, kv.c.hits).orderBy(kv.c.key))).toEqual([['S1', 1], ['S2', 2]])
  })

  it('insert from a select that finds no rows', async () => {
    const r = await b.run(insert(kv).fromSelect(['key', 'hits'], select(items.c.code, items.c.seq).where(items.c.id.lt(0))))
    expect(r.rowCount).toBe(0)
  })

  it('a unique violation is an IntegrityError', async () => {
    await b.run(insert(items).values({ name: 'u', code: 'DUP' }))
    await expect(b.run(insert(items).values({ name: 'v', code: 'DUP' }))).rejects.toMatchObject({ name: expect.stringMatching(/Unique|Integrity/) })
  })

  it('upsert: update on conflict, reading the excluded row', async () => {
    await b.run(insert(kv).values({ key: 'k', hits: 1, note: 'one' }))
    const ins = insert(kv).values({ key: 'k', hits: 10, note: 'ten' })
    const stmt = name === 'mariadb'
      ? ins.onDuplicateKeyUpdate({ set: { hits: kv.c.hits.add(ins.excluded.hits), note: ins.excluded.note } })
      : ins.onConflictDoUpdate({ target: kv.c.key, set: { hits: kv.c.hits.add(ins.excluded.hits), note: ins.excluded.note } })
    await b.check(stmt, {
      postgresql: 'INSERT INTO "cmp_ins_kv" ("key", "hits", "note") VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET "hits" = "cmp_ins_kv"."hits" + EXCLUDED."hits", "note" = EXCLUDED."note"',
      mariadb: 'INSERT INTO "cmp_ins_kv" ("key", "hits", "note") VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "hits" = "cmp_ins_kv"."hits" + VALUES("hits"), "note" = VALUES("note")',
      sqlite: 'INSERT INTO "cmp_ins_kv" ("key", "hits", "note") VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET "hits" = "cmp_ins_kv"."hits" + excluded."hits", "note" = excluded."note"',
    }, ['k', 10, 'ten'])
    expect(await b.rows(select(kv.c.hits, kv.c.note))).toEqual([[11, 'ten']])
  })

  it('upsert: a new key inserts', async () => {
    const ins = insert(kv).values({ key: 'fresh', hits: 3 })
    const stmt = name === 'mariadb' ? ins.onDuplicateKeyUpdate({ set: { hits: 0 } }) : ins.onConflictDoUpdate({ target: kv.c.key, set: { hits: 0 } })
    await b.run(stmt)
    expect(await b.rows(select(kv.c.hits).where(kv.c.key.eq('fresh')))).toEqual([[3]])
  })

  it('upsert with a WHERE on the update (pg, sqlite) / conditional value (mysql)', async () => {
    await b.run(insert(kv).values({ key: 'w', hits: 5 }))
    const ins = insert(kv).values({ key: 'w', hits: 1 })
    const stmt = name === 'mariadb'
      ? ins.onDuplicateKeyUpdate({ set: { hits: kv.c.hits } })
      : ins.onConflictDoUpdate({ target: kv.c.key, set: { hits: ins.excluded.hits }, where: kv.c.hits.lt(5) })
    await b.run(stmt)
    expect(await b.rows(select(kv.c.hits).where(kv.c.key.eq('w')))).toEqual([[5]])
  })

  it('insert or do nothing', async () => {
    await b.run(insert(kv).values({ key: 'n', hits: 1 }))
    const ins = insert(kv).values({ key: 'n', hits: 2 })
    if (name === 'mariadb') {
      expect(() => b.engine.compile(ins.onConflictDoNothing())).toThrow(/onDuplicateKeyUpdate/)
      await b.run(ins.onDuplicateKeyUpdate({ set: { key: kv.c.key } }))
    } else {
      const r = await b.check(ins.onConflictDoNothing({ target: kv.c.key }), 'INSERT INTO "cmp_ins_kv" ("key", "hits") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING', ['n', 2])
      expect(r.rowCount).toBe(0)
      await b.run(insert(kv).values({ key: 'n', hits: 3 }).onConflictDoNothing())
    }
    expect(await b.rows(select(kv.c.hits).where(kv.c.key.eq('n')))).toEqual([[1]])
  })

  it('onDuplicateKeyUpdate is refused on PostgreSQL and SQLite', () => {
    const stmt = insert(kv).values({ key: 'z', hits: 1 }).onDuplicateKeyUpdate({ set: { hits: 2 } })
    if (name === 'mariadb') expect(b.engine.compile(stmt).template.sql).toMatch(/ON DUPLICATE KEY UPDATE/)
    else expect(() => b.engine.compile(stmt)).toThrow(ArgumentError)
  })

  it('executeMany batches rows into multi-row inserts', async () => {
    const r = await b.engine.begin((conn) => conn.executeMany(insert(kv), [{ key: 'e1', hits: 1 }, { key: 'e2', hits: 2 }, { key: 'e3', hits: 3 }]))
    expect(r.rowCount).toBe(3)
    expect((await b.run(select(func.sum(kv.c.hits)))).scalar()).toBe(6)
  })

  it('rows with different keys, undefined values and unknown columns are ArgumentErrors', () => {
    expect(() => insert(kv).values([{ key: 'a', hits: 1 }, { key: 'b' }])).toThrow(/same keys/)
    expect(() => insert(kv).values({ key: 'a', hits: undefined })).toThrow(/undefined/)
    expect(() => insert(kv).values({ key: 'a', nope: 1 })).toThrow(/no column 'nope'/)
    try { insert(kv).values([]) } catch (e) { expect(isArgumentError(e)).toBe(true) }
  })

  it('a statement built once runs with different values', async () => {
    for (const k of ['r1', 'r2']) await b.run(insert(kv).values({ key: k, hits: 1 }))
    expect(plain(await b.run(select(func.count()).selectFrom(kv)))).toEqual([[2]])
  })
})
