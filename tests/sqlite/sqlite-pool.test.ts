import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createAsyncEngine, isLockTimeout, isOperationalError, isPoolTimeoutError, text } from '@retort/core'
import '@retort/sqlite'
import { afterAll, describe, expect, it } from 'vitest'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const tmp = (name: string) => path.join(os.tmpdir(), `sqx_pool_${process.pid}_${name}`)
const created: string[] = []
afterAll(() => { for (const f of created) for (const s of ['', '-journal', '-wal', '-shm']) fs.rmSync(f + s, { force: true }) })

describe('SQLite :memory: shares one connection', () => {
  it.each(['sqlite://', 'sqlite+sqlite3://', 'sqlite+sqlite3://:memory:', 'sqlite+sqlite3:///:memory:'])('%s is one shared database', async (url) => {
    const engine = createAsyncEngine(url, { poolSize: 5 })
    try {
      await engine.begin((c) => c.execute(text('CREATE TABLE sqx_pool_mem (n INTEGER)')))
      await engine.begin((c) => c.execute(text('INSERT INTO sqx_pool_mem VALUES (1)')))
      expect((await engine.connect((c) => c.execute(text('SELECT count(*) FROM sqx_pool_mem')))).scalar()).toBe(1)
      expect(engine.pool.status().size).toBe(1)
    } finally { await engine.dispose() }
  })

  it('a second checkout waits for the first and never interleaves transactions', async () => {
    const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
    const log: string[] = []
    try {
      await engine.begin((c) => c.execute(text('CREATE TABLE sqx_pool_seq (who TEXT)')))
      const tx = (who: string) => engine.begin(async (c) => {
        log.push(`${who} begin`)
        await c.execute(text('INSERT INTO sqx_pool_seq VALUES (:who)'), { who })
        await sleep(50)
        log.push(`${who} commit`)
      })
      await Promise.all([tx('a'), tx('b')])
      expect(log).toEqual(['a begin', 'a commit', 'b begin', 'b commit'])
      expect(engine.pool.status()).toMatchObject({ checkedOut: 0, checkedIn: 1 })
    } finally { await engine.dispose() }
  })

  it('the waiting checkout gives up with PoolTimeoutError after poolTimeout', async () => {
    const engine = createAsyncEngine('sqlite+sqlite3://:memory:', { poolTimeout: 150 })
    try {
      await using held = await engine.connect()
      await held.execute(text('SELECT 1'))
      const start = performance.now()
      const err = await engine.connect().then(() => undefined, (e: unknown) => e)
      expect(isPoolTimeoutError(err)).toBe(true)
      expect(performance.now() - start).toBeGreaterThanOrEqual(140)
    } finally { await engine.dispose() }
  })
})

describe('SQLite file databases', () => {
  it('resolves a relative path against the working directory and an absolute one as is', async () => {
    const file = tmp('rel.db'); created.push(file)
    const rel = path.relative(process.cwd(), file)
    expect(path.isAbsolute(rel)).toBe(false)
    const a = createAsyncEngine(`sqlite+sqlite3:///${rel}`)
    await a.begin((c) => c.execute(text('CREATE TABLE sqx_pool_rel (v TEXT)')))
    await a.dispose()
    expect(fs.existsSync(file)).toBe(true)
    const b = createAsyncEngine(`sqlite+sqlite3:///${file}`)   // four slashes: absolute
    expect(b.url.database).toBe(file)
    expect((await b.connect((c) => c.execute(text('SELECT count(*) FROM sqx_pool_rel')))).scalar()).toBe(0)
    await b.dispose()
  })

  it('two writers on one file serialize through the busy timeout instead of failing', async () => {
    const file = tmp('writers.db'); created.push(file)
    const engine = createAsyncEngine(`sqlite+sqlite3:///${file}`, { poolSize: 2 })
    try {
      await engine.begin((c) => c.execute(text('CREATE TABLE sqx_pool_w (who TEXT, n INTEGER)')))
      const writer = (who: string) => engine.begin(async (c) => {
        for (let n = 0; n < 5; n++) {
          await c.execute(text('INSERT INTO sqx_pool_w VALUES (:who, :n)'), { who, n })
          await sleep(10)
        }
      })
      await Promise.all([writer('a'), writer('b')])
      expect(engine.pool.status().checkedIn).toBe(2)
      const rows = (await engine.connect((c) => c.execute(text('SELECT who FROM sqx_pool_w ORDER BY rowid')))).scalars().all()
      expect(rows).toHaveLength(10)
      // serialized: one writer's rows all come before the other's
      expect(rows.join('')).toMatch(/^(aaaaabbbbb|bbbbbaaaaa)$/)
    } finally { await engine.dispose() }
    // without a busy timeout the same two writers collide
    const impatient = createAsyncEngine(`sqlite+sqlite3:///${file}?timeout=0`, { poolSize: 2 })
    try {
      const tx = () => impatient.begin(async (c) => { await c.execute(text("INSERT INTO sqx_pool_w VALUES ('c', 0)")); await sleep(50) })
      const outcomes = await Promise.allSettled([tx(), tx()])
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => isLockTimeout((o as PromiseRejectedResult).reason))).toEqual([true])
    } finally { await impatient.dispose() }
  })

  it('survives engine.dispose() and reopens with its rows', async () => {
    const file = tmp('reopen.db'); created.push(file)
    const first = createAsyncEngine(`sqlite+sqlite3:///${file}`)
    await first.begin(async (c) => {
      await c.execute(text('CREATE TABLE sqx_pool_keep (v TEXT)'))
      await c.execute(text("INSERT INTO sqx_pool_keep VALUES ('kept')"))
    })
    await first.dispose()
    const second = createAsyncEngine(`sqlite+sqlite3:///${file}`)
    try {
      expect((await second.connect((c) => c.execute(text('SELECT v FROM sqx_pool_keep')))).scalar()).toBe('kept')
    } finally { await second.dispose() }
  })

  it('takes ?journal_mode=wal and ?mode=ro from the URL', async () => {
    const file = tmp('opts.db'); created.push(file)
    const wal = createAsyncEngine(`sqlite+sqlite3:///${file}?journal_mode=wal`)
    try {
      expect(await wal.connect(async (c) => (await c.execute(text('PRAGMA journal_mode'))).scalar())).toBe('wal')
      // a CTE in front of a write still reports the rows it changed
      const res = await wal.begin(async (c) => {
        await c.execute(text('CREATE TABLE sqx_pool_opts (n INTEGER)'))
        return c.execute(text('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) INSERT INTO sqx_pool_opts SELECT x FROM c'))
      })
      expect(res.rowCount).toBe(3)
    } finally { await wal.dispose() }
    const ro = createAsyncEngine(`sqlite+sqlite3:///${file}?mode=ro`)
    try {
      expect((await ro.connect((c) => c.execute(text('SELECT count(*) FROM sqx_pool_opts')))).scalar()).toBe(3)
      const err = await ro.begin((c) => c.execute(text('INSERT INTO sqx_pool_opts VALUES (4)'))).catch((e: unknown) => e)
      expect(isOperationalError(err) && (err as { code: string }).code === 'SQLITE_READONLY').toBe(true)
    } finally { await ro.dispose() }
  })

  it('turns foreign keys on for every pooled connection', async () => {
    const file = tmp('fk.db'); created.push(file)
    for (const [query, expected] of [['', 1], ['?foreign_keys=off', 0]] as const) {
      const engine = createAsyncEngine(`sqlite+sqlite3:///${file}${query}`, { poolSize: 2 })
      try {
        const a = await engine.connect()
        const b = await engine.connect()
        expect(engine.pool.status().checkedOut).toBe(2)
        for (const c of [a, b]) expect((await c.execute(text('PRAGMA foreign_keys'))).scalar()).toBe(expected)
        await a.close(); await b.close()
      } finally { await engine.dispose() }
    }
  })
})
