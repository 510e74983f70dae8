import type { AsyncConnection, ExecuteOptions } from '../../engine/connection.js'
import type { AsyncEngine } from '../../engine/engine.js'
import type { Transaction } from '../../engine/transaction.js'
import type { Result, ScalarResult } from '../../engine/result.js'
import { ArgumentError, NoResultFound, PendingRollbackError } from '../../errors/errors.js'
import type { Select } from '../../sql/builders/select.js'
import type { Node } from '../../sql/nodes/node.js'
import { executeOrmSelect, isOrmSelect } from '../loading/orm-execute.js'
import { selectinLoad } from '../loading/selectin.js'
import { type InstanceState, stateOf } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import type { ModelCtor } from '../mapping/types.js'
import { relationshipOf } from '../relationships/relationship.js'
import { cascadeSaveUpdate } from '../unit-of-work/flush-plan.js'
import { flushSession } from '../unit-of-work/flush.js'
import { executeOrmBulk, isOrmBulk } from './bulk.js'
import { ConcurrencyGuard } from './concurrency.js'
import { IdentityMap } from './identity-map.js'
import { deleteObject, getObject, isModified, mergeObject, refreshObject } from './session-ops.js'
import { type SessionCore, type TxScope, newScope } from './session-core.js'
import { SessionEvents } from './session-events.js'
import { NestedTransaction } from './nested-transaction.js'
import { clearGenerated, committedScope, expireState, mergeScope, undoScope } from './transaction-undo.js'

type RowsOf<S> = S extends { readonly __row?: infer R } ? (R extends unknown[] ? R : unknown[]) : unknown[]

export interface SessionOptions {
  /** Expire every loaded object on commit (default true, as in SQLAlchemy). */
  expireOnCommit?: boolean
  /** Flush pending changes before each query (default true). */
  autoflush?: boolean
}

/**
 * The unit of work: tracks new, changed and deleted objects, keeps one
 * object per row (identity map), flushes in dependency order, and holds
 * a connection only while a transaction is open. One session serves one
 * task at a time.
 */
export class AsyncSession implements SessionCore, AsyncDisposable {
  readonly identityMap = new IdentityMap()
  readonly newStates = new Set<InstanceState>()
  readonly dirtyStates = new Set<InstanceState>()
  readonly deletedStates = new Set<InstanceState>()
  /** `session.events.on('beforeFlush' | 'afterFlush' | 'afterCommit' | 'afterRollback', async (session) => ...)`. */
  readonly events = new SessionEvents<AsyncSession>()
  readonly expireOnCommit: boolean
  autoflushEnabled: boolean
  private conn: AsyncConnection | undefined
  private readonly scopes: TxScope[] = []
  /** Open savepoints; `savepoints[i]` belongs to `scopes[i + 1]`. */
  private readonly savepoints: Transaction[] = []
  private failure: unknown
  private flushing = false
  private readonly guard = new ConcurrencyGuard()

  constructor(readonly engine: AsyncEngine, options: SessionOptions = {}) {
    this.expireOnCommit = options.expireOnCommit ?? true
    this.autoflushEnabled = options.autoflush ?? true
  }

  // ---- StateOwner / SessionCore -------------------------------------------
  get isOpen(): boolean { return true }
  get scope(): TxScope { if (!this.scopes.length) this.scopes.push(newScope()); return this.scopes[this.scopes.length - 1] }
  lookup(mapper: Mapper, key: string): object | undefined { return this.identityMap.get(mapper, key) }
  markDirty(st: InstanceState): void {
    if (st.owner !== this) return
    if (st.status === 'persistent') this.dirtyStates.add(st)
    else if (st.status === 'pending') this.cascadeStale = true
  }
  /** @internal */ cascadeStale = false
  cascadeAdd(_obj: object, st: InstanceState): void { this.attach(st); cascadeSaveUpdate(this, [st]) }
  loadRelationship(obj: object, key: string): Promise<unknown> { return this.load(obj as Record<string, unknown>, key) }
  /** @internal */ flushNow(): Promise<void> { return this.flushInner() }

  /** @internal */
  attach(st: InstanceState): void {
    if (st.owner && st.owner !== this) throw new ArgumentError(`${st.mapper.name} object is already in another session; expunge it there, or merge() it into this one`)
    st.owner = this
    if (st.identityKey !== undefined && (st.status === 'detached' || st.status === 'persistent')) {
      const existing = this.identityMap.get(st.mapper, st.identityKey)
      if (existing && existing !== st.obj) throw new ArgumentError(`another ${st.mapper.name} object with key ${st.identityKey} is already in this session; use merge()`)
      st.status = 'persistent'
      this.identityMap.add(st)
    } else if (st.status === 'transient' || st.status === 'detached') {
      st.status = 'pending'
      this.newStates.add(st)
      this.scope.added.push(st)
    }
  }
  /** @internal */
  register(st: InstanceState): void { this.identityMap.add(st); this.newStates.delete(st) }
  /** @internal */
  detach(st: InstanceState): void {
    // an object that leaves may still be reachable from new ones: the next flush walks their cascades again
    this.cascadeStale = true
    this.identityMap.remove(st)
    this.newStates.delete(st)
    this.dirtyStates.delete(st)
    this.deletedStates.delete(st)
    st.owner = undefined
    st.status = st.identityKey !== undefined ? 'detached' : 'transient'
  }

  /** @internal The open transaction's connection, begun on first use. */
  async connection(): Promise<AsyncConnection> {
    this.checkFailed()
    if (!this.conn) {
      const c = await this.engine.connect()
      try { await c.begin() } catch (e) { await c.close(); throw e }
      this.conn = c
      void this.scope
    }
    return this.conn
  }

  private checkFailed(): void {
    if (this.failure !== undefined) {
      const msg = (this.failure as Error)?.message ?? String(this.failure)
      throw new PendingRollbackError(`This session's transaction was rolled back because a flush failed (${msg}); call await session.rollback() before using the session again`, { cause: this.failure })
    }
  }

  private run<T>(what: string, fn: () => Promise<T>): Promise<T> { return this.guard.run(this, what, fn) }

  // ---- the object sets ------------------------------------------------------
  /** Objects added and not flushed yet. */
  get new(): Set<object> { return new Set([...this.newStates].map((s) => s.obj)) }
  /** Persistent objects with changes not flushed yet. */
  get dirty(): Set<object> { return new Set([...this.dirtyStates].filter((s) => isModified(s)).map((s) => s.obj)) }
  /** Objects marked for deletion and not flushed yet. */
  get deleted(): Set<object> { return new Set([...this.deletedStates].map((s) => s.obj)) }

  // ---- synchronous ----------------------------------------------------------
  /** Add an object (and what it cascades to) to the session. */
  add(obj: object): void {
    const st = stateOf(obj)
    if (this.deletedStates.delete(st)) return
    this.attach(st)
    cascadeSaveUpdate(this, [st])
  }
  /** Add several objects (in order: their rows are inserted in the order they were added). */
  addAll(objs: Iterable<object>): void { for (const o of objs) this.add(o) }
  /** Remove an object from the session (its changes are forgotten). */
  expunge(obj: object): void { const st = stateOf(obj); if (st.owner === this) this.detach(st) }
  /** Remove every object from the session. */
  expungeAll(): void { for (const st of [...this.newStates]) this.detach(st); for (const o of [...this.identityMap.objects()]) this.detach(stateOf(o)) }
  /** Drop loaded values (all, or the named attributes): the next read needs a refresh. */
  expire(obj: object, attrs?: readonly string[]): void {
    const st = stateOf(obj)
    if (st.owner !== this || st.status !== 'persistent') throw new ArgumentError(`${st.mapper.name} object is not persistent in this session (status ${st.status}); nothing to expire`)
    expireState(st, attrs)
    if (!attrs) this.dirtyStates.delete(st)
  }
  /** Expire every object in the session. */
  expireAll(): void { for (const o of this.identityMap.objects()) expireState(stateOf(o)); this.dirtyStates.clear() }
  /** Whether an object has changes not flushed yet. */
  isModified(obj: object): boolean { return isModified(stateOf(obj)) }

  // ---- async ----------------------------------------------------------------
  /** Mark an object for deletion (delete cascades load what they need). */
  delete(obj: object): Promise<void> { return this.run('delete()', () => deleteObject(this, obj)) }
  /** Write pending changes (in the open transaction, begun if needed). */
  flush(): Promise<void> { return this.run('flush()', () => this.flushInner()) }

  private async flushInner(): Promise<void> {
    if (this.flushing) return
    this.checkFailed()
    if (!this.newStates.size && !this.dirtyStates.size && !this.deletedStates.size) return
    this.flushing = true
    try {
      await this.events.emit('beforeFlush', this)
      await flushSession(this)
    } catch (e) {
      this.failure = e
      // inside a savepoint only the savepoint is rolled back (its rollback() then lets the outer transaction go on);
      // otherwise the whole transaction goes
      const sp = this.savepoints[this.savepoints.length - 1]
      if (sp) await sp.rollback().catch(() => this.releaseConnection('rollback'))
      else await this.releaseConnection('rollback')
      throw e
    } finally {
      this.flushing = false
    }
    await this.events.emit('afterFlush', this)
  }

  /** Flush, commit, and give the connection back; expire objects when `expireOnCommit`. */
  commit(): Promise<void> { return this.run('commit()', () => this.commitInner()) }
  private async commitInner(): Promise<void> {
    await this.flushInner()
    if (this.conn) await this.conn.commit()
    await this.releaseConnection('commit')
    for (const s of this.scopes) committedScope(s)
    this.scopes.length = 0
    this.savepoints.length = 0
    if (this.expireOnCommit) this.expireAll()
    await this.events.emit('afterCommit', this)
  }

  /** Roll back and give the connection back; undo the transaction's effects on objects. */
  rollback(): Promise<void> { return this.run('rollback()', () => this.rollbackInner()) }
  private async rollbackInner(): Promise<void> {
    await this.releaseConnection('rollback')
    this.failure = undefined
    const all = newScope()
    for (const s of this.scopes) mergeScope(all, s)
    this.scopes.length = 0
    this.savepoints.length = 0
    undoScope(this, all, this.identityMap.objects())
    await this.events.emit('afterRollback', this)
  }

  /** Give the connection back: after a commit, rolled back first (`'rollback'`), or rolled back by the pool without waiting (`'close'`). */
  private async releaseConnection(how: 'commit' | 'rollback' | 'close'): Promise<void> {
    const c = this.conn
    this.conn = undefined
    if (!c) return
    try { if (how === 'rollback') await c.rollback().catch(() => {}) } finally { await c.close() }
  }

  /** Roll back what is open and detach every object (they keep their loaded values). */
  close(): Promise<void> {
    return this.run('close()', async () => {
      await this.releaseConnection('close')
      this.failure = undefined
      this.identityMap.forEach((o) => {
        const st = stateOf(o)
        st.owner = undefined
        st.status = 'detached'
      })
      // objects inserted in the transaction that closing rolled back lose what the database gave them
      for (const scope of this.scopes) for (const st of scope.inserted) { clearGenerated(st); st.status = 'transient' }
      for (const st of this.newStates) { st.owner = undefined; st.status = 'transient' }
      this.scopes.length = 0
      this.savepoints.length = 0
      this.identityMap.clear()
      this.newStates.clear()
      this.dirtyStates.clear()
      this.deletedStates.clear()
    })
  }
  async [Symbol.asyncDispose](): Promise<void> { await this.close() }

  /** Run `fn` in a transaction: commit when it returns, roll back when it throws. */
  begin<T>(fn: (session: this) => Promise<T>): Promise<T> {
    return this.run('begin()', async () => {
      await this.connection()
      let out: T
      try { out = await fn(this) } catch (e) { await this.rollbackInner(); throw e }
      await this.commitInner()
      return out
    })
  }

  /** A SAVEPOINT: its `rollback()` undoes only what happened inside it. */
  beginNested(): Promise<NestedTransaction> {
    return this.run('beginNested()', async () => {
      await this.flushInner()
      const conn = await this.connection()
      const tx = await conn.beginNested()
      const scope = newScope()
      this.scopes.push(scope)
      this.savepoints.push(tx)
      return new NestedTransaction(tx, {
        commit: () => this.run('commit()', async () => {
          await this.flushInner()
          await tx.commit()
          this.popScope(scope, true)
        }),
        rollback: () => this.run('rollback()', async () => {
          if (!this.conn) { await this.rollbackInner(); return } // the whole transaction is gone already
          await tx.rollback()
          this.failure = undefined
          this.popScope(scope, false)
        }),
      })
    })
  }

  private popScope(scope: TxScope, keep: boolean): void {
    const i = this.scopes.lastIndexOf(scope)
    if (i < 0) return
    this.savepoints.length = Math.max(0, i - 1)
    const inner = this.scopes.splice(i)
    const merged = newScope()
    for (const s of inner) mergeScope(merged, s)
    if (keep) { mergeScope(this.scope, merged); return }
    const touched = [...merged.updated, ...this.dirtyStates].map((s) => s.obj)
    undoScope(this, merged, touched)
  }

  /** Run a statement; selects of models return the session's objects. */
  execute<S extends Node>(stmt: S, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<Result<RowsOf<S>>> {
    return this.run('execute()', async () => {
      this.checkFailed()
      if (this.autoflushEnabled) await this.flushInner()
      if (isOrmSelect(stmt)) return executeOrmSelect(this, stmt, params, options)
      const conn = await this.connection()
      if (isOrmBulk(stmt)) return executeOrmBulk(this, conn, stmt, params, options)
      return conn.execute(stmt, params, options)
    }) as Promise<Result<RowsOf<S>>>
  }
  /** The first column of every row (for `select(User)`: the users). */
  async scalars<S extends Node>(stmt: S, params?: Record<string, unknown>): Promise<ScalarResult<RowsOf<S>[0]>> {
    return (await this.execute(stmt, params)).scalars()
  }
  /** The first column of the first row, or undefined. */
  async scalar<S extends Node>(stmt: S, params?: Record<string, unknown>): Promise<RowsOf<S>[0] | undefined> {
    return (await this.execute(stmt, params)).scalar()
  }

  /** The object with this primary key (an array for composite keys), or undefined. */
  get<T>(cls: ModelCtor<T>, pk: unknown): Promise<T | undefined> {
    return this.run('get()', async () => {
      this.checkFailed()
      return getObject(this, cls, pk, (s: Select<any>) => this.executeInner(s)) as Promise<T | undefined>
    })
  }
  private async executeInner(stmt: Select<any>): Promise<Result<any>> {
    if (this.autoflushEnabled) await this.flushInner()
    return executeOrmSelect(this, stmt)
  }

  /** Reload an object's attributes (all columns, or the named attributes) from the database. */
  refresh(obj: object, attrs?: readonly string[]): Promise<void> {
    return this.run('refresh()', () => refreshObject(this, obj, attrs))
  }

  /** Copy a detached or foreign object's state onto this session's object with that key (loaded or created). */
  merge<T extends object>(obj: T): Promise<T> { return this.run('merge()', () => mergeObject(this, obj, new Map()) as Promise<T>) }

  /** Load a relationship that is not loaded: `await session.load(user, 'orders')`. */
  load<T extends object, K extends keyof T & string>(obj: T, key: K): Promise<T[K]> {
    return this.run('load()', async () => {
      const st = stateOf(obj)
      if (st.owner !== this) throw new ArgumentError(`${st.mapper.name} object is not in this session`)
      const rel = relationshipOf(st.mapper, key)
      if (!(key in st.dict)) {
        if (this.autoflushEnabled) await this.flushInner()
        await selectinLoad(this, rel, [st])
      }
      if (!(key in st.dict)) throw new NoResultFound(`${st.mapper.name}.${key} could not be loaded`)
      return st.dict[key] as T[K]
    })
  }
}
