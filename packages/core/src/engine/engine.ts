import type { Node } from '../sql/nodes/node.js'
import { type CompiledStatement, StatementCache } from './compiled.js'
import { AsyncConnection } from './connection.js'
import type { Dialect, DriverConnection } from './dialect.js'
import { EngineEvents } from './events.js'
import { type IsolationLevel, isolationLevel } from './isolation.js'
import { Pool, type PoolEntry, type PoolStatus } from './pool.js'
import { resolveDialect } from './registry.js'
import { type DatabaseUrl, parseUrl } from './url.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

export interface EngineOptions {
  poolSize?: number
  maxOverflow?: number
  /** ms to wait for a free connection. */
  poolTimeout?: number
  poolPrePing?: boolean
  /** ms after which a connection is replaced; -1: never. */
  poolRecycle?: number
  /** Log every statement (to `logger`, default `console.log`). */
  echo?: boolean
  logger?: (line: string) => void
  /** Keep bound values out of logs, events and errors. */
  hideParameters?: boolean
  /** `'READ COMMITTED'`, `'SERIALIZABLE'`, ..., or `'AUTOCOMMIT'`. */
  isolationLevel?: IsolationLevel | (string & {})
  /** Runs once per new connection with the driver's connection object. */
  onConnect?: (rawConnection: unknown) => void | Promise<void>
  /** A dialect object to use instead of looking one up by URL. */
  dialect?: Dialect
  /** Compiled-statement cache size (statement shapes). */
  compiledCacheSize?: number
}

type ResolvedOptions = Required<Omit<EngineOptions, 'isolationLevel' | 'onConnect' | 'dialect' | 'logger'>> & Pick<EngineOptions, 'isolationLevel' | 'onConnect' | 'logger'>

/** The engine: a URL, a dialect found on first connect, a pool and a statement cache. */
export class AsyncEngine {
  readonly url: DatabaseUrl
  readonly options: ResolvedOptions
  readonly events = new EngineEvents()
  private _dialect?: Dialect
  private dialectPromise?: Promise<Dialect>
  private _pool?: Pool
  private _cache?: StatementCache
  private initialized?: Promise<void>

  constructor(url: string | DatabaseUrl, options: EngineOptions = {}) {
    this.url = parseUrl(url)
    this.options = {
      poolSize: options.poolSize ?? 5,
      maxOverflow: options.maxOverflow ?? 10,
      poolTimeout: options.poolTimeout ?? 30_000,
      poolPrePing: options.poolPrePing ?? false,
      poolRecycle: options.poolRecycle ?? -1,
      echo: options.echo ?? false,
      hideParameters: options.hideParameters ?? false,
      compiledCacheSize: options.compiledCacheSize ?? 500,
      isolationLevel: isolationLevel(options.isolationLevel),
      onConnect: options.onConnect,
      logger: options.logger,
    }
    this.given = options
    if (options.dialect) this._dialect = options.dialect
  }
  private readonly given: EngineOptions

  /** The dialect, once resolved (after the first connect). */
  get dialect(): Dialect | undefined { return this._dialect }

  /** The pool (`engine.pool.status()`). */
  get pool(): { status(): PoolStatus } {
    return this._pool ?? { status: () => ({ size: this.options.poolSize, checkedIn: 0, checkedOut: 0, overflow: 0 }) }
  }

  /** Resolve the dialect (registry first, then the driver package from the application). */
  async getDialect(): Promise<Dialect> {
    if (this._dialect) return this._dialect
    this.dialectPromise ??= resolveDialect(this.url).then((d) => (this._dialect = d))
    try { return await this.dialectPromise } catch (e) { this.dialectPromise = undefined; throw e }
  }

  private getPool(d: Dialect): Pool {
    if (!this._pool) {
      const defaults = d.poolDefaults?.(this.url) ?? {}
      const o = this.options
      const poolSize = defaults.poolSize ?? (this.given.poolSize ?? o.poolSize)
      const maxOverflow = defaults.maxOverflow ?? (this.given.maxOverflow ?? o.maxOverflow)
      this._pool = new Pool(() => this.openConnection(d), { poolSize, maxOverflow, poolTimeout: o.poolTimeout, poolPrePing: o.poolPrePing, poolRecycle: o.poolRecycle })
    }
    return this._pool
  }

  private async openConnection(d: Dialect): Promise<DriverConnection> {
    let conn: DriverConnection
    try {
      conn = await d.connect({ url: this.url })
    } catch (err) {
      const e = d.convertError(err, { cause: err })
      e.message = `Could not connect to ${this.url}: ${e.message}`
      throw this.url.maskError(e)
    }
    try {
      if (d.initialize) {
        // once per engine, on its first connection; a failed attempt is retried by the next connection
        this.initialized ??= d.initialize(conn).catch((err: unknown) => { this.initialized = undefined; throw err })
        await this.initialized
      }
      if (this.options.onConnect) await this.options.onConnect(conn.raw)
    } catch (err) {
      await conn.close().catch(() => {})
      throw this.url.maskError(err)
    }
    return conn
  }

  /** @internal Check a pooled connection out. */
  async checkout(): Promise<PoolEntry> {
    const d = await this.getDialect()
    return this.getPool(d).acquire()
  }
  /** @internal Give a connection back to the pool it came from (closed there when invalid), maybe with its ROLLBACK still running. */
  release(entry: PoolEntry, invalidate: boolean, reset?: Promise<boolean>): void {
    entry.pool.release(entry, invalidate, reset)
  }
  /** @internal After a disconnect error: retire every connection of that pool (the server likely restarted). */
  invalidatePool(entry: PoolEntry): void {
    entry.pool.invalidateAll()
  }
  /** @internal Whether the entry's pool was disposed. */
  isDisposedEntry(entry: PoolEntry | undefined): boolean {
    return !!entry && entry.pool.disposed
  }

  /** Check out a connection (`await using conn = await engine.connect()`), or run `fn` with one and release it. */
  connect(): Promise<AsyncConnection>
  connect<T>(fn: (conn: AsyncConnection) => Promise<T>): Promise<T>
  async connect<T>(fn?: (conn: AsyncConnection) => Promise<T>): Promise<AsyncConnection | T> {
    const entry = await this.checkout()
    const conn = new AsyncConnection(this, entry)
    if (!fn) return conn
    try { return await fn(conn) } finally { await conn.close() }
  }

  /** Run `fn` in a transaction: commit when it returns, roll back when it throws. */
  async begin<T>(fn: (conn: AsyncConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect()
    try {
      const tx = await conn.begin()
      let out: T
      try { out = await fn(conn) } catch (e) { await tx.rollback().catch(() => {}); throw e }
      await tx.commit()
      return out
    } finally { await conn.close() }
  }

  /** @internal Compile through the statement cache. */
  compile(stmt: Node): CompiledStatement {
    return this.cache().compile(stmt)
  }

  /** Statement cache statistics: compiler runs and hits. */
  cacheStats(): { compilations: number; hits: number; size: number } {
    const c = this._cache
    return { compilations: c?.compilations ?? 0, hits: c?.hits ?? 0, size: c?.size ?? 0 }
  }

  private cache(): StatementCache {
    if (!this._cache) {
      if (!this._dialect) throw new Error('internal: statement compiled before the dialect was resolved')
      this._cache = new StatementCache(this._dialect, this.options.compiledCacheSize)
    }
    return this._cache
  }

  /** @internal Parameters as logs, events and errors may show them. */
  shownParameters(values: readonly unknown[]): readonly unknown[] | undefined {
    return this.options.hideParameters ? undefined : values
  }

  /** @internal */
  log(sql: string, values: readonly unknown[]): void {
    const line = this.url.maskIn(this.options.hideParameters ? `${sql}  [parameters hidden]` : `${sql}  ${formatParams(values)}`)
    ;(this.options.logger ?? console.log)(line)
  }

  /** Close idle connections now and checked-out ones when returned; later connects open a fresh pool. */
  async dispose(): Promise<void> {
    const pool = this._pool
    this._pool = undefined
    if (pool) await pool.dispose()
  }

  toString(): string { return `AsyncEngine(${this.url})` }
  [INSPECT](): string { return this.toString() }
}

function formatParams(values: readonly unknown[]): string {
  return '[' + values.map((v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : JSON.stringify(v))).join(', ') + ']'
}

/** Create an engine. Synchronous: the dialect is found and the first connection opened on first use. */
export function createAsyncEngine(url: string | DatabaseUrl, options: EngineOptions = {}): AsyncEngine {
  return new AsyncEngine(url, options)
}
