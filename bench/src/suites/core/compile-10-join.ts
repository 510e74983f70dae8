/**
 * Compile a 10-join select with Retort's compiler alone (no database): a cold
 * compile (fresh statement cache: cache key + compiler run + template) against
 * a cached one (cache key + lookup), per dialect. Building the statement
 * object, and building + cached compile (what each execute pays), are shown too.
 */
import { Integer, MetaData, StatementCache, Text, column, select, table } from '@retort/core'
import type { Backend } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'

const md = new MetaData()
const tables = Array.from({ length: 11 }, (_, i) => table(`bench_j${i}`, {
  id: column(Integer, { primaryKey: true }),
  parentId: column(Integer, { name: 'parent_id' }),
  name: column(Text),
  value: column(Integer),
}, { metadata: md }))

function build(k: number) {
  const [t0] = tables
  let s = select(...tables.flatMap((t) => [t.c.id, t.c.name]))
  for (let i = 1; i < tables.length; i++) s = s.join(tables[i], tables[i].c.parentId.eq(tables[i - 1].c.id))
  return s.where(t0.c.value.gt(k), tables[10].c.name.like('a%')).orderBy(t0.c.id.desc()).limit(50)
}

const benchmark: Benchmark = {
  id: 'compile-10-join',
  title: 'compile a 10-join select (no database)',
  group: 'core',
  needs: 'none',
  opsPerRound: 2000,
  rounds: 15,
  ratioLabel: 'cached ÷ cold (median of rounds)',
  async prepare(b: Backend): Promise<Prepared> {
    const stmt = build(1)
    const warm = new StatementCache(b.dialect)
    warm.compile(stmt)
    let sink = 0
    const baseline: Variant = { name: 'cold compile (new cache each op)', run() { sink += new StatementCache(b.dialect).compile(stmt).template.sql.length } }
    const subject: Variant = { name: 'cached compile (key + lookup)', run() { sink += warm.compile(stmt).binds.length } }
    const extras: Variant[] = [
      { name: 'build the statement object', run(i) { sink += build(i).state.from.length } },
      { name: 'build + cached compile', run(i) { sink += warm.compile(build(i)).binds.length } },
    ]
    if (warm.compilations !== 1) throw new Error('the 10-join select was compiled more than once: the structural cache missed')
    return {
      baseline, subject, extras,
      sql: warm.compile(stmt).template.sql.slice(0, 100) + ' …',
      note: 'one compiler run for every build of the same shape with other values',
      async teardown() {
        if (warm.compilations !== 1 || sink === 0) throw new Error(`the structural cache missed: ${warm.compilations} compiler runs`)
      },
    }
  },
}
export default benchmark
