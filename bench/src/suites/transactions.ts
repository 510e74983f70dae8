/**
 * Both sides run a round inside one transaction, so they send the same
 * statements: Retort begins it explicitly (it would otherwise
 * begin on the first statement, inside the timed loop); the raw side sends BEGIN. The commit is untimed.
 */
import type { Backend } from '../backends.js'
import type { Variant } from '../harness.js'

export function retortRound(b: Backend): Pick<Variant, 'before' | 'after'> {
  return {
    before: async () => { await b.conn.begin() },
    after: () => b.conn.commit(),
  }
}

export function rawRound(b: Backend): Pick<Variant, 'before' | 'after'> {
  const begin = b.raw.kind === 'mysql2' ? 'START TRANSACTION' : 'BEGIN'
  return {
    before: async () => { await b.rawExec(begin) },
    after: async () => { await b.rawExec('COMMIT') },
  }
}
