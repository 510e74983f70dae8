/** Session events; handlers may be async and may use the session (they are awaited in order). */
export type SessionEventName = 'beforeFlush' | 'afterFlush' | 'afterCommit' | 'afterRollback'
export type SessionEventHandler<S> = (session: S) => void | Promise<void>

/** `session.events.on('beforeFlush', async (session) => ...)`. */
export class SessionEvents<S> {
  private readonly handlers: Record<SessionEventName, SessionEventHandler<S>[]> = { beforeFlush: [], afterFlush: [], afterCommit: [], afterRollback: [] }
  on(name: SessionEventName, fn: SessionEventHandler<S>): this { this.handlers[name].push(fn); return this }
  off(name: SessionEventName, fn: SessionEventHandler<S>): this { this.handlers[name] = this.handlers[name].filter((f) => f !== fn); return this }
  has(name: SessionEventName): boolean { return this.handlers[name].length > 0 }
  /** @internal Run the handlers one after another. */
  async emit(name: SessionEventName, session: S): Promise<void> { for (const fn of [...this.handlers[name]]) await fn(session) }
}
