import { Select, select } from '../../sql/builders/select.js'
import { and } from '../../sql/nodes/elements.js'
import type { Column } from '../../sql/nodes/from.js'
import { identityKey } from '../mapping/identity.js'
import type { InstanceState } from '../mapping/instance-state.js'
import { STATE } from '../mapping/state-symbols.js'
import type { Relationship } from '../relationships/relationship.js'
import type { SessionCore } from '../session/session-core.js'
import { makeHydrator } from './hydrate.js'
import { needsLoad, populateReverse, selectinLoad, setLoaded } from './selectin.js'

/**
 * subquery loading (one-to-many): the original query, reduced to the
 * parents' key columns, becomes a subquery the related rows join to:
 * `SELECT orders.*, anon.id FROM (SELECT users.id FROM users WHERE ...) AS anon JOIN orders ON ...`.
 * Other directions fall back to selectin.
 */
export async function subqueryLoad(core: SessionCore, rel: Relationship, parents: readonly InstanceState[], original: Select<any> | undefined, force = false): Promise<object[]> {
  const todo = parents.filter((st) => st.hasIdentity && needsLoad(st, rel, force))
  if (!todo.length) return []
  if (rel.direction !== 'oneToMany' || !original || original.state.from.length || rel.owner.table !== inferTable(original)) return selectinLoad(core, rel, parents, force)
  const refCols = rel.pairs.map((p) => p.referenced)
  const inner = new Select({ ...original.state, entities: refCols, columns: refCols, options: [], orderBy: original.state.limit || original.state.offset ? original.state.orderBy : [], distinct: true })
  const sub = inner.subquery()
  const subCols = Object.values(sub.c) as Column<any>[]
  const t = rel.target
  const stmt = select(...t.columns).selectFrom(sub)
    .join(t.table, and(...rel.pairs.map((p, i) => p.referencing.eq(subCols[i]))))
    .orderBy(...(rel.orderBy().length ? rel.orderBy() : t.pkColumns))
  const conn = await core.connection()
  const res = await conn.execute(stmt)
  const hydrate = makeHydrator(core, t)
  const groups = new Map<string, object[]>()
  const loaded: object[] = []
  for (const row of res.rows) {
    const child = hydrate(row, 0)!
    const d = (child as any)[STATE].dict
    const k = identityKey(rel.pairs.map((p) => d[t.keyOf(p.referencing)]))!
    let g = groups.get(k)
    if (!g) { g = []; groups.set(k, g) }
    g.push(child)
    loaded.push(child)
  }
  for (const st of todo) {
    const items = groups.get(identityKey(refCols.map((c) => st.dict[rel.owner.keyOf(c)])) ?? '') ?? []
    setLoaded(st, rel, items)
    populateReverse(rel, st.obj, items)
  }
  return loaded
}

function inferTable(s: Select<any>): unknown {
  return (s.state.columns[0] as Column<any> | undefined)?.table
}
