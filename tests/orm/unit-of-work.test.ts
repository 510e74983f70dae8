import {
  Integer, MetaData, Model, Text, belongsTo, column, hasMany, isStaleDataError, manyToMany, select, sessionmaker, table, update,
} from '@retort/core'
import { type AsyncSession, deleteFrom } from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios ported from SQLAlchemy's test/orm/test_unitofworkv2.py (statement order asserted exactly).
const metadata = new MetaData()

class User extends Model<User>('orm_uow_users', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor name!: string | null
  @hasMany(() => Address, { backPopulates: 'user' }) accessor addresses!: Address[]
}
class Address extends Model<Address>('orm_uow_addresses', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_uow_users.id', name: 'user_id' }) accessor userId!: number | null
  @column(Text) accessor email!: string | null
  @belongsTo(() => User, { backPopulates: 'addresses' }) accessor user!: User | null
}
class Node extends Model<Node>('orm_uow_nodes', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_uow_nodes.id', name: 'parent_id' }) accessor parentId!: number | null
  @column(Text) accessor data!: string | null
  @hasMany(() => Node, { backPopulates: 'parent', cascade: 'all' }) accessor children!: Node[]
  @belongsTo(() => Node, { backPopulates: 'children' }) accessor parent!: Node | null
}
const itemKeywords = table('orm_uow_item_keywords', {
  itemId: column(Integer, { foreignKey: 'orm_uow_items.id', name: 'item_id', nullable: false }),
  keywordId: column(Integer, { foreignKey: 'orm_uow_keywords.id', name: 'keyword_id', nullable: false }),
}, { metadata })
class Item extends Model<Item>('orm_uow_items', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor description!: string | null
  @manyToMany(() => Keyword, { secondary: itemKeywords, backPopulates: 'items' }) accessor keywords!: Keyword[]
}
class Keyword extends Model<Keyword>('orm_uow_keywords', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor name!: string | null
  @manyToMany(() => Item, { secondary: itemKeywords, backPopulates: 'keywords' }) accessor items!: Item[]
}
class Versioned extends Model<Versioned>('orm_uow_versioned', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor value!: string | null
  @column(Integer, { versionCounter: true, nullable: false }) accessor version!: number
}
class Defaults extends Model<Defaults>('orm_uow_defaults', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor data!: string | null
  @column(Integer, { serverDefault: 5 }) accessor foo!: number | null
  @column(Text, { serverDefault: "'hi'" }) accessor bar!: string | null
}

describe.each(BACKENDS)('unit of work on $name', ({ name }) => {
  const engine = makeEngine(name)
  const factory = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const Session = (): AsyncSession => { const s = factory(); open.push(s); return s }
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })
  const rec = recordStatements(engine)
  let returning = true
  /** ` RETURNING <cols>` where the backend has it. */
  const ret = (cols: string): string => (returning ? ` RETURNING ${cols}` : '')

  beforeAll(async () => {
    await resetSchema(engine, metadata)
    returning = engine.dialect!.supportsReturning
  })
  afterAll(() => dropSchema(engine, metadata))
  beforeEach(async () => {
    await engine.begin(async (conn) => {
      for (const t of ['orm_uow_item_keywords', 'orm_uow_items', 'orm_uow_keywords', 'orm_uow_addresses', 'orm_uow_users', 'orm_uow_versioned', 'orm_uow_defaults']) {
        await conn.execute(deleteFrom(metadata.tables.get(t)!))
      }
      await conn.execute(update(Node.table).values({ parentId: null }))
      await conn.execute(deleteFrom(Node.table))
    })
    rec.clear()
  })

  it('one-to-many save: parent INSERT, then one multi-row INSERT of children (test_one_to_many_save)', async () => {
    const s = Session()
    const a1 = new Address({ email: 'a1' })
    const a2 = new Address({ email: 'a2' })
    const u1 = new User({ name: 'u1', addresses: [a1, a2] })
    s.add(u1)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      `INSERT INTO orm_uow_users (name) VALUES (?)${ret('orm_uow_users.id')}`,
      `INSERT INTO orm_uow_addresses (user_id, email) VALUES (?, ?), (?, ?)${ret('orm_uow_addresses.id')}`,
    ])
    expect(a1.userId).toBe(u1.id)
    expect(a2.userId).toBe(u1.id)
    expect(a2.id).toBeGreaterThan(a1.id)
    await s.rollback()
  })

  it('one-to-many delete all: children first, each table one IN-list DELETE (test_one_to_many_delete_all)', async () => {
    const s = Session()
    const a1 = new Address({ email: 'a1' })
    const a2 = new Address({ email: 'a2' })
    const u1 = new User({ name: 'u1', addresses: [a1, a2] })
    s.add(u1)
    await s.flush()
    await s.delete(u1); await s.delete(a1); await s.delete(a2)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      'DELETE FROM orm_uow_addresses WHERE orm_uow_addresses.id IN (?, ?)',
      'DELETE FROM orm_uow_users WHERE orm_uow_users.id IN (?)',
    ])
    await s.rollback()
  })

  it('one-to-many delete parent: children nulled in one UPDATE, then DELETE (test_one_to_many_delete_parent)', async () => {
    const s = Session()
    const a1 = new Address({ email: 'a1' })
    const a2 = new Address({ email: 'a2' })
    const u1 = new User({ name: 'u1', addresses: [a1, a2] })
    s.add(u1)
    await s.flush()
    await s.delete(u1)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      'UPDATE orm_uow_addresses SET user_id = ? WHERE orm_uow_addresses.id IN (?, ?)',
      'DELETE FROM orm_uow_users WHERE orm_uow_users.id IN (?)',
    ])
    expect(a1.userId).toBeNull()
    await s.rollback()
  })

  it('many-to-one save and delete target (test_many_to_one_save, test_many_to_one_delete_target)', async () => {
    const s = Session()
    const u1 = new User({ name: 'u1' })
    const a1 = new Address({ email: 'a1', user: u1 })
    const a2 = new Address({ email: 'a2', user: u1 })
    s.addAll([a1, a2])
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      `INSERT INTO orm_uow_users (name) VALUES (?)${ret('orm_uow_users.id')}`,
      `INSERT INTO orm_uow_addresses (user_id, email) VALUES (?, ?), (?, ?)${ret('orm_uow_addresses.id')}`,
    ])
    await s.delete(u1)
    a1.user = null
    a2.user = null
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      'UPDATE orm_uow_addresses SET user_id = ? WHERE orm_uow_addresses.id IN (?, ?)',
      'DELETE FROM orm_uow_users WHERE orm_uow_users.id IN (?)',
    ])
    await s.rollback()
  })

  it('many-to-one delete all: dependents first (test_many_to_one_delete_all)', async () => {
    const s = Session()
    const u1 = new User({ name: 'u1' })
    const a1 = new Address({ email: 'a1', user: u1 })
    const a2 = new Address({ email: 'a2', user: u1 })
    s.addAll([a1, a2])
    await s.flush()
    await s.delete(u1); await s.delete(a1); await s.delete(a2)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      'DELETE FROM orm_uow_addresses WHERE orm_uow_addresses.id IN (?, ?)',
      'DELETE FROM orm_uow_users WHERE orm_uow_users.id IN (?)',
    ])
    await s.rollback()
  })

  it('setting a many-to-one to null writes NULL (test_set_none_replaces_m2o); a column set to null too (test_update_against_none)', async () => {
    const s = Session()
    const a = new Address({ email: 'a', user: new User({ name: 'u' }) })
    s.add(a)
    await s.flush()
    a.user = null
    a.email = null
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual(['UPDATE orm_uow_addresses SET user_id = ?, email = ? WHERE orm_uow_addresses.id = ?'])
    expect(rec.params[rec.sql.findIndex((q) => q.startsWith('UPDATE'))]!.slice(0, 2)).toEqual([null, null])
    await s.rollback()
  })

  it('self-referential tree inserted in one flush, level by level (test_natural_selfref)', async () => {
    const s = Session()
    const root = new Node({ data: 'root' })
    const c1 = new Node({ data: 'c1' })
    const c2 = new Node({ data: 'c2' })
    const g1 = new Node({ data: 'g1' })
    root.children.push(c1, c2)
    c1.children.push(g1)
    s.add(g1) // cascades along parent links: the whole tree
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      `INSERT INTO orm_uow_nodes (data) VALUES (?)${ret('orm_uow_nodes.id')}`,
      `INSERT INTO orm_uow_nodes (parent_id, data) VALUES (?, ?), (?, ?)${ret('orm_uow_nodes.id')}`,
      `INSERT INTO orm_uow_nodes (parent_id, data) VALUES (?, ?)${ret('orm_uow_nodes.id')}`,
    ])
    expect(g1.parentId).toBe(c1.id)
    expect(c2.parentId).toBe(root.id)
    await s.commit()
    // delete the head: cascade 'all' deletes the subtree, leaves first (test_delete_head)
    await s.delete(root)
    rec.clear()
    await s.commit()
    // rows nobody points at first (g1 and c2), then c1, then the root
    expect(rec.dml()).toEqual([
      'DELETE FROM orm_uow_nodes WHERE orm_uow_nodes.id IN (?, ?)',
      'DELETE FROM orm_uow_nodes WHERE orm_uow_nodes.id IN (?)',
      'DELETE FROM orm_uow_nodes WHERE orm_uow_nodes.id IN (?)',
    ])
  })

  it('many-to-many: both sides inserted, then the association rows in one INSERT (test_many_to_many)', async () => {
    const s = Session()
    const k1 = new Keyword({ name: 'k1' })
    const k2 = new Keyword({ name: 'k2' })
    const i1 = new Item({ description: 'i1', keywords: [k1, k2] })
    s.add(i1)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      `INSERT INTO orm_uow_items (description) VALUES (?)${ret('orm_uow_items.id')}`,
      `INSERT INTO orm_uow_keywords (name) VALUES (?), (?)${ret('orm_uow_keywords.id')}`,
      'INSERT INTO orm_uow_item_keywords (item_id, keyword_id) VALUES (?, ?), (?, ?)',
    ])
    expect(k1.items).toEqual([i1])
    i1.keywords.splice(0, 1)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual(['DELETE FROM orm_uow_item_keywords WHERE orm_uow_item_keywords.item_id = ? AND orm_uow_item_keywords.keyword_id = ?'])
    await s.commit()
    const n = await engine.connect(async (c) => (await c.execute(select(itemKeywords.c.keywordId))).scalars().all())
    expect(n).toEqual([k2.id])
    await s.delete(i1)
    rec.clear()
    await s.commit()
    expect(rec.dml()).toEqual([
      'DELETE FROM orm_uow_item_keywords WHERE orm_uow_item_keywords.item_id IN (?)',
      'DELETE FROM orm_uow_items WHERE orm_uow_items.id IN (?)',
    ])
  })

  it('updates of the same columns go into one statement; no UPDATE when nothing changed (test_no_update_no_change)', async () => {
    const s = Session()
    const users = [1, 2, 3].map((i) => new User({ name: `u${i}` }))
    s.addAll(users)
    await s.flush()
    users[0].name = 'x1'
    users[1].name = 'x2'
    users[2].name = 'u3' // same value: no change
    rec.clear()
    await s.flush()
    // Core's batched UPDATE: FROM (VALUES ...) where the dialect has it (PostgreSQL casts each value), else CASE pk WHEN
    expect(rec.dml()).toEqual([
      engine.dialect!.supportsUpdateFromValues
        ? name === 'postgresql'
          ? 'UPDATE orm_uow_users SET name = v.name FROM (VALUES (?::INTEGER, ?::TEXT), (?::INTEGER, ?::TEXT)) AS v(id, name) WHERE orm_uow_users.id = v.id'
          : 'UPDATE orm_uow_users SET name = v.column2 FROM (VALUES (?, ?), (?, ?)) AS v WHERE orm_uow_users.id = v.column1'
        : 'UPDATE orm_uow_users SET name = CASE id WHEN ? THEN ? WHEN ? THEN ? END WHERE id IN (?, ?)',
    ])
    expect(rec.params.filter((_p, i) => rec.sql[i].startsWith('UPDATE'))).toHaveLength(1)
    await s.commit()
    const names = await engine.connect(async (c) => (await c.execute(select(User.c.name).orderBy(User.c.id))).scalars().all())
    expect(names).toEqual(['x1', 'x2', 'u3'])
  })

  it('a missing row makes an UPDATE stale (test_update_single_missing)', async () => {
    const s = Session()
    const u = new User({ name: 'gone' })
    s.add(u)
    await s.commit()
    await engine.begin((c) => c.execute(update(User).values({ name: 'moved' }).where(User.c.id.eq(u.id))))
    await engine.begin(async (c) => { await c.execute(deleteFrom(User).where(User.c.id.eq(u.id))) })
    u.name = 'changed'
    const err = await s.flush().catch((e) => e)
    expect(isStaleDataError(err)).toBe(true)
    await s.rollback()
  })

  it('version counter: starts at 1, goes up per UPDATE, a stale UPDATE throws StaleDataError', async () => {
    const a = Session()
    const v = new Versioned({ value: 'a' })
    a.add(v)
    await a.commit()
    expect(v.version).toBe(1)
    v.value = 'b'
    await a.commit()
    expect(v.version).toBe(2)
    const b = Session()
    const other = (await b.get(Versioned, v.id))!
    other.value = 'from b'
    await b.commit()
    v.value = 'from a'
    const err = await a.commit().catch((e) => e)
    expect(isStaleDataError(err)).toBe(true)
    expect(String(err.message)).toMatch(/expected to update 1 row/)
    await a.rollback()
    await b.close()
  })

  it('version counter in a batched UPDATE: each row matched on its old version; one stale row fails the batch', async () => {
    const a = Session()
    const vs = ['a', 'b', 'c'].map((value) => new Versioned({ value }))
    a.addAll(vs)
    await a.commit()
    vs.forEach((v, i) => { v.value = `n${i}` })
    rec.clear()
    await a.commit()
    expect(rec.dml().filter((q) => q.startsWith('UPDATE'))).toHaveLength(1)
    expect(vs.map((v) => v.version)).toEqual([2, 2, 2])
    const b = Session()
    const other = (await b.get(Versioned, vs[1].id))!
    other.value = 'from b'
    await b.commit()
    vs.forEach((v, i) => { v.value = `m${i}` })
    const err = await a.commit().catch((e) => e)
    expect(isStaleDataError(err)).toBe(true)
    expect(String(err.message)).toMatch(/expected to update 3 row\(s\); 2 were matched/)
    await a.rollback()
    const rows = await engine.connect(async (c) => (await c.execute(select(Versioned.c.value, Versioned.c.version).where(Versioned.c.id.in(vs.map((v) => v.id))).orderBy(Versioned.c.id))).all())
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['n0', 2], ['from b', 3], ['n2', 2]])
    await b.close()
  })

  it('server defaults come back after INSERT (test_server_insert_defaults_nonpresent)', async () => {
    const s = Session()
    const d1 = new Defaults({ data: 'd1' })
    const d2 = new Defaults({ data: 'd2', foo: 7 })
    s.addAll([d1, d2])
    await s.flush()
    expect(d1.foo).toBe(5)
    expect(d1.bar).toBe('hi')
    expect(d2.foo).toBe(7)
    expect(d2.bar).toBe('hi')
    await s.rollback()
  })

  it('flush size: unchanged objects cause no statements (test_m2o_flush_size / test_o2m_flush_size)', async () => {
    const s = Session()
    const u = new User({ name: 'u', addresses: [new Address({ email: 'a' })] })
    s.add(u)
    await s.flush()
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([])
    u.addresses.push(new Address({ email: 'b' }))
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([`INSERT INTO orm_uow_addresses (user_id, email) VALUES (?, ?)${ret('orm_uow_addresses.id')}`])
    await s.rollback()
  })

  it('moving a child between parents writes one UPDATE of its foreign key (test_bidirectional_mutations_one)', async () => {
    const s = Session()
    const a = new Address({ email: 'a' })
    const u1 = new User({ name: 'u1', addresses: [a] })
    const u2 = new User({ name: 'u2' })
    s.addAll([u1, u2])
    await s.flush()
    u2.addresses.push(a)
    expect(u1.addresses).toEqual([])
    expect(a.user).toBe(u2)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual(['UPDATE orm_uow_addresses SET user_id = ? WHERE orm_uow_addresses.id = ?'])
    expect(a.userId).toBe(u2.id)
    await s.rollback()
  })
})
