/**
 * The three backends, each opened twice: once through Retort (one checked-out
 * `AsyncConnection`) and once with the raw driver (one connection of its own),
 * so both sides run on a single connection with the same server settings.
 * Tables are `bench_*`, created here and dropped at the end.
 */
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AsyncConnection, type AsyncEngine, Bool, DateTime, type Dialect, Float, Integer, MetaData, Text, column, createAsyncEngine, insert, table,
} from '@retort/core'
import '@retort/postgres'
import '@retort/mysql'
import '@retort/sqlite'
import mysql from 'mysql2/promise'
import pg, { type Client as PgClient } from 'pg'
import sqlite3 from 'sqlite3'

export const metadata = new MetaData()

/** The columns of every item table (integer key, text, integer, float, bool, timestamp). */
export function itemColumns() {
  return {
    id: column(Integer, { primaryKey: true }),
    name: column(Text, { nullable: false }),
    qty: column(Integer, { nullable: false }),
    price: column(Float, { nullable: false }),
    active: column(Bool, { nullable: false }),
    created: column(DateTime, { nullable: false }),
  }
}

/** The table read by the select benchmarks (10k rows). */
export const items = table('bench_items', itemColumns(), { metadata })

/** The table the insert benchmarks write to (emptied after each round). */
export const inserts = table('bench_inserts', itemColumns(), { metadata })

export const SEED_ROWS = 10_000

/** A row as both sides insert it (same values for Retort and the raw driver). */
export function itemRow(i: number): { name: string; qty: number; price: number; active: boolean; created: Date } {
  return { name: `item ${i}`, qty: i % 97, price: (i % 1000) / 8, active: i % 3 === 0, created: new Date(Date.UTC(2024, 0, 1, 0, 0, i % 86_400)) }
}

/** The raw driver connection of a backend. */
export type RawDriver =
  | { kind: 'pg'; client: PgClient }
  | { kind: 'mysql2'; conn: mysql.Connection }
  | { kind: 'sqlite3'; db: sqlite3.Database }

export interface Backend {
  name: 'postgresql' | 'mariadb' | 'sqlite'
  url: string
  engine: AsyncEngine
  /** Retort's connection (one, checked out for the whole run). */
  conn: AsyncConnection
  dialect: Dialect
  raw: RawDriver
  /**
   * Close the raw connection and open a new one, before each benchmark: a
   * MySQL/MariaDB server keeps a connection's network buffer at the largest
   * statement it has sent, and a grown buffer slows its later large reads
   * (1.5× for 10k rows after one 600 KB INSERT), so one benchmark's big raw
   * INSERT must not slow the next benchmark's raw baseline.
   */
  reopenRaw(): Promise<void>
  /** Run SQL on the raw connection (setup/teardown helpers, not timed paths). */
  rawExec(sql: string, params?: unknown[]): Promise<unknown[]>
  /** Cleanups that suites register (e.g. dropping their `bench_orm_*` tables), run by `close()` before the engine goes. */
  onClose: (() => Promise<void>)[]
  close(): Promise<void>
}

export const BACKEND_NAMES = ['postgresql', 'mariadb', 'sqlite'] as const

const sqlitePath = join(tmpdir(), `retort-bench-${process.pid}.sqlite`)

function urlOf(name: Backend['name']): string {
  switch (name) {
    case 'postgresql': return process.env.RETORT_PG_URL ?? 'postgresql+pg://postgres@127.0.0.1:5432/test'
    case 'mariadb': return process.env.RETORT_MARIADB_URL ?? 'mariadb+mysql2://root@127.0.0.1:3306/test'
    // a file (not :memory:) so the raw driver and Retort read the same database
    case 'sqlite': return `sqlite+sqlite3:///${sqlitePath}`
  }
}

async function openRaw(name: Backend['name'], engine: AsyncEngine): Promise<RawDriver> {
  const u = engine.url
  switch (name) {
    case 'postgresql': {
      const client = new pg.Client({ host: u.host, port: u.port, user: u.username, password: u.password, database: u.database })
      await client.connect()
      return { kind: 'pg', client }
    }
    case 'mariadb':
      return { kind: 'mysql2', conn: await mysql.createConnection({ host: u.host, port: u.port, user: u.username, password: u.password, database: u.database }) }
    case 'sqlite':
      return {
        kind: 'sqlite3',
        // the same connection setup as Retort's: SQLite checks foreign keys only when a connection turns them on
        db: await new Promise<sqlite3.Database>((resolve, reject) => {
          const db = new sqlite3.Database(sqlitePath, (err) => (err ? reject(err) : db.run('PRAGMA foreign_keys = ON', (e) => (e ? reject(e) : resolve(db)))))
        }),
      }
  }
}

/** Promisified sqlite3 calls for the raw baseline (the driver's own API is callback-based). */
export const sqliteAll = (db: sqlite3.Database, sql: string, params: unknown[]): Promise<unknown[]> =>
  new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))))
export const sqliteGet = (db: sqlite3.Database, sql: string, params: unknown[]): Promise<unknown> =>
  new Promise((resolve, reject) => db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row))))
export const sqliteRun = (db: sqlite3.Database, sql: string, params: unknown[]): Promise<void> =>
  new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())))

/**
 * `coreTables: false` (a run of the ORM group only) leaves `bench_items` and
 * `bench_inserts` alone: the ORM suites create their own `bench_orm_*`
 * tables, so an ORM run does not drop the tables of a Core run.
 */
export async function openBackend(name: Backend['name'], { coreTables = true }: { coreTables?: boolean } = {}): Promise<Backend> {
  if (name === 'sqlite') for (const f of [sqlitePath, sqlitePath + '-journal']) rmSync(f, { force: true })
  const url = urlOf(name)
  const engine = createAsyncEngine(url, { poolSize: 2, maxOverflow: 0 })
  if (coreTables) await engine.begin(async (c) => {
    await metadata.dropAll(c)
    await metadata.createAll(c)
    const rows = Array.from({ length: SEED_ROWS }, (_, i) => ({ id: i + 1, ...itemRow(i + 1) }))
    await c.executeMany(insert(items), rows)
  })
  const conn = await engine.connect()
  let raw = await openRaw(name, engine)
  const rawExec = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    switch (raw.kind) {
      case 'pg': return (await raw.client.query(sql, params)).rows
      case 'mysql2': return (await raw.conn.query(sql, params))[0] as unknown[]
      case 'sqlite3': return sqliteAll(raw.db, sql, params)
    }
  }
  const onClose: (() => Promise<void>)[] = []
  const closeRaw = async (): Promise<void> => {
    switch (raw.kind) {
      case 'pg': await raw.client.end(); break
      case 'mysql2': await raw.conn.end(); break
      case 'sqlite3': { const db = raw.db; await new Promise<void>((resolve) => db.close(() => resolve())) }
    }
  }
  const backend: Backend = {
    name, url, engine, conn, dialect: engine.dialect!, raw, rawExec, onClose,
    async reopenRaw() {
      await closeRaw()
      backend.raw = raw = await openRaw(name, engine)
    },
    async close() {
      for (const fn of onClose.splice(0)) await fn()
      await closeRaw()
      await conn.rollback()
      if (coreTables) { await metadata.dropAll(conn); await conn.commit() }
      await conn.close()
      await engine.dispose()
      if (name === 'sqlite') for (const f of [sqlitePath, sqlitePath + '-journal']) rmSync(f, { force: true })
    },
  }
  return backend
}
