import { AsyncLocalStorage } from 'node:async_hooks'
import { ConcurrentSessionUseError } from '../../errors/errors.js'

const running = new AsyncLocalStorage<Map<object, symbol>>()

/**
 * Detects two concurrent tasks using one session. Each session operation
 * takes a token; an operation started from inside another one of the same
 * session (its own event handlers, `session.begin(fn)`'s body) sees that
 * token in its async context and may re-enter. A second task started
 * alongside finds the token taken and fails with a clear error.
 */
export class ConcurrencyGuard {
  private active: symbol | undefined
  private what = ''

  async run<T>(owner: object, what: string, fn: () => Promise<T>): Promise<T> {
    const store = running.getStore()
    const mine = store?.get(owner)
    if (this.active !== undefined && mine !== this.active) {
      throw new ConcurrentSessionUseError(
        `This session is already running ${this.what}; ${what} was called concurrently from another task. ` +
        'A session is one unit of work for one task: await each call in turn, or give each task its own session.')
    }
    const previous = this.active
    const previousWhat = this.what
    const token = Symbol(what)
    this.active = token
    this.what = what
    const next = new Map(store)
    next.set(owner, token)
    try {
      return await running.run(next, fn)
    } finally {
      this.active = previous
      this.what = previousWhat
    }
  }
}
