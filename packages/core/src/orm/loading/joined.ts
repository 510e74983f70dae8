import { Select, select } from '../../sql/builders/select.js'
import { type ColumnElement, OrderBy, and } from '../../sql/nodes/elements.js'
import type { Alias, Column } from '../../sql/nodes/from.js'
import type { Node } from '../../sql/nodes/node.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { STATE } from '../mapping/state-symbols.js'
import { relationshipsOf, type Relationship } from '../relationships/relationship.js'
import type { SessionCore } from '../session/session-core.js'
import { makeHydrator } from './hydrate.js'
import type { LoadPlan } from './loader-options.js'
import { needsLoad, populateReverse, setLoaded } from './selectin.js'

/** One joined eager load added to a statement: where its columns start, and which load holds its parents (-1: the entity). */
export interface JoinedLoad { readonly rel: Relationship; readonly offset: number; readonly parent: number }

interface Planned { rel: Relationship; parent: number }

/** The joined relationships along the plan: the entity's, then (nested `joinedload` paths) those of their targets. */
function plannedJoins(mapper: Mapper, plan: LoadPlan): Planned[] {
  const out: Planned[] = []
  const walk = (m: Mapper, level: LoadPlan, parent: number, top: boolean): void => {
    for (const rel of relationshipsOf(m).values()) {
      const node = level.get(rel)
      // a relationship's own lazy='joined' applies at the top level only (a self-referential default would never end)
      if (rel.direction === 'manyToMany' || (node?.strategy ?? (top ? rel.lazy : undefined)) !== 'joined') continue
      out.push({ rel, parent })
      if (node?.children.size) walk(rel.target, node.children, out.length - 1, false)
    }
  }
  walk(mapper, plan, -1, true)
  return out
}

/**
 * Add LEFT OUTER JOINs for the joined loads of the first entity (nested
 * along chained `joinedload` paths). With a LIMIT/OFFSET and a collection,
 * the limited parent query becomes a subquery first, so the limit counts
 * parents, not joined rows.
 */
export function applyJoined(stmt: Select<any>, mapper: Mapper, plan: LoadPlan): { stmt: Select<any>; loads: JoinedLoad[]; collections: boolean } {
  const planned = plannedJoins(mapper, plan)
  if (!planned.length) return { stmt, loads: [], collections: false }
  const collections = planned.some((p) => p.rel.uselist)
  let out = stmt
  let translate = (c: Column<any>): ColumnElement<any> => c
  if (collections && (stmt.state.limit || stmt.state.offset)) {
    const sub = new Select({ ...stmt.state, options: [] }).subquery()
    const subCols = Object.values(sub.c) as Column<any>[]
    const index = new Map<Node, number>(stmt.state.columns.map((c, i) => [c, i]))
    translate = (c) => { const i = index.get(c); return i === undefined ? c : subCols[i] }
    const orderBy = stmt.state.orderBy.map((o) => retarget(o, translate))
    out = new Select({ ...select(...subCols).state, orderBy, entities: stmt.state.entities })
  }
  const loads: JoinedLoad[] = []
  const aliases: Alias[] = []
  for (const { rel, parent } of planned) {
    const alias = rel.target.table.alias()
    const ownerOf = (c: Column<any>): ColumnElement<any> => (parent < 0 ? translate(c) : (aliases[parent].c as Record<string, Column<any>>)[c.key])
    const on = and(...rel.pairs.map((p) => {
      const ownerCol = rel.direction === 'manyToOne' ? p.referencing : p.referenced
      const targetCol = rel.direction === 'manyToOne' ? p.referenced : p.referencing
      return ownerOf(ownerCol).eq((alias.c as Record<string, Column<any>>)[targetCol.key])
    }))
    loads.push({ rel, offset: out.state.columns.length, parent })
    aliases.push(alias)
    out = out.outerJoin(alias, on).addColumns(...rel.target.columns.map((c) => (alias.c as Record<string, Column<any>>)[c.key]))
    const relOrder = rel.orderBy().map((o) => retarget(o, (c) => (c.table === rel.target.table ? (alias.c as Record<string, Column<any>>)[c.key] : c)))
    if (rel.uselist && relOrder.length) out = out.orderBy(...relOrder)
  }
  return { stmt: out, loads, collections }
}

function retarget(o: Node, translate: (c: Column<any>) => ColumnElement<any>): Node {
  if (o.visitName === 'orderBy') { const ob = o as OrderBy; return new OrderBy(retarget(ob.element, translate), ob.direction, ob.nulls) }
  if ((o as any).visitName === 'column') return translate(o as Column<any>)
  return o
}

/** Fill the joined relationships from the extra columns of each row (parents first, then nested levels). */
export function populateJoined(core: SessionCore, loads: readonly JoinedLoad[], roots: readonly (object | null)[], rows: readonly unknown[][]): void {
  const perLoad: (object | null)[][] = []
  for (const load of loads) {
    const hydrate = makeHydrator(core, load.rel.target)
    const parents = load.parent < 0 ? roots : perLoad[load.parent]
    const children: (object | null)[] = new Array(rows.length)
    const groups = new Map<object, Set<object>>()
    rows.forEach((row, i) => {
      const child = hydrate(row, load.offset)
      children[i] = child
      const parent = parents[i]
      if (!parent) return
      let g = groups.get(parent)
      if (!g) { g = new Set(); groups.set(parent, g) }
      if (child) g.add(child)
    })
    perLoad.push(children)
    for (const [parent, set] of groups) {
      const st = (parent as any)[STATE] as InstanceState
      if (!needsLoad(st, load.rel, true)) continue
      const items = [...set]
      setLoaded(st, load.rel, items)
      populateReverse(load.rel, parent, items)
    }
  }
}
