import type { AsyncConnection } from './connection.js'

/** A transaction or savepoint begun explicitly with `conn.begin()` / `conn.beginNested()`. */
export class Transaction {
  private done = false
  constructor(private readonly conn: AsyncConnection, readonly savepoint?: string) {}
  get isActive(): boolean { return !this.done }
  async commit(): Promise<void> {
    if (this.done) return
    this.done = true
    if (this.savepoint) await this.conn.releaseSavepoint(this.savepoint)
    else await this.conn.commit()
  }
  async rollback(): Promise<void> {
    if (this.done) return
    this.done = true
    if (this.savepoint) await this.conn.rollbackToSavepoint(this.savepoint)
    else await this.conn.rollback()
  }
  async [Symbol.asyncDispose](): Promise<void> { await this.rollback() }
}
