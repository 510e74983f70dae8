import { Integer, MetaData, Text, column, insert, isArgumentError, isQueryCanceled, select, table, text } from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEngine } from '../support/backends.js'

const LEVELS = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const
const show = text('SHOW transaction_isolation')

describe('PostgreSQL isolation levels', () => {
  const engines = [makeEngine('postgresql'), ...LEVELS.map((isolationLevel) => makeEngine('postgresql', { isolationLevel }))]
  const auto = makeEngine('postgresql', { isolationLevel: 'AUTOCOMMIT' })
  afterAll(async () => { await Promise.all([...engines, auto].map((e) => e.dispose())) })

  it.each(LEVELS.map((level, i) => [level, i + 1] as const))('engine option %s', async (level, i) => {
    const seen = await engines[i].connect(async (c) => (await c.execute(show)).scalar())
    expect(seen).toBe(level.toLowerCase())
  })

  it.each(LEVELS)('conn.begin({ isolationLevel: %s })', async (level) => {
    await engines[0].connect(async (c) => {
      const tx = await c.begin({ isolationLevel: level })
      expect((await c.execute(show)).scalar()).toBe(level.toLowerCase())
      await tx.commit()
      expect((await c.execute(show)).scalar()).toBe('read committed')   // the next transaction: the server default
    })
  })

  it('AUTOCOMMIT runs each statement in its own transaction', async () => {
    const txids = (e: typeof auto) => e.connect(async (c) => {
      const a = (await c.execute(text('SELECT txid_current() AS t'))).scalar()
      const b = (await c.execute(text('SELECT txid_current() AS t'))).scalar()
      return [a, b]
    })
    const [a, b] = await txids(auto)
    expect(a).not.toBe(b)
    const [e, f] = await txids(engines[0])                       // commit as you go: one transaction
    expect(e).toBe(f)
  })

  it("conn.begin({ isolationLevel: 'AUTOCOMMIT' }) lasts until that transaction ends", async () => {
    await engines[0].connect(async (c) => {
      const txid = async () => (await c.execute(text('SELECT txid_current() AS t'))).scalar()
      const tx = await c.begin({ isolationLevel: 'AUTOCOMMIT' })
      expect(await txid()).not.toBe(await txid())
      expect(c.inTransaction).toBe(false)
      await tx.commit()
      expect(await txid()).toBe(await txid())                     // back to commit as you go
      expect(c.inTransaction).toBe(true)
    })
  })

  it('per-statement settings with SET LOCAL end with their transaction (never leak to the next user)', async () => {
    await engines[0].connect(async (c) => {
      await c.execute(text("SET LOCAL statement_timeout = '50ms'"))
      const err = await c.execute(text('SELECT pg_sleep(1)')).catch((e) => e)
      expect(isQueryCanceled(err)).toBe(true)
      expect(err.code).toBe('57014')
      await c.rollback()
      expect((await c.execute(text('SHOW statement_timeout'))).scalar()).toBe('0')
    })
  })

  it('an unknown isolation level is an ArgumentError, never spliced into SQL', async () => {
    const err = await engines[0].connect((c) => c.begin({ isolationLevel: 'SERIALIZABLE; DROP TABLE x' })).catch((e) => e)
    expect(isArgumentError(err)).toBe(true)
  })
})

describe('PostgreSQL statements stay unnamed (PgBouncer transaction mode)', () => {
  const metadata = new MetaData()
  const notes = table('pgx_tx_notes', { id: column(Integer, { primaryKey: true }), body: column(Text) }, { metadata })
  const sent: unknown[] = []
  const engine = makeEngine('postgresql', {
    poolSize: 1,
    onConnect: (raw) => {
      const client = raw as { query: (...args: unknown[]) => unknown }
      const query = client.query.bind(client)
      client.query = (...args: unknown[]) => { sent.push(args[0]); return query(...args) }
    },
  })
  beforeAll(() => engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }))
  afterAll(async () => { await engine.begin((c) => metadata.dropAll(c)); await engine.dispose() })

  it('no statement the driver sends has a name, and the server holds no prepared statement', async () => {
    await engine.connect(async (c) => {
      await c.executeMany(insert(notes), [{ id: 1, body: 'a' }, { id: 2, body: 'b' }])
      const sp = await c.beginNested()
      await c.execute(select(notes.c.body).where(notes.c.id.eq(1)))
      await sp.rollback()
      for await (const row of c.stream(select(notes.c.id))) expect(row.id).toBeGreaterThan(0)
      await c.execute(text('SELECT pg_sleep(1)'), {}, { timeout: 50 }).catch(() => c.rollback())
      for (let i = 0; i < 3; i++) await c.execute(select(notes.c.body).where(notes.c.id.eq(2)))   // repeated: still unnamed
      expect(Number((await c.execute(text('SELECT count(*) FROM pg_prepared_statements'))).scalar())).toBe(0)
      await c.commit()
    })
    expect(sent.length).toBeGreaterThan(8)
    for (const q of sent) expect((q as { name?: string }).name).toBeUndefined()
  })
})
