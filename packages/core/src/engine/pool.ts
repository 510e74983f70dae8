import { PoolTimeoutError, ResourceClosedError } from '../errors/errors.js'
import type { DriverConnection } from './dialect.js'

export interface PoolOptions {
  poolSize: number
  maxOverflow: number
  /** ms to wait for a connection before `PoolTimeoutError`. */
  poolTimeout: number
  /** Test each connection with a ping before handing it out. */
  poolPrePing: boolean
  /** ms after which a connection is replaced on checkout; -1: never. */
  poolRecycle: number
}

export interface PoolStatus { size: number; checkedIn: number; checkedOut: number; overflow: number }

/** A pooled connection and its bookkeeping. */
export interface PoolEntry { conn: DriverConnection; createdAt: number }

interface Waiter { resolve: (e: PoolEntry) => void; reject: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }

/**
 * One queue pool for every dialect, after SQLAlchemy's QueuePool: up to
 * `poolSize` kept connections plus `maxOverflow` temporary ones; broken
 * connections are closed, never handed out again.
 */
export class Pool {
  private idle: PoolEntry[] = []
  private out = new Set<PoolEntry>()
  private opening = 0
  private waiters: Waiter[] = []
  private closed = false
  get disposed(): boolean { return this.closed }

  constructor(private readonly open: () => Promise<DriverConnection>, readonly options: PoolOptions) {}

  status(): PoolStatus {
    const total = this.idle.length + this.out.size
    return { size: this.options.poolSize, checkedIn: this.idle.length, checkedOut: this.out.size, overflow: Math.max(0, total - this.options.poolSize) }
  }

  private get total(): number { return this.idle.length + this.out.size + this.opening }
  private get capacity(): number { return this.options.poolSize + Math.max(0, this.options.maxOverflow) }

  /** Check a connection out, opening one or waiting for one as needed. */
  async acquire(): Promise<PoolEntry> {
    if (this.closed) throw new ResourceClosedError('This engine was disposed')
    for (;;) {
      const e = this.idle.pop()
      if (!e) break
      if (await this.usable(e)) { this.out.add(e); return e }
    }
    if (this.total < this.capacity) return this.create()
    return new Promise<PoolEntry>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new PoolTimeoutError(`No connection became free within ${this.options.poolTimeout} ms (poolSize ${this.options.poolSize}, maxOverflow ${this.options.maxOverflow}, all ${this.out.size} checked out)`))
      }, this.options.poolTimeout)
      const waiter: Waiter = { resolve, reject, timer }
      this.waiters.push(waiter)
    })
  }

  private async create(): Promise<PoolEntry> {
    this.opening++
    try {
      const conn = await this.open()
      const e = { conn, createdAt: Date.now() }
      this.out.add(e)
      return e
    } finally { this.opening-- }
  }

  private async usable(e: PoolEntry): Promise<boolean> {
    const { poolRecycle, poolPrePing } = this.options
    let ok = !e.conn.broken && !(poolRecycle >= 0 && Date.now() - e.createdAt > poolRecycle)
    if (ok && poolPrePing) ok = await e.conn.ping().then(() => true, () => false)
    if (!ok) void e.conn.close().catch(() => {})
    return ok
  }

  /** Give a connection back; an invalid or broken one is closed and its slot freed. */
  release(e: PoolEntry, invalidate = false): void {
    if (!this.out.delete(e)) return
    if (invalidate || e.conn.broken || this.closed) {
      void e.conn.close().catch(() => {})
      this.serveWaiterWithNew()
      return
    }
    const w = this.waiters.shift()
    if (w) { clearTimeout(w.timer); this.out.add(e); w.resolve(e); return }
    if (this.idle.length >= this.options.poolSize) { void e.conn.close().catch(() => {}); return }
    this.idle.push(e)
  }

  private serveWaiterWithNew(): void {
    const w = this.waiters.shift()
    if (!w) return
    clearTimeout(w.timer)
    this.create().then(w.resolve, w.reject)
  }

  /** Close idle connections now; checked-out ones close when returned. */
  async dispose(): Promise<void> {
    this.closed = true
    const idle = this.idle
    this.idle = []
    for (const w of this.waiters) { clearTimeout(w.timer); w.reject(new ResourceClosedError('This engine was disposed')) }
    this.waiters = []
    await Promise.all(idle.map((e) => e.conn.close().catch(() => {})))
  }
}
