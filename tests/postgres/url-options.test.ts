import { DatabaseUrl, createAsyncEngine, isConnectionError, isQueryCanceled, text } from '@retort/core'
import { PostgresDialect, clientConfig } from '@retort/postgres'
import { createRequire } from 'node:module'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS } from '../support/backends.js'

type Parser = (value: string) => unknown
/** The process-wide pg type table (the one Retort must never touch). */
const pg = createRequire(import.meta.url)('pg') as {
  types: { getTypeParser(oid: number, format?: string): Parser; setTypeParser(oid: number, parser: Parser): void }
}

const TCP = BACKENDS.find((b) => b.name === 'postgresql')!.url
const SOCKET = 'postgresql+pg://postgres@/test?host=/var/run/postgresql'
const noTypes = { getTypeParser: () => (v: string) => v }

async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected a rejection')
}

describe('PostgreSQL URL options', () => {
  const engines: { dispose(): Promise<void> }[] = []
  const engine = (url: string, options = {}) => { const e = createAsyncEngine(url, options); engines.push(e); return e }
  afterAll(async () => { await Promise.all(engines.map((e) => e.dispose())) })

  it('?host=/var/run/postgresql connects over the Unix socket, and cancels over it', async () => {
    const e = engine(SOCKET)
    await e.connect(async (c) => {
      const row = (await c.execute(text("SELECT inet_server_addr() AS addr, current_setting('port') AS port"))).first()!
      expect(row.addr).toBeNull()                                  // NULL: not a TCP connection
      expect(row.port).toBe('5432')
      const err = await failure(c.execute(text('SELECT pg_sleep(5)'), {}, { timeout: 100 }))
      expect(isQueryCanceled(err)).toBe(true)
      await c.rollback()
      expect((await c.execute(text('SELECT 1 AS one'))).scalar()).toBe(1)
    })
  })

  it('?application_name=... shows in pg_stat_activity', async () => {
    const e = engine(`${TCP}?application_name=retort-pgx-url`)
    const name = await e.connect(async (c) =>
      (await c.execute(text('SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()'))).scalar())
    expect(name).toBe('retort-pgx-url')
  })

  it('?sslmode=disable connects without TLS; require reaches the driver (this server has TLS off)', async () => {
    const plain = engine(`${TCP}?sslmode=disable`)
    const ssl = await plain.connect(async (c) => (await c.execute(text('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))).scalar())
    expect(ssl).toBe(false)
    const prefer = engine(`${TCP}?sslmode=prefer`)                // libpq's fallback: TLS if offered, else plain
    expect(await prefer.connect(async (c) => (await c.execute(text('SELECT 1 AS one'))).scalar())).toBe(1)
    const err = await failure(engine(`${TCP}?sslmode=require`).connect())
    expect(isConnectionError(err)).toBe(true)
    expect(err.message).toMatch(/does not support SSL/)
  })

  it('maps libpq URL options onto the pg config', () => {
    const url = (q: string) => new DatabaseUrl({ dialect: 'postgresql', host: 'db', port: 6543, database: 'app', query: Object.fromEntries(new URLSearchParams(q)) })
    expect(clientConfig(url('sslmode=verify-full&connect_timeout=3&options=-c statement_timeout=5s'), noTypes)).toMatchObject({
      host: 'db', port: 6543, database: 'app', ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 3000, options: '-c statement_timeout=5s',
    })
    expect(clientConfig(url('sslmode=require'), noTypes).ssl).toEqual({ rejectUnauthorized: false })
    expect(clientConfig(url('host=/tmp/sock&port=5433'), noTypes)).toMatchObject({ host: '/tmp/sock', port: 5433 })
    expect(clientConfig(url(''), noTypes)).not.toHaveProperty('sslmode')
    expect(() => clientConfig(url('sslmode=bogus'), noTypes)).toThrow(/Unknown sslmode/)
  })
})

describe('PostgreSQL type parsers are per engine, never pg.types', () => {
  const int4Before = pg.types.getTypeParser(23, 'text')
  const tagged = createAsyncEngine(TCP, { dialect: new PostgresDialect({ typeParsers: { 23: (v: string) => `int4:${v}` } }) })
  const plain = createAsyncEngine(TCP)
  afterAll(async () => { await Promise.all([tagged.dispose(), plain.dispose()]) })
  const int4 = (e: typeof plain) => e.connect(async (c) => (await c.execute(text('SELECT 7::int4 AS n'))).scalar())

  it('two engines do not affect each other, and pg.types stays untouched', async () => {
    expect(await int4(tagged)).toBe('int4:7')
    expect(await int4(plain)).toBe(7)
    expect(await int4(tagged)).toBe('int4:7')
    expect(pg.types.getTypeParser(23, 'text')).toBe(int4Before)
    expect(pg.types.getTypeParser(23, 'text')('7')).toBe(7)
  })

  it("another library's global pg.types.setTypeParser does not change Retort's conversions", async () => {
    const int8Before = pg.types.getTypeParser(20, 'text')
    pg.types.setTypeParser(23, () => 'hijacked')
    pg.types.setTypeParser(20, () => 'hijacked')
    try {
      const fresh = createAsyncEngine(TCP)
      const row = await fresh.connect(async (c) => (await c.execute(text('SELECT 7::int4 AS a, 8::int8 AS b, 1.5::numeric AS c'))).first()!)
      await fresh.dispose()
      expect([row.a, row.b, row.c]).toEqual([7, '8', '1.5'])
    } finally {
      pg.types.setTypeParser(23, int4Before)
      pg.types.setTypeParser(20, int8Before)
    }
  })
})
