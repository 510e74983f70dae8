import {
  type AsyncConnection, Integer, MetaData, Text, column, func, insert, isArgumentError, select, table, text,
} from '@retort/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, poolEngine, sibling, failure } from './engine-support.js'

describe.each(BACKENDS)('connections and transactions on $name', ({ name }) => {
  const metadata = new MetaData()
  const items = table('eng_tx_items', {
    id: column(Integer, { primaryKey: true }),
    label: column(Text, { nullable: false }),
  }, { metadata })
  const engine = poolEngine(name, { poolSize: 2 })
  const statements: string[] = []
  engine.events.on('beforeExecute', (e) => { statements.push(e.sql) })
  const count = (): Promise<number> => engine.connect(async (c) => Number((await c.execute(select(func.count()).selectFrom(items))).scalar()))
  const labels = (): Promise<string[]> => engine.connect(async (c) => (await c.execute(select(items.c.label).orderBy(items.c.id))).scalars().all())

  beforeAll(async () => {
    await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
  })
  beforeEach(async () => {
    await engine.begin((conn) => conn.execute(text('DELETE FROM eng_tx_items')))
    statements.length = 0
  })
  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn))
    await engine.dispose()
    engine.cleanup()
  })

  it('begins a transaction with the first statement; commit() makes it visible', async () => {
    const conn = await engine.connect()
    expect(conn.inTransaction).toBe(false)
    await conn.execute(insert(items).values({ label: 'a' }))
    expect(conn.inTransaction).toBe(true)
    expect(statements[0]).toMatch(/^(BEGIN|START TRANSACTION)/)
    expect(await labels()).toEqual([])            // not yet visible to another connection
    await conn.commit()
    expect(conn.inTransaction).toBe(false)
    expect(statements).toContain('COMMIT')
    expect(await labels()).toEqual(['a'])
    await conn.execute(insert(items).values({ label: 'b' }))
    await conn.rollback()
    expect(await labels()).toEqual(['a'])
    await conn.close()
  })

  it('rolls back uncommitted work when leaving `await using`', async () => {
    {
      await using conn = await engine.connect()
      await conn.execute(insert(items).values({ label: 'gone' }))
      expect(engine.pool.status().checkedOut).toBe(1)
    }
    expect(engine.pool.status().checkedOut).toBe(0)
    expect(statements.at(-1)).toBe('ROLLBACK')
    expect(await labels()).toEqual([])
  })

  it('engine.connect(fn) resolves to fn\'s value and rolls back what fn did not commit', async () => {
    const value = await engine.connect(async (conn) => {
      await conn.execute(insert(items).values({ label: 'x' }))
      return 42
    })
    expect(value).toBe(42)
    expect(await labels()).toEqual([])
    await engine.connect(async (conn) => { await conn.execute(insert(items).values({ label: 'kept' })); await conn.commit() })
    expect(await labels()).toEqual(['kept'])
  })

  it('engine.begin(fn) commits on return and rolls back on throw, rethrowing the same error', async () => {
    expect(await engine.begin(async (conn) => { await conn.execute(insert(items).values({ label: 'a' })); return 'done' })).toBe('done')
    const boom = new Error('boom')
    await expect(engine.begin(async (conn) => { await conn.execute(insert(items).values({ label: 'b' })); throw boom })).rejects.toBe(boom)
    expect(await labels()).toEqual(['a'])
    expect(engine.pool.status().checkedOut).toBe(0)
  })

  it('conn.begin() gives a transaction object; a second begin() is an ArgumentError', async () => {
    await using conn = await engine.connect()
    const tx = await conn.begin()
    expect(tx.isActive).toBe(true)
    await conn.execute(insert(items).values({ label: 'a' }))
    expect(isArgumentError(await failure(conn.begin()))).toBe(true)
    await tx.commit()
    expect(tx.isActive).toBe(false)
    const tx2 = await conn.begin()
    await conn.execute(insert(items).values({ label: 'b' }))
    await tx2.rollback()
    expect(await labels()).toEqual(['a'])
  })

  it('a savepoint rollback keeps the outer work; a released savepoint commits with it', async () => {
    await using conn = await engine.connect()
    await conn.execute(insert(items).values({ label: 'outer' }))
    const sp = await conn.beginNested()
    await conn.execute(insert(items).values({ label: 'inner-undone' }))
    await sp.rollback()
    const sp2 = await conn.beginNested()
    await conn.execute(insert(items).values({ label: 'inner-kept' }))
    await sp2.commit()
    expect((await conn.execute(select(items.c.label).orderBy(items.c.id))).scalars().all()).toEqual(['outer', 'inner-kept'])
    await conn.commit()
    expect(await labels()).toEqual(['outer', 'inner-kept'])
    expect(statements.some((s) => /^ROLLBACK TO SAVEPOINT/.test(s))).toBe(true)
    expect(statements.some((s) => /^RELEASE SAVEPOINT/.test(s))).toBe(true)
  })

  it('applies an isolation level per engine and per transaction', async () => {
    // visible effect: a READ COMMITTED transaction sees rows committed meanwhile, a REPEATABLE READ one does not
    const seesConcurrentInsert = async (conn: AsyncConnection): Promise<boolean> => {
      const before = Number((await conn.execute(select(func.count()).selectFrom(items))).scalar())
      await engine.begin((other) => other.execute(insert(items).values({ label: 'concurrent' })))
      return Number((await conn.execute(select(func.count()).selectFrom(items))).scalar()) > before
    }
    const repeatable = sibling(engine, { isolationLevel: 'REPEATABLE READ' })
    try {
      if (name === 'sqlite') {
        // one writer at a time, always serializable: the levels are accepted, nothing more to see
        expect(await repeatable.connect(async (c) => (await c.execute(select(func.count()).selectFrom(items))).scalar())).toBe(0)
        return
      }
      expect(await repeatable.connect((c) => seesConcurrentInsert(c))).toBe(false)
      expect(await repeatable.connect(async (c) => { await c.begin({ isolationLevel: 'READ COMMITTED' }); return seesConcurrentInsert(c) })).toBe(true)
      if (name === 'postgresql') {
        expect(await repeatable.connect(async (c) => (await c.execute(text('SHOW transaction_isolation'))).scalar())).toBe('repeatable read')
      }
      // the level is written into SQL: anything but SQL's words is refused before it gets there
      expect(isArgumentError(await failure(repeatable.connect((c) => c.begin({ isolationLevel: 'SERIALIZABLE; DROP TABLE eng_tx_items' }))))).toBe(true)
    } finally { await repeatable.dispose() }
  })

  it("'AUTOCOMMIT' sends no BEGIN and keeps each statement's work even without commit()", async () => {
    const auto = sibling(engine, { isolationLevel: 'AUTOCOMMIT' })
    const seen: string[] = []
    auto.events.on('beforeExecute', (e) => { seen.push(e.sql) })
    try {
      await auto.connect(async (conn) => {
        await conn.execute(insert(items).values({ label: 'auto' }))
        expect(conn.inTransaction).toBe(false)
      })
      expect(seen.some((s) => /^(BEGIN|START TRANSACTION)/.test(s))).toBe(false)
      expect(await labels()).toEqual(['auto'])
    } finally { await auto.dispose() }
  })

  it('a Result is buffered: readable after its connection is released and the engine disposed', async () => {
    await engine.begin((conn) => conn.execute(insert(items).values([{ label: 'a' }, { label: 'b' }])))
    const other = sibling(engine)
    const result = await other.connect((conn) => conn.execute(select(items.c.id, items.c.label).orderBy(items.c.id)))
    await other.dispose()
    expect(result.all().map((r) => r.label)).toEqual(['a', 'b'])
    expect([...result].map((r) => r[1])).toEqual(['a', 'b'])
    expect(result.keys()).toEqual(['id', 'label'])
    expect(await count()).toBe(2)
  })
})

