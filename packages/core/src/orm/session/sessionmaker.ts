import type { AsyncEngine } from '../../engine/engine.js'
import { AsyncSession, type SessionOptions } from './session.js'

/** A session factory: `Session()` makes a session, `Session.begin(fn)` runs `fn` in a session and a transaction. */
export interface SessionFactory {
  (options?: SessionOptions): AsyncSession
  /** New session, transaction around `fn` (commit on return, rollback on throw), then close. */
  begin<T>(fn: (session: AsyncSession) => Promise<T>): Promise<T>
}

/** `const Session = sessionmaker(engine, { expireOnCommit: false })`. */
export function sessionmaker(engine: AsyncEngine, options: SessionOptions = {}): SessionFactory {
  const make = ((o?: SessionOptions) => new AsyncSession(engine, { ...options, ...o })) as SessionFactory
  make.begin = async <T>(fn: (session: AsyncSession) => Promise<T>): Promise<T> => {
    const session = make()
    try { return await session.begin(fn) } finally { await session.close() }
  }
  return make
}
