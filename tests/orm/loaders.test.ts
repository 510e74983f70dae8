import {
  type AsyncSession, Integer, MetaData, Model, Text, belongsTo, column, hasMany, isArgumentError, isUnloadedRelationshipError, joinedload, noload,
  raiseload, select, selectinload, sessionmaker, subqueryload,
} from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios from SQLAlchemy's test_selectin_relations.py and the eager-loading tests.
const metadata = new MetaData()

class User extends Model<User>('orm_load_users', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @hasMany(() => Order, { backPopulates: 'user', orderBy: () => Order.c.id }) accessor orders!: Order[]
}
class Order extends Model<Order>('orm_load_orders', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_load_users.id', name: 'user_id' }) accessor userId!: number | null
  @column(Integer, { nullable: false }) accessor total!: number
  @belongsTo(() => User, { backPopulates: 'orders' }) accessor user!: User | null
  @hasMany(() => Item, { backPopulates: 'order', lazy: 'noload' }) accessor items!: Item[]
}
class Item extends Model<Item>('orm_load_items', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_load_orders.id', name: 'order_id' }) accessor orderId!: number | null
  @column(Text) accessor sku!: string | null
  @belongsTo(() => Order, { backPopulates: 'items', lazy: 'selectin' }) accessor order!: Order | null
}

describe.each(BACKENDS)('loaders on $name', ({ name }) => {
  const engine = makeEngine(name)
  const factory = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const Session = (): AsyncSession => { const s = factory(); open.push(s); return s }
  const rec = recordStatements(engine)
  const selects = (): string[] => rec.dml().filter((q) => q.startsWith('SELECT'))

  beforeAll(async () => {
    await resetSchema(engine, metadata)
    const s = Session()
    const jane = new User({ name: 'Jane', orders: [new Order({ total: 100 }), new Order({ total: 200 })] })
    const bob = new User({ name: 'Bob', orders: [new Order({ total: 300 })] })
    const ann = new User({ name: 'Ann' })
    jane.orders[0].items.push(new Item({ sku: 'a' }), new Item({ sku: 'b' }))
    s.addAll([jane, bob, ann])
    await s.commit()
    await s.close()
  })
  afterAll(() => dropSchema(engine, metadata))
  beforeEach(() => rec.clear())
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })

  it('selectinload: exactly two SELECTs, collections in order, reverse side set (test_selectin_relations test_basic)', async () => {
    const s = Session()
    const users = (await s.scalars(select(User).options(selectinload(User.c.orders)).orderBy(User.c.id))).all()
    expect(selects()).toHaveLength(2)
    expect(selects()[1]).toMatch(/WHERE orm_load_orders.user_id IN \(\?, \?, \?\) ORDER BY orm_load_orders.id$/)
    expect(users.map((u) => [u.name, u.orders.map((o) => o.total)])).toEqual([['Jane', [100, 200]], ['Bob', [300]], ['Ann', []]])
    expect(users[0].orders[0].user).toBe(users[0])
  })

  it('many-to-one selectin skips targets already in the identity map (test_many_to_one)', async () => {
    const s = Session()
    await s.scalars(select(User).where(User.c.name.eq('Jane')))
    rec.clear()
    const orders = (await s.scalars(select(Order).options(selectinload(Order.c.user)).orderBy(Order.c.id))).all()
    expect(orders.map((o) => o.user!.name)).toEqual(['Jane', 'Jane', 'Bob'])
    expect(selects()).toHaveLength(2)
    expect(selects()[1]).toMatch(/IN \(\?\)$/) // only Bob
  })

  it('chained paths: selectinload(User.c.orders).selectinload(Order.c.items) (test_nested)', async () => {
    const s = Session()
    const users = (await s.scalars(select(User).options(selectinload(User.c.orders).selectinload(Order.c.items)).orderBy(User.c.id))).all()
    expect(selects()).toHaveLength(3)
    expect(users[0].orders[0].items.map((i) => i.sku)).toEqual(['a', 'b'])
    expect(users[0].orders[1].items).toEqual([])
  })

  it('chunked IN lists: more parents than the chunk size take several SELECTs (test_chunking)', async () => {
    const big = new MetaData()
    class P extends Model<P>('orm_load_chunk_p', { metadata: big }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @hasMany(() => C, { backref: 'p' }) accessor cs!: C[]
    }
    class C extends Model<C>('orm_load_chunk_c', { metadata: big }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Integer, { foreignKey: 'orm_load_chunk_p.id' }) accessor pId!: number | null
    }
    await resetSchema(engine, big)
    try {
      const s = Session()
      s.addAll(Array.from({ length: 1200 }, () => new P({ cs: [new C()] })))
      await s.commit()
      await s.close()
      const t = Session()
      rec.clear()
      const ps = (await t.scalars(select(P).options(selectinload(P.c.cs)))).all()
      expect(selects()).toHaveLength(1 + 3) // 500 + 500 + 200
      expect(ps.every((p) => p.cs.length === 1 && (p.cs[0] as any).p === p)).toBe(true)
      await t.close()
    } finally {
      await engine.begin((c) => big.dropAll(c))
    }
  })

  it('joinedload: one SELECT with a LEFT OUTER JOIN; unique() required for collections', async () => {
    const s = Session()
    const res = await s.execute(select(User).options(joinedload(User.c.orders)).orderBy(User.c.id))
    expect(selects()).toHaveLength(1)
    expect(selects()[0]).toMatch(/LEFT OUTER JOIN orm_load_orders AS/)
    let err: unknown
    try { res.scalars() } catch (e) { err = e }
    expect(isArgumentError(err)).toBe(true)
    expect(String((err as Error).message)).toMatch(/unique\(\)/)
    const users = res.unique().scalars().all()
    expect(users.map((u) => [u.name, u.orders.map((o) => o.total)])).toEqual([['Jane', [100, 200]], ['Bob', [300]], ['Ann', []]])
  })

  it('joinedload with LIMIT counts parents, not joined rows', async () => {
    const s = Session()
    const users = (await s.execute(select(User).options(joinedload(User.c.orders)).orderBy(User.c.id).limit(2))).unique().scalars().all()
    expect(users.map((u) => u.name)).toEqual(['Jane', 'Bob'])
    expect(users[0].orders.map((o) => o.total)).toEqual([100, 200])
    expect(selects()).toHaveLength(1)
  })

  it('chained joinedload paths join each level in the same SELECT', async () => {
    const s = Session()
    const users = (await s.execute(select(User).options(joinedload(User.c.orders).joinedload(Order.c.items)).orderBy(User.c.id))).unique().scalars().all()
    expect(selects()).toHaveLength(1)
    expect(users[0].orders.map((o) => o.items.map((i) => i.sku).sort())).toEqual([['a', 'b'], []])
    expect(users[0].orders[0].items[0].order).toBe(users[0].orders[0])
  })

  it('joinedload of a many-to-one needs no unique()', async () => {
    const s = Session()
    const orders = (await s.scalars(select(Order).options(joinedload(Order.c.user)).orderBy(Order.c.id))).all()
    expect(orders.map((o) => o.user!.name)).toEqual(['Jane', 'Jane', 'Bob'])
    expect(selects()).toHaveLength(1)
  })

  it('subqueryload: the related rows join the original query as a subquery', async () => {
    const s = Session()
    const users = (await s.scalars(select(User).where(User.c.name.ne('Bob')).options(subqueryload(User.c.orders)).orderBy(User.c.id))).all()
    expect(selects()).toHaveLength(2)
    expect(selects()[1]).toMatch(/FROM \(SELECT DISTINCT orm_load_users.id FROM orm_load_users WHERE orm_load_users.name <> \?\) AS/)
    expect(users.map((u) => u.orders.length)).toEqual([2, 0])
  })

  it('unloaded relationships raise, naming the fixes; session.load and obj.awaitable load them', async () => {
    const s = Session()
    const u = (await s.scalars(select(User).where(User.c.name.eq('Jane')))).one()
    let err: unknown
    try { void u.orders } catch (e) { err = e }
    expect(isUnloadedRelationshipError(err)).toBe(true)
    const msg = String((err as Error).message)
    expect(msg).toMatch(/selectinload\(User\.c\.orders\)/)
    expect(msg).toMatch(/await session\.load\(obj, 'orders'\)/)
    expect(msg).toMatch(/await obj\.awaitable\.orders/)
    const orders = await s.load(u, 'orders')
    expect(orders.map((o) => o.total)).toEqual([100, 200])
    const again = (await s.scalars(select(User).where(User.c.name.eq('Bob')))).one()
    expect(((await again.awaitable.orders) as Order[]).map((o) => o.total)).toEqual([300])
  })

  it('raiseload and noload options; per-relationship defaults (lazy: noload / selectin)', async () => {
    const s = Session()
    const users = (await s.scalars(select(User).options(noload(User.c.orders)))).all()
    expect(users.every((u) => u.orders.length === 0)).toBe(true)
    await s.close() // (SQLite :memory: has one connection; an open session holds it)
    const t = Session()
    const [o] = (await t.scalars(select(Order).options(raiseload(Order.c.user)).where(Order.c.total.eq(300)))).all()
    expect(o.items).toEqual([]) // lazy: 'noload'
    await t.close()
    const u = Session()
    rec.clear()
    const items = (await u.scalars(select(Item).orderBy(Item.c.id))).all()
    expect(items[0].order!.total).toBe(100) // lazy: 'selectin'
    expect(selects()).toHaveLength(2)
  })

  it('several entities and columns in one select: rows of [Order, User, number]', async () => {
    const s = Session()
    const rows = (await s.execute(select(Order, User, Order.c.total).join(Order.c.user).orderBy(Order.c.id))).all()
    expect(rows.map((r) => [r[0].total, r[1].name, r[2]])).toEqual([[100, 'Jane', 100], [200, 'Jane', 200], [300, 'Bob', 300]])
    expect(rows[0][1]).toBe(rows[1][1]) // one object per row key
    expect(rows[0][0]).toBeInstanceOf(Order)
  })

  it('Order.c.user.eq(user) binds the key when the statement runs, after autoflush', async () => {
    const s = Session()
    const newbie = new User({ name: 'Newbie' })
    s.add(newbie)
    s.add(new Order({ total: 5, user: newbie }))
    const stmt = select(Order).where(Order.c.user.eq(newbie))
    const orders = (await s.scalars(stmt)).all()
    expect(orders.map((o) => o.total)).toEqual([5])
    await s.rollback()
  })
})
