import {
  type AsyncSession, Integer, MetaData, Model, Text, belongsTo, column, deleteFrom, hasMany, isArgumentError, select, sessionmaker,
} from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios ported from SQLAlchemy's test/orm/test_cascade.py (O2MCascadeDeleteOrphanTest, CascadeArgTest, NoSaveCascadeFlushTest).
const metadata = new MetaData()

class User extends Model<User>('orm_casc_users', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor name!: string | null
  @hasMany(() => Order, { cascade: 'all, delete-orphan', backPopulates: 'user', orderBy: () => Order.c.id }) accessor orders!: Order[]
  @hasMany(() => Note, { cascade: 'merge', backPopulates: 'user' }) accessor notes!: Note[]
}
class Order extends Model<Order>('orm_casc_orders', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_casc_users.id', name: 'user_id' }) accessor userId!: number | null
  @column(Text) accessor description!: string | null
  @belongsTo(() => User, { backPopulates: 'orders', cascade: 'merge' }) accessor user!: User | null
}
class Note extends Model<Note>('orm_casc_notes', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_casc_users.id', name: 'user_id' }) accessor userId!: number | null
  @column(Text) accessor body!: string | null
  @belongsTo(() => User, { backPopulates: 'notes', cascade: 'merge' }) accessor user!: User | null
}

describe.each(BACKENDS)('cascades on $name', ({ name }) => {
  const engine = makeEngine(name)
  const factory = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const Session = (): AsyncSession => { const s = factory(); open.push(s); return s }
  const rec = recordStatements(engine)
  const descriptions = async (): Promise<unknown[]> => engine.connect(async (c) => (await c.execute(select(Order.c.description).orderBy(Order.c.id))).scalars().all())

  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })
  beforeEach(async () => {
    await engine.begin(async (c) => { for (const t of [Note, Order, User]) await c.execute(deleteFrom(t)) })
    rec.clear()
  })

  it('list assignment of new objects saves them (test_list_assignment_new)', async () => {
    const s = Session()
    const u = new User({ name: 'jack', orders: [new Order({ description: 'o1' }), new Order({ description: 'o2' })] })
    s.add(u)
    await s.commit()
    expect(await descriptions()).toEqual(['o1', 'o2'])
  })

  it('a child linked only through its many-to-one to a pending parent is inserted with it', async () => {
    const s = Session()
    const u = new User({ name: 'u' })
    s.add(u)
    const o = new Order({ description: 'by backref' })
    o.user = u // o is transient: only u's collection hears of it (no cascade event on u's side)
    await s.commit()
    expect(await descriptions()).toEqual(['by backref'])
    expect(o.userId).toBe(u.id)
  })

  it('a child put into a pending parent\'s collection without an event (index assignment) is still inserted', async () => {
    const s = Session()
    const u = new User({ name: 'u', orders: [new Order({ description: 'first' })] })
    s.add(u)
    const o = new Order({ description: 'by index' })
    u.orders[1] = o // a plain array write: no event, so no cascade when it happens
    await s.commit()
    expect(await descriptions()).toEqual(['first', 'by index'])
    expect(o.userId).toBe(u.id)
  })

  it('an expunged child still in a pending parent\'s collection goes in with the parent again', async () => {
    const s = Session()
    const o = new Order({ description: 'kept' })
    const u = new User({ name: 'u', orders: [o] })
    s.add(u)
    s.expunge(o)
    expect(s.new.has(o)).toBe(false)
    await s.commit()
    expect(await descriptions()).toEqual(['kept'])
  })

  it('replacing the list deletes the orphans (test_list_assignment_replace)', async () => {
    const s = Session()
    const u = new User({ name: 'jack', orders: [new Order({ description: 'o1' }), new Order({ description: 'o2' })] })
    s.add(u)
    await s.commit()
    u.orders = [u.orders[1], new Order({ description: 'o3' })]
    await s.commit()
    expect(await descriptions()).toEqual(['o2', 'o3'])
  })

  it('adding a child to a persistent parent sends it with the flush (test_save_update_sends_pending)', async () => {
    const s = Session()
    const u = new User({ name: 'u' })
    s.add(u)
    await s.commit()
    const o = new Order({ description: 'late' })
    u.orders.push(o)
    expect(s.new.has(o)).toBe(true)
    await s.commit()
    expect(o.userId).toBe(u.id)
  })

  it('a pending child removed from the collection is not inserted (test_remove_pending_from_collection)', async () => {
    const s = Session()
    const u = new User({ name: 'u' })
    s.add(u)
    await s.commit()
    const o = new Order({ description: 'gone' })
    u.orders.push(o)
    u.orders.splice(0, 1)
    await s.commit()
    expect(await descriptions()).toEqual([])
  })

  it('deleting the parent deletes children, loading an unloaded collection first (test_delete, test_delete_unloaded_collections)', async () => {
    const s = Session()
    const u = new User({ name: 'u', orders: [new Order({ description: 'a' }), new Order({ description: 'b' })] })
    s.add(u)
    await s.commit()
    const t = Session()
    const again = (await t.get(User, u.id))!
    await t.delete(again)
    await t.commit()
    expect(await descriptions()).toEqual([])
  })

  it('delete plus orphans in one flush (test_cascade_delete_plusorphans)', async () => {
    const s = Session()
    const u = new User({ name: 'u', orders: [new Order({ description: 'a' }), new Order({ description: 'b' })] })
    s.add(u)
    await s.commit()
    u.orders.pop()
    await s.delete(u)
    await s.commit()
    expect(await descriptions()).toEqual([])
  })

  it('without save-update a child is not pulled into the session (test_o2m_only_child_transient)', async () => {
    const s = Session()
    const u = new User({ name: 'u' })
    const n = new Note({ body: 'not saved' })
    u.notes.push(n)
    s.add(u)
    expect(s.new.has(n)).toBe(false)
    await s.commit()
    expect(await engine.connect(async (c) => (await c.execute(select(Note.c.id))).all().length)).toBe(0)
  })

  it('removing a child from a collection without delete-orphan sets its foreign key to NULL', async () => {
    const s = Session()
    const n = new Note({ body: 'kept' })
    const u = new User({ name: 'u', notes: [n] })
    s.addAll([u, n])
    await s.commit()
    u.notes.splice(0, 1)
    expect(n.user).toBeNull()
    await s.commit()
    expect(n.userId).toBeNull()
    expect(await engine.connect(async (c) => (await c.execute(select(Note.c.userId))).scalars().all())).toEqual([null])
  })

  it('cascade options are checked (test_bad_cascade, test_delete_orphan_without_delete)', () => {
    const md = new MetaData()
    class A extends Model<A>('orm_casc_bad_a', { metadata: md }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @hasMany(() => B, { cascade: 'fake, all' }) accessor bs!: B[]
    }
    class B extends Model<B>('orm_casc_bad_b', { metadata: md }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Integer, { foreignKey: 'orm_casc_bad_a.id' }) accessor aId!: number | null
      @hasMany(() => A, { cascade: 'delete-orphan' }) accessor as!: A[]
    }
    let err: unknown
    try { new A() } catch (e) { err = e }
    expect(isArgumentError(err)).toBe(true)
    expect(String((err as Error).message)).toMatch(/unknown cascade 'fake'/)
    void B
  })

  it('merge cascades along relationships with merge (test_merge)', async () => {
    const s = Session()
    const u = new User({ name: 'm', orders: [new Order({ description: 'x' })] })
    s.add(u)
    await s.commit()
    s.expunge(u)
    s.expunge(u.orders[0])
    u.orders[0].description = 'y'
    const t = Session()
    const merged = await t.merge(u)
    expect(merged.orders[0]).not.toBe(u.orders[0])
    expect(merged.orders[0].description).toBe('y')
    await t.commit()
    expect(await descriptions()).toEqual(['y'])
  })
})
