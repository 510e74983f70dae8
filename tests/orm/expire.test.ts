import {
  type AsyncSession, Integer, MetaData, Model, Text, column, deleteFrom, isArgumentError, isDetachedInstanceError, isExpiredAttributeError, isNoResultFound,
  select, sessionmaker, update,
} from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios ported from SQLAlchemy's test/orm/test_expire.py, on the async session
// (where an expired attribute raises instead of loading implicitly).
const metadata = new MetaData()

class User extends Model<User>('orm_exp_users', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor name!: string | null
  @column(Text) accessor email!: string | null
}

describe.each(BACKENDS)('expire and refresh on $name', ({ name }) => {
  const engine = makeEngine(name)
  const factory = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const Session = (): AsyncSession => { const s = factory(); open.push(s); return s }
  const rec = recordStatements(engine)
  let jack: number

  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })
  beforeEach(async () => {
    await engine.begin((c) => c.execute(deleteFrom(User)))
    const s = Session()
    const u = new User({ name: 'jack', email: 'jack@x' })
    s.add(u)
    await s.commit()
    jack = u.id
    await s.close()
    rec.clear()
  })

  it('a query fills expired attributes of an object in the identity map (test_expire)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    expect(() => u.name).toThrow(/expired/)
    // changed behind the ORM's back, in the session's transaction (as the SQLAlchemy test does)
    await s.execute(update(User).values({ name: 'jack2' }).where(User.c.id.eq(jack)).options({ synchronizeSession: false }))
    const again = (await s.scalars(select(User).where(User.c.id.eq(jack)))).one()
    expect(again).toBe(u)
    expect(u.name).toBe('jack2')
  })

  it('get() refreshes an expired object (test_get_refreshes)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    rec.clear()
    expect(await s.get(User, jack)).toBe(u)
    expect(rec.dml().filter((q) => q.startsWith('SELECT'))).toHaveLength(1)
    expect(u.email).toBe('jack@x')
  })

  it('get() of an expired object whose row is gone expunges it (test_get_on_deleted_expunges)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    await s.execute(deleteFrom(User).where(User.c.id.eq(jack)).options({ synchronizeSession: false }))
    expect(await s.get(User, jack)).toBeUndefined()
    let err: unknown
    try { void u.name } catch (e) { err = e }
    expect(isDetachedInstanceError(err)).toBe(true)
  })

  it('refresh() of a deleted row raises (test_refresh_on_deleted_raises)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    await s.execute(deleteFrom(User).where(User.c.id.eq(jack)).options({ synchronizeSession: false }))
    const err = await s.refresh(u).catch((e) => e)
    expect(isNoResultFound(err)).toBe(true)
  })

  it('refresh() cancels an expire (test_refresh_cancels_expire)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    await s.refresh(u)
    rec.clear()
    expect(u.name).toBe('jack')
    expect(rec.dml()).toEqual([])
  })

  it('setting an expired attribute does not load it, and is flushed (test_expire_doesntload_on_set)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    rec.clear()
    u.name = 'ed'
    expect(rec.dml()).toEqual([])
    await s.commit()
    expect(rec.dml()).toEqual([`UPDATE orm_exp_users SET name = ? WHERE orm_exp_users.id = ?`])
    expect(await engine.connect(async (c) => (await c.execute(select(User.c.name))).scalar())).toBe('ed')
  })

  it('an expired attribute of a detached object raises DetachedInstanceError (test_no_session)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u)
    s.expunge(u)
    let err: unknown
    try { void u.name } catch (e) { err = e }
    expect(isDetachedInstanceError(err)).toBe(true)
  })

  it('expiring a pending object is an error (test_pending_raises)', () => {
    const s = Session()
    const u = new User({ name: 'new' })
    s.add(u)
    let err: unknown
    try { s.expire(u) } catch (e) { err = e }
    expect(isArgumentError(err)).toBe(true)
  })

  it('partial expire leaves the other attributes loaded (test_partial_expire)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    s.expire(u, ['email'])
    expect(u.name).toBe('jack')
    let err: unknown
    try { void u.email } catch (e) { err = e }
    expect(isExpiredAttributeError(err)).toBe(true)
    await s.refresh(u, ['email'])
    expect(u.email).toBe('jack@x')
  })

  it('expireAll and a query reload everything (test_expire_all)', async () => {
    const s = Session()
    const users = (await s.scalars(select(User))).all()
    s.expireAll()
    expect(() => users[0].name).toThrow(/expired/)
    await s.scalars(select(User))
    expect(users[0].name).toBe('jack')
  })

  it('an attribute not given on INSERT and without default reads NULL with no SQL (test_attr_not_inserted)', async () => {
    const s = Session()
    const u = new User({ name: 'noemail' })
    s.add(u)
    await s.flush()
    rec.clear()
    expect(u.email).toBeNull()
    expect(rec.dml()).toEqual([])
  })

  it('expired attributes with pending changes elsewhere: a query autoflushes first (test_expire_autoflush)', async () => {
    const s = Session()
    const u = (await s.get(User, jack))!
    u.email = 'changed@x'
    const got = (await s.scalars(select(User.c.email).where(User.c.id.eq(jack)))).one()
    expect(got).toBe('changed@x')
  })
})
