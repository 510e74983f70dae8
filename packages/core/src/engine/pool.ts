import { PoolTimeoutError, ResourceClosedError } from '../errors/errors.js'
import type { DriverConnection } from './dialect.js'

export interface PoolOptions {
  /** Connections kept open while idle. */
  poolSize: number
  /** Extra connections opened under load and closed when returned; -1: no limit. */
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
export interface PoolEntry {
  readonly conn: DriverConnection
  readonly createdAt: number
  /** The pool's generation when opened: `invalidateAll()` retires older ones. */
  readonly generation: number
  readonly pool: Pool
  /**
   * The ROLLBACK a connection was given back with, while it runs (resolves
   * true when it succeeded; never rejects): a checkout takes such a
   * connection only when no other is idle, and waits for it.
   */
  resetting?: Promise<boolean>
  /** That ROLLBACK failed: the connection is closed instead of handed out. */
  resetFailed?: boolean
}

/** A waiting checkout: resolved with a handed-over entry, or `undefined` when a slot freed up. */
interface Waiter { wake: (e: PoolEntry | undefined) => void; fail: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }

/**
 * One queue pool for every dialect, after SQLAlchemy's QueuePool: up to
 * `poolSize` kept connections plus `maxOverflow` temporary ones, handed out
 * newest first; broken, recycled or invalidated connections are closed and
 * never handed out again.
 */
export class Pool {
  private idle: PoolEntry[] = []
  private readonly out = new Set<PoolEntry>()
  private opening = 0
  private waiters: Waiter[] = []
  private closed = false
  private generation = 0

  constructor(private readonly open: () => Promise<DriverConnection>, readonly options: PoolOptions) {}

  /** Whether `dispose()` was called. */
  get disposed(): boolean { return this.closed }

  /** Counts as SQLAlchemy reports them; `overflow` is how many connections exceed `poolSize`. */
  status(): PoolStatus {
    const total = this.idle.length + this.out.size
    return { size: this.options.poolSize, checkedIn: this.idle.length, checkedOut: this.out.size, overflow: Math.max(0, total - this.options.poolSize) }
  }

  private get total(): number { return this.idle.length + this.out.size + this.opening }
  private get capacity(): number {
    return this.options.maxOverflow < 0 ? Infinity : this.options.poolSize + this.options.maxOverflow
  }

  /** Check a connection out: an idle one that passes the checks, a new one, or one given back within `poolTimeout`. */
  async acquire(): Promise<PoolEntry> {
    const deadline = Date.now() + this.options.poolTimeout
    for (;;) {
      if (this.closed) throw new ResourceClosedError('This engine was disposed')
      let e = this.takeIdle()
      if (e) this.out.add(e)
      else if (this.total < this.capacity) return this.create()
      else e = await this.wait(deadline)
      if (!e) continue
      if (await this.usable(e, deadline)) return e
      this.discard(e)
    }
  }

  /** The newest idle connection, preferring one that is not still rolling back. */
  private takeIdle(): PoolEntry | undefined {
    const idle = this.idle
    for (let i = idle.length - 1; i >= 0; i--) if (idle[i].resetting === undefined) return idle.splice(i, 1)[0]
    return idle.pop()
  }

  private timeout(): PoolTimeoutError {
    const { poolSize, maxOverflow, poolTimeout } = this.options
    return new PoolTimeoutError(`No connection became free within ${poolTimeout} ms (poolSize ${poolSize}, maxOverflow ${maxOverflow}, ${this.out.size} checked out)`)
  }

  private wait(deadline: number): Promise<PoolEntry | undefined> {
    return new Promise<PoolEntry | undefined>((resolve, reject) => {
      const waiter: Waiter = {
        wake: resolve,
        fail: reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter)
          reject(this.timeout())
        }, Math.max(0, deadline - Date.now())),
      }
      this.waiters.push(waiter)
    })
  }

  private async create(): Promise<PoolEntry> {
    this.opening++
    let conn: DriverConnection
    try {
      conn = await this.open()
    } catch (err) {
      this.opening--
      this.wakeOne(undefined) // a waiter may try its own connect in the freed slot
      throw err
    }
    this.opening--
    const e: PoolEntry = { conn, createdAt: Date.now(), generation: this.generation, pool: this }
    this.out.add(e)
    if (this.closed) { this.discard(e); throw new ResourceClosedError('This engine was disposed while connecting') }
    return e
  }

  /** Checked-out entry still fit for use? Applies the broken flag, recycle, invalidation and pre-ping. */
  private async usable(e: PoolEntry, deadline: number): Promise<boolean> {
    if (e.resetting !== undefined && !(await this.resetBy(e, deadline))) return false
    if (e.resetFailed || this.closed) return false
    if (this.stale(e)) return false
    if (!this.options.poolPrePing) return true
    return e.conn.ping().then(() => !e.conn.broken, () => false)
  }

  /**
   * Wait for a checked-out connection's ROLLBACK, up to the checkout's
   * deadline; still running then, the connection goes back to the idle list
   * and the checkout fails as one that found no free connection.
   */
  private async resetBy(e: PoolEntry, deadline: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now())) })
    const ok = await Promise.race([e.resetting!, late])
    clearTimeout(timer)
    if (ok !== undefined) return ok
    this.out.delete(e)
    if (this.closed) void closeEntry(e)
    else this.idle.push(e)
    throw this.timeout()
  }

  private stale(e: PoolEntry): boolean {
    const { poolRecycle } = this.options
    return e.conn.broken || e.generation < this.generation || (poolRecycle >= 0 && Date.now() - e.createdAt > poolRecycle)
  }

  /** Close a checked-out entry and free its slot. */
  private discard(e: PoolEntry): void {
    this.out.delete(e)
    void closeEntry(e)
    this.wakeOne(undefined)
  }

  private wakeOne(e: PoolEntry | undefined): boolean {
    const w = this.waiters.shift()
    if (!w) return false
    clearTimeout(w.timer)
    w.wake(e)
    return true
  }

  /**
   * Give a connection back. Broken, invalidated or stale ones close; so do
   * overflow ones when the pool is full. `reset`: a ROLLBACK still running on
   * it (resolving true when it succeeded); the connection is handed out again
   * only after it, and closed when it failed.
   */
  release(e: PoolEntry, invalidate = false, reset?: Promise<boolean>): void {
    if (!this.out.has(e)) return // returned twice: no-op
    if (reset !== undefined) {
      const settled = reset.then((ok) => ok, () => false)
      e.resetting = settled
      void settled.then((ok) => { if (e.resetting === settled) e.resetting = undefined; if (!ok) e.resetFailed = true })
    }
    if (invalidate || this.closed || this.stale(e)) { this.discard(e); return }
    if (this.wakeOne(e)) return // handed over, stays checked out
    this.out.delete(e)
    if (this.idle.length >= this.options.poolSize) { void closeEntry(e); return }
    this.idle.push(e)
  }

  /**
   * Retire every connection opened so far (SQLAlchemy does this on a
   * disconnect error: the server probably restarted). Idle ones close now,
   * checked-out ones when returned.
   */
  invalidateAll(): void {
    this.generation++
    const idle = this.idle
    this.idle = []
    for (const e of idle) void closeEntry(e)
  }

  /** Close idle connections now; checked-out ones close when returned. Waiting checkouts fail. */
  async dispose(): Promise<void> {
    this.closed = true
    const idle = this.idle
    this.idle = []
    for (const w of this.waiters) { clearTimeout(w.timer); w.fail(new ResourceClosedError('This engine was disposed')) }
    this.waiters = []
    await Promise.all(idle.map(closeEntry))
  }
}

/** Close a connection once its reset (if any) has run; errors are of no interest any more. */
async function closeEntry(e: PoolEntry): Promise<void> {
  if (e.resetting !== undefined) await e.resetting
  await e.conn.close().catch(() => {})
}
