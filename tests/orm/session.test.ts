import {
  type AsyncSession, Integer, MetaData, Model, Text, belongsTo, column, deleteFrom, hasMany, insert, isArgumentError, isConcurrentSessionUseError,
  isDetachedInstanceError, isExpiredAttributeError, isPendingRollbackError, isUniqueViolation, select, sessionmaker, update,
} from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios from SQLAlchemy's test_session.py and test_expire.py, on the async session.
const metadata = new MetaData()

class User extends Model<User>('orm_sess_users', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false, unique: true }) accessor name!: string
  @column(Text) accessor email!: string | null
  @hasMany(() => Address, { backPopulates: 'user', cascade: 'all, delete-orphan', orderBy: () => Address.c.id }) accessor addresses!: Address[]
}
class Address extends Model<Address>('orm_sess_addresses', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_sess_users.id', name: 'user_id' }) accessor userId!: number | null
  @column(Text) accessor email!: string | null
  @belongsTo(() => User, { backPopulates: 'addresses' }) accessor user!: User | null
}

describe.each(BACKENDS)('session on $name', ({ name }) => {
  const engine = makeEngine(name)
  const Session = sessionmaker(engine)
  const open: AsyncSession[] = []
  const S = (o?: { expireOnCommit?: boolean; autoflush?: boolean }): AsyncSession => { const s = Session(o); open.push(s); return s }
  const rec = recordStatements(engine)

  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))
  beforeEach(async () => {
    await engine.begin(async (c) => { await c.execute(deleteFrom(Address)); await c.execute(deleteFrom(User)) })
    rec.clear()
  })
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })

  it('identity map: one object per row; 1, "1" and 1n are one key (test_session identity)', async () => {
    const s = S()
    s.add(new User({ name: 'jack' }))
    await s.commit()
    const id = (await s.scalar(select(User.c.id)))!
    const a = await s.get(User, id)
    const b = await s.get(User, String(id))
    const c = await s.get(User, BigInt(id))
    const [d] = (await s.scalars(select(User).where(User.c.name.eq('jack')))).all()
    expect(a).toBeDefined()
    expect(b).toBe(a)
    expect(c).toBe(a)
    expect(d).toBe(a)
    expect(await s.get(User, 999_999)).toBeUndefined()
  })

  it('get() of a loaded object emits no SQL', async () => {
    const s = S()
    const u = new User({ name: 'x' })
    s.add(u)
    await s.flush()
    rec.clear()
    expect(await s.get(User, u.id)).toBe(u)
    expect(rec.dml()).toEqual([])
  })

  it('autoflush: a query sees objects added before it; autoflush false does not', async () => {
    const s = S()
    s.add(new User({ name: 'auto' }))
    expect((await s.scalars(select(User.c.name))).all()).toEqual(['auto'])
    await s.rollback()
    const t = S({ autoflush: false })
    t.add(new User({ name: 'manual' }))
    expect((await t.scalars(select(User.c.name))).all()).toEqual([])
  })

  it('new / dirty / deleted sets and isModified', async () => {
    const s = S()
    const u = new User({ name: 'a' })
    s.add(u)
    expect(s.new.has(u)).toBe(true)
    await s.flush()
    expect(s.new.size).toBe(0)
    expect(s.isModified(u)).toBe(false)
    u.email = 'e'
    expect(s.dirty.has(u)).toBe(true)
    expect(s.isModified(u)).toBe(true)
    await s.flush()
    expect(s.dirty.size).toBe(0)
    await s.delete(u)
    expect(s.deleted.has(u)).toBe(true)
    await s.flush()
    expect(s.deleted.size).toBe(0)
  })

  it('expireOnCommit (default): reading after commit throws ExpiredAttributeError; refresh() fixes it (test_expire)', async () => {
    const s = S()
    const u = new User({ name: 'exp' })
    s.add(u)
    await s.commit()
    let err: unknown
    try { void u.name } catch (e) { err = e }
    expect(isExpiredAttributeError(err)).toBe(true)
    expect(String((err as Error).message)).toMatch(/refresh/)
    await s.refresh(u)
    expect(u.name).toBe('exp')
    await s.commit()
    await s.refresh(u, ['email'])
    expect(u.email).toBeNull()
    expect(() => u.name).toThrow(/expired/)
  })

  it('expire(obj, attrs) and refresh(obj) reload from the database (test_expire)', async () => {
    const s = S({ expireOnCommit: false })
    const u = new User({ name: 'r1' })
    s.add(u)
    await s.commit()
    await engine.begin((c) => c.execute(update(User).values({ name: 'r2' }).where(User.c.id.eq(u.id))))
    expect(u.name).toBe('r1')
    s.expire(u, ['name'])
    expect(() => u.name).toThrow(/expired/)
    await s.refresh(u)
    expect(u.name).toBe('r2')
  })

  it('detached objects: DetachedInstanceError for unloaded attributes; merge() brings them back (test_session merge)', async () => {
    const s = S()
    const u = new User({ name: 'det' })
    s.add(u)
    await s.commit()
    s.expunge(u)
    let err: unknown
    try { void u.name } catch (e) { err = e }
    expect(isDetachedInstanceError(err)).toBe(true)
    const t = S({ expireOnCommit: false })
    const v = new User({ name: 'merge-me' })
    t.add(v)
    await t.commit()
    t.expunge(v)
    v.email = 'changed@x'
    const s2 = S()
    const merged = await s2.merge(v)
    expect(merged).not.toBe(v)
    expect(merged.email).toBe('changed@x')
    expect(s2.dirty.has(merged)).toBe(true)
    await s2.commit()
    const again = S()
    expect((await again.get(User, v.id))!.email).toBe('changed@x')
  })

  it('a session holds a connection only while a transaction is open', async () => {
    const before = engine.pool.status().checkedOut
    const s = S({ expireOnCommit: false })
    s.add(new User({ name: 'pool' }))
    expect(engine.pool.status().checkedOut).toBe(before)
    await s.flush()
    expect(engine.pool.status().checkedOut).toBe(before + 1)
    await s.commit()
    expect(engine.pool.status().checkedOut).toBe(before)
    await s.scalars(select(User))
    expect(engine.pool.status().checkedOut).toBe(before + 1)
    await s.rollback()
    expect(engine.pool.status().checkedOut).toBe(before)
  })

  it('Session.begin(fn), session.begin(fn) and await using', async () => {
    const id = await Session.begin(async (s) => { const u = new User({ name: 'b1' }); s.add(u); await s.flush(); return u.id })
    expect(typeof id).toBe('number')
    {
      await using s = Session({ expireOnCommit: false })
      const out = await s.begin(async () => { s.add(new User({ name: 'b2' })); return 'ok' })
      expect(out).toBe('ok')
    }
    const names = await Session.begin(async (s) => (await s.scalars(select(User.c.name).orderBy(User.c.name))).all())
    expect(names).toEqual(['b1', 'b2'])
    const err = await Session.begin(async (s) => { s.add(new User({ name: 'b3' })); await s.flush(); throw new Error('boom') }).catch((e) => e)
    expect(err.message).toBe('boom')
    expect(await Session.begin(async (s) => s.scalar(select(User.c.id).where(User.c.name.eq('b3'))))).toBeUndefined()
  })

  it('a failed flush rolls back whole: PendingRollbackError until rollback(); re-adding inserts afresh', async () => {
    const s = S({ expireOnCommit: false })
    const u1 = new User({ name: 'dup-ok' })
    s.add(u1)
    await s.commit()
    const fresh = new User({ name: 'fresh', addresses: [new Address({ email: 'f@x' })] })
    const clash = new User({ name: 'dup-ok' })
    s.add(fresh)
    await s.flush() // fresh gets a key in this transaction
    const freshId = fresh.id
    expect(typeof freshId).toBe('number')
    s.add(clash)
    const err = await s.flush().catch((e) => e)
    expect(isUniqueViolation(err)).toBe(true)
    const again = await s.execute(select(User)).catch((e) => e)
    expect(isPendingRollbackError(again)).toBe(true)
    await s.rollback()
    // objects of the rolled-back transaction are expunged and keep no database-generated key
    expect(s.new.size).toBe(0)
    expect(fresh.id).toBeUndefined()
    expect(fresh.addresses[0].id).toBeUndefined()
    s.add(fresh)
    await s.commit()
    expect(typeof fresh.id).toBe('number')
    const rows = await Session.begin(async (t) => (await t.scalars(select(User.c.name).orderBy(User.c.name))).all())
    expect(rows).toEqual(['dup-ok', 'fresh'])
    expect(await Session.begin(async (t) => (await t.scalars(select(Address.c.email))).all())).toEqual(['f@x'])
  })

  it('a flush that fails after some INSERTs: session.new lists only what was not inserted, until rollback()', async () => {
    const s = S({ expireOnCommit: false })
    s.add(new Address({ id: 900, email: 'taken' }))
    await s.commit()
    const clash = new Address({ id: 900, email: 'dup' })
    const user = new User({ name: 'parent-first', addresses: [clash] })
    s.add(user)
    expect(isUniqueViolation(await s.flush().catch((e) => e))).toBe(true)
    // the user's row went in before the addresses' INSERT failed: persistent in the failed transaction, not new
    expect(s.new.has(user)).toBe(false)
    expect(s.new.has(clash)).toBe(true)
    await s.rollback()
    expect(s.new.size).toBe(0)
    expect(user.id).toBeUndefined()
  })

  it('rollback expires persistent objects and restores deleted ones (test_session rollback)', async () => {
    const s = S({ expireOnCommit: false })
    const u = new User({ name: 'keep' })
    s.add(u)
    await s.commit()
    u.name = 'temp'
    await s.flush()
    await s.delete(u)
    await s.flush()
    await s.rollback()
    await s.refresh(u)
    expect(u.name).toBe('keep')
    expect(await s.get(User, u.id)).toBe(u)
  })

  it('beginNested: a savepoint rollback undoes only what happened inside it', async () => {
    const s = S({ expireOnCommit: false })
    const outer = new User({ name: 'outer' })
    s.add(outer)
    const sp = await s.beginNested()
    const inner = new User({ name: 'inner' })
    s.add(inner)
    await s.flush()
    await sp.rollback()
    expect(s.new.has(inner)).toBe(false)
    const sp2 = await s.beginNested()
    s.add(new User({ name: 'inner2' }))
    await sp2.commit()
    await s.commit()
    const names = await Session.begin(async (t) => (await t.scalars(select(User.c.name).orderBy(User.c.name))).all())
    expect(names).toEqual(['inner2', 'outer'])
  })

  it('a flush failing inside a savepoint rolls back only the savepoint; the outer transaction goes on', async () => {
    const s = S({ expireOnCommit: false })
    s.add(new User({ name: 'taken' }))
    await s.flush()
    const sp = await s.beginNested()
    const dup = new User({ name: 'taken' })
    s.add(dup)
    const err = await s.flush().catch((e) => e)
    expect(isUniqueViolation(err)).toBe(true)
    expect(isPendingRollbackError(await s.flush().catch((e) => e))).toBe(true)
    await sp.rollback()
    expect(dup.id).toBeUndefined()
    s.add(new User({ name: 'after' }))
    await s.commit()
    const names = await Session.begin(async (t) => (await t.scalars(select(User.c.name).orderBy(User.c.name))).all())
    expect(names).toEqual(['after', 'taken'])
  })

  it('cascade delete-orphan: removing a child deletes it; deleting the parent deletes the children (test_cascade)', async () => {
    const s = S({ expireOnCommit: false })
    const a1 = new Address({ email: 'a1' })
    const a2 = new Address({ email: 'a2' })
    const u = new User({ name: 'o', addresses: [a1, a2] })
    s.add(u)
    await s.commit()
    u.addresses.splice(0, 1)
    await s.commit()
    expect((await s.scalars(select(Address.c.email))).all()).toEqual(['a2'])
    await s.delete(u)
    await s.commit()
    expect((await s.scalars(select(Address.c.email))).all()).toEqual([])
  })

  it('ConcurrentSessionUseError when two tasks use one session; event handlers may re-enter', async () => {
    const s = S({ expireOnCommit: false })
    const both = await Promise.allSettled([s.execute(select(User)), s.execute(select(User))])
    expect(both[0].status).toBe('fulfilled')
    expect(both[1].status === 'rejected' && isConcurrentSessionUseError(both[1].reason)).toBe(true)
    await s.rollback()
    const seen: string[] = []
    s.events.on('beforeFlush', async (sess) => {
      // an async handler using the session itself: allowed
      const n = (await sess.scalars(select(User.c.name))).all().length
      seen.push(`beforeFlush:${n}`)
    })
    s.events.on('afterFlush', async () => { seen.push('afterFlush') })
    s.events.on('afterCommit', async () => { seen.push('afterCommit') })
    s.events.on('afterRollback', async () => { seen.push('afterRollback') })
    s.add(new User({ name: 'ev' }))
    await s.commit()
    await s.rollback()
    expect(seen).toEqual(['beforeFlush:0', 'afterFlush', 'afterCommit', 'afterRollback'])
    await s.begin(async () => {
      const r = await Promise.allSettled([s.scalars(select(User)), s.scalars(select(User))])
      expect(r[1].status === 'rejected' && isConcurrentSessionUseError(r[1].reason)).toBe(true)
    })
  })

  it('ORM update()/deleteFrom() through session.execute keep loaded objects in step', async () => {
    const s = S({ expireOnCommit: false })
    const u1 = new User({ name: 'bulk1', email: 'old' })
    const u2 = new User({ name: 'bulk2', email: 'old' })
    s.addAll([u1, u2])
    await s.flush()
    const r = await s.execute(update(User).values({ email: 'new' }).where(User.c.name.eq('bulk1')))
    expect(r.rowCount).toBe(1)
    expect(u1.email).toBe('new')
    expect(u2.email).toBe('old')
    await s.execute(deleteFrom(User).where(User.c.name.eq('bulk2')))
    expect(await s.get(User, u2.id)).toBeUndefined()
    await s.commit()
  })

  it('binding undefined is an ArgumentError, never IS NULL', async () => {
    const s = S()
    const u = new User({ name: 'nokey' })
    expect(() => select(User).where(User.c.id.eq(u.id))).toThrow(/undefined/)
    let e: unknown
    try { await s.execute(insert(User).values({ name: undefined as any })) } catch (x) { e = x }
    expect(isArgumentError(e)).toBe(true)
    // a relationship comparison binds the key when the statement runs: still undefined before a flush
    const a = new Address({ email: 'x' })
    const stmt = select(Address).where(Address.c.user.eq(u))
    s.add(a)
    await s.flush()
    let e2: unknown
    try { await s.execute(stmt) } catch (x) { e2 = x }
    expect(isArgumentError(e2)).toBe(true)
    s.add(u)
    expect((await s.scalars(stmt)).all()).toEqual([])
  })
})
