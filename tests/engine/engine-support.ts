import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AsyncConnection, type AsyncEngine, type Dialect, type EngineOptions, type MetaData, type StatementEvent, createAsyncEngine, text } from '@retort/core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { BACKENDS, type BackendName, makeEngine } from '../support/backends.js'

/**
 * An engine whose pool really pools on every backend: SQLite `:memory:`
 * is one shared connection, so SQLite gets a file database of its own.
 */
export function poolEngine(name: BackendName, options: EngineOptions = {}): AsyncEngine & { cleanup(): void } {
  if (name !== 'sqlite') return Object.assign(makeEngine(name, options), { cleanup() {} })
  const file = join(tmpdir(), `eng_pool_${randomBytes(6).toString('hex')}.db`)
  const engine = createAsyncEngine(`sqlite+sqlite3:///${file}`, options)
  return Object.assign(engine, { cleanup() { for (const f of [file, file + '-journal']) rmSync(f, { force: true }) } })
}

/** A second engine on the same database (the same SQLite file), with other options. */
export function sibling(engine: AsyncEngine, options: EngineOptions = {}): AsyncEngine {
  return createAsyncEngine(engine.url, options)
}

/** The server's id for this connection (pg backend pid, MariaDB connection id); SQLite has none. */
export async function serverId(name: BackendName, conn: AsyncConnection): Promise<number | undefined> {
  if (name === 'sqlite') return undefined
  const sql = name === 'postgresql' ? 'SELECT pg_backend_pid()' : 'SELECT CONNECTION_ID()'
  return Number((await conn.execute(text(sql))).scalar())
}

/** Which of these server connection ids are still alive, seen from a separate connection. */
export async function aliveIds(name: BackendName, ids: number[]): Promise<number[]> {
  if (name === 'sqlite' || !ids.length) return []
  const observer = makeEngine(name)
  try {
    const sql = name === 'postgresql'
      ? `SELECT pid FROM pg_stat_activity WHERE pid IN (${ids.map(Number).join(',')})`
      : `SELECT id FROM information_schema.processlist WHERE id IN (${ids.map(Number).join(',')})`
    const r = await observer.connect((c) => c.execute(text(sql)))
    return r.scalars().all().map(Number).sort((a, b) => a - b)
  } finally { await observer.dispose() }
}

/** Wait until none of `ids` is alive on the server (connection closes are asynchronous). */
export async function waitGone(name: BackendName, ids: number[], ms = 3000): Promise<number[]> {
  const until = Date.now() + ms
  let alive = await aliveIds(name, ids)
  while (alive.length && Date.now() < until) { await sleep(50); alive = await aliveIds(name, ids) }
  return alive
}

/**
 * Kill a connection the way a server restart or an admin would:
 * `pg_terminate_backend` / `KILL` from another session; SQLite: close its handle.
 */
export async function killConnection(name: BackendName, conn: AsyncConnection, id: number | undefined): Promise<void> {
  if (name === 'sqlite') {
    const raw = conn.rawConnection as { close(cb: (err: Error | null) => void): void }
    await new Promise<void>((resolve) => raw.close(() => resolve()))
    return
  }
  const killer = makeEngine(name)
  try {
    const sql = name === 'postgresql' ? `SELECT pg_terminate_backend(${Number(id)})` : `KILL ${Number(id)}`
    await killer.connect((c) => c.execute(text(sql)))
  } finally { await killer.dispose() }
  await waitGone(name, [id!])
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export { BACKENDS, type BackendName }

/** The error `p` rejects with; fails the test when it resolves. */
export async function failure(p: Promise<unknown>): Promise<Error & { sql?: string; parameters?: readonly unknown[] }> {
  try { await p } catch (e) { return e as Error }
  throw new Error('expected the promise to reject, but it resolved')
}

export type Reorder = (rows: unknown[][]) => void

/** An engine on the same database whose driver hands back multi-row INSERT ... RETURNING rows reordered by `reorder`. */
export async function reorderingEngine(engine: AsyncEngine, reorder: Reorder): Promise<AsyncEngine> {
  await engine.connect(async () => {})
  const real = engine.dialect!
  const dialect: Dialect = Object.create(real)
  ;(dialect as any).connect = async function (this: Dialect, o: any) {
    const conn = await real.connect.call(this, o)
    const query = conn.query.bind(conn)
    ;(conn as any).query = async (sql: string, params: readonly unknown[]) => {
      const res = await query(sql, params)
      if (/^INSERT/.test(sql) && res.rows.length > 1) reorder(res.rows)
      return res
    }
    return conn
  }
  return createAsyncEngine(engine.url, { dialect })
}

/**
 * A statement-spying suite's lifecycle: the metadata's tables created
 * before it and dropped (engine disposed) after it, `tables` emptied before
 * each test, and the statements whose SQL matches `kind` recorded (the list
 * is cleared before each test).
 */
export function spiedTables(engine: AsyncEngine & { cleanup(): void }, metadata: MetaData, tables: readonly string[], kind: RegExp): StatementEvent[] {
  const events: StatementEvent[] = []
  const spy = (e: StatementEvent): void => { if (kind.test(e.sql)) events.push(e) }
  beforeAll(async () => {
    await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) })
    engine.events.on('beforeExecute', spy)
  })
  beforeEach(async () => {
    await engine.begin(async (c) => { for (const t of tables) await c.execute(text(`DELETE FROM ${t}`)) })
    events.length = 0
  })
  afterAll(async () => {
    engine.events.off('beforeExecute', spy)
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
    engine.cleanup()
  })
  return events
}
