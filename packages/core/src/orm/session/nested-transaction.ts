import type { Transaction } from '../../engine/transaction.js'

/** A session savepoint (`await session.beginNested()`). */
export class NestedTransaction implements AsyncDisposable {
  private done = false
  constructor(private readonly tx: Transaction, private readonly ops: { commit(): Promise<void>; rollback(): Promise<void> }) {}
  get isActive(): boolean { return !this.done && this.tx.isActive }
  /** Flush and release the savepoint. */
  async commit(): Promise<void> { if (this.done) return; this.done = true; await this.ops.commit() }
  /** Roll back to the savepoint and undo its effects on objects. */
  async rollback(): Promise<void> { if (this.done) return; this.done = true; await this.ops.rollback() }
  async [Symbol.asyncDispose](): Promise<void> { await this.rollback() }
}
