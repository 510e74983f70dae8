import { Select, select } from '../../sql/builders/select.js'
import { type ColumnElement, OrderBy, and } from '../../sql/nodes/elements.js'
import type { Alias, Column, FromClause } from '../../sql/nodes/from.js'
import type { Node } from '../../sql/nodes/node.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { STATE } from '../mapping/state-symbols.js'
import { relationshipsOf, type Relationship } from '../relationships/relationship.js'
import type { SessionCore } from '../session/session-core.js'
import { makeHydrator } from './hydrate.js'
import type { LoadPlan } from './loader-options.js'
import { needsLoad, populateReverse, setLoaded } from './selectin.js'

/** One joined eager load added to a statement: where its columns start. */
export interface JoinedLoad { readonly rel: Relationship; readonly offset: number }

/**
 * Add LEFT OUTER JOINs for the joined loads of the first entity. With a
 * LIMIT/OFFSET and a collection, the limited parent query becomes a
 * subquery first, so the limit counts parents, not joined rows.
 */
export function applyJoined(stmt: Select<any>, mapper: Mapper, plan: LoadPlan): { stmt: Select<any>; loads: JoinedLoad[]; collections: boolean } {
  const rels = [...relationshipsOf(mapper).values()].filter((r) => (plan.get(r)?.strategy ?? r.lazy) === 'joined' && r.direction !== 'manyToMany')
  if (!rels.length) return { stmt, loads: [], collections: false }
  const collections = rels.some((r) => r.uselist)
  let out = stmt
  let owner: FromClause | undefined
  let translate = (c: Column<any>): ColumnElement<any> => c
  if (collections && (stmt.state.limit || stmt.state.offset)) {
    const sub = new Select({ ...stmt.state, options: [] }).subquery()
    const subCols = Object.values(sub.c) as Column<any>[]
    const index = new Map<Node, number>(stmt.state.columns.map((c, i) => [c, i]))
    translate = (c) => { const i = index.get(c); return i === undefined ? c : subCols[i] }
    owner = sub
    const orderBy = stmt.state.orderBy.map((o) => retarget(o, translate))
    out = new Select({ ...select(...subCols).state, orderBy, entities: stmt.state.entities })
  }
  const loads: JoinedLoad[] = []
  for (const rel of rels) {
    const alias = rel.target.table.alias()
    const on = and(...rel.pairs.map((p) => {
      const ownerCol = rel.direction === 'manyToOne' ? p.referencing : p.referenced
      const targetCol = rel.direction === 'manyToOne' ? p.referenced : p.referencing
      return (owner ? translate(ownerCol) : ownerCol).eq((alias.c as Record<string, Column<any>>)[targetCol.key])
    }))
    loads.push({ rel, offset: out.state.columns.length })
    out = out.outerJoin(alias, on).addColumns(...rel.target.columns.map((c) => (alias.c as Record<string, Column<any>>)[c.key]))
    const relOrder = rel.orderBy().map((o) => retarget(o, (c) => (c.table === rel.target.table ? (alias as Alias).c[c.key] : c)))
    if (rel.uselist && relOrder.length) out = out.orderBy(...relOrder)
  }
  return { stmt: out, loads, collections }
}

function retarget(o: Node, translate: (c: Column<any>) => ColumnElement<any>): Node {
  if (o.visitName === 'orderBy') { const ob = o as OrderBy; return new OrderBy(retarget(ob.element, translate), ob.direction, ob.nulls) }
  if ((o as any).visitName === 'column') return translate(o as Column<any>)
  return o
}

/** Fill the joined relationships from the extra columns of each row. */
export function populateJoined(core: SessionCore, loads: readonly JoinedLoad[], parents: readonly (object | null)[], rows: readonly unknown[][]): void {
  for (const load of loads) {
    const hydrate = makeHydrator(core, load.rel.target)
    const groups = new Map<object, Set<object>>()
    rows.forEach((row, i) => {
      const parent = parents[i]
      if (!parent) return
      let g = groups.get(parent)
      if (!g) { g = new Set(); groups.set(parent, g) }
      const child = hydrate(row, load.offset)
      if (child) g.add(child)
    })
    for (const [parent, set] of groups) {
      const st = (parent as any)[STATE] as InstanceState
      if (!needsLoad(st, load.rel, true)) continue
      const items = [...set]
      setLoaded(st, load.rel, items)
      populateReverse(load.rel, parent, items)
    }
  }
}
