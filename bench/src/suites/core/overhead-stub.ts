/**
 * Retort's own cost per statement, without I/O: an engine whose dialect is
 * the backend's real one except that `connect()` returns a stub driver
 * connection answering from memory. Baseline: the stub call alone (it copies
 * the canned rows, since Retort converts and names rows in place); subject:
 * `conn.execute()` through the whole path (build, cache key, lookup,
 * parameters, run(), processors, row naming, Result). The difference is the
 * per-statement overhead that the network benchmarks add to the driver.
 */
import { type DriverConnection, type DriverResult, createAsyncEngine, select } from '@retort/core'
import { type Backend, items } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'

const lookup = (k: number) => select(items.c.id, items.c.name, items.c.qty, items.c.price, items.c.active, items.c.created).where(items.c.id.eq(k))
const all = () => select(items)

class StubConnection implements DriverConnection {
  broken = false
  readonly raw = {}
  canned: unknown[][] = []
  columns: string[] = []
  async query(sql: string, _params: readonly unknown[]): Promise<DriverResult> {
    if (!sql.startsWith('SELECT')) return { rows: [], columns: [], rowCount: 0 }
    const rows = new Array(this.canned.length)
    for (let i = 0; i < rows.length; i++) rows[i] = this.canned[i].slice()
    return { rows, columns: this.columns, rowCount: rows.length }
  }
  // eslint-disable-next-line require-yield
  async *stream(): AsyncIterable<{ columns: string[]; rows: unknown[][] }> { throw new Error('not used') }
  async cancel(): Promise<void> {}
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

/** An engine on the backend's dialect whose driver answers `sql` with rows captured once from the real driver (unconverted). */
async function stubbed(b: Backend, sql: string, params: unknown[]) {
  const real = await b.dialect.connect({ url: b.engine.url })
  const captured = await real.query(sql, params)
  await real.close()
  const stub = new StubConnection()
  stub.canned = captured.rows
  stub.columns = captured.columns
  const dialect = Object.create(b.dialect, { connect: { value: async () => stub }, initialize: { value: undefined } })
  const engine = createAsyncEngine(b.url, { dialect, poolSize: 1, maxOverflow: 0 })
  const conn = await engine.connect()
  return { stub, engine, conn }
}

function make(id: string, title: string, rows: 'one' | 'all', opsPerRound: number): Benchmark {
  return {
    id, title, group: 'core', needs: 'none', opsPerRound, rounds: 15,
    ratioLabel: 'retort ÷ stub driver (median)',
    async prepare(b: Backend): Promise<Prepared> {
      const compiled = b.engine.compile(rows === 'one' ? lookup(1) : all())
      const sql = compiled.template.sql
      const { stub, engine, conn } = await stubbed(b, sql, rows === 'one' ? [1] : [])
      const baseline: Variant = { name: 'stub driver query alone', async run(i) { await stub.query(sql, [i]) } }
      const subject: Variant = rows === 'one'
        ? { name: 'retort execute(select…where id=k)', async run(i) { (await conn.execute(lookup(i + 1))).first() } }
        : { name: 'retort execute(select(t))', async run() { (await conn.execute(all())).all() } }
      return {
        baseline, subject,
        note: 'no I/O: the difference between the two lines is Retort\'s own cost per statement',
        async teardown() { await conn.close(); await engine.dispose() },
      }
    },
  }
}

export const stubLookup = make('overhead-lookup', 'Retort overhead, 1-row lookup (stub driver, no I/O)', 'one', 5000)
export const stubSelect = make('overhead-10k', 'Retort overhead, 10k rows (stub driver, no I/O)', 'all', 10)
export default [stubLookup, stubSelect]
