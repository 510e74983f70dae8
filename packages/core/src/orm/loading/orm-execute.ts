import type { CompiledTemplate } from '../../engine/compiled.js'
import { type ExecuteOptions, optionsInParams } from '../../engine/connection.js'
import { type Result, positionalRows } from '../../engine/result.js'
import type { Select } from '../../sql/builders/select.js'
import type { Node } from '../../sql/nodes/node.js'
import { aliasedMapper } from '../mapping/aliased.js'
import type { Mapper } from '../mapping/mapper.js'
import { maybeMapperOf } from '../mapping/registry.js'
import { configureMappers } from '../relationships/configure.js'
import type { SessionCore } from '../session/session-core.js'
import { makeHydrator, makeObjectHydrator } from './hydrate.js'
import { applyJoined, populateJoined } from './joined.js'
import { hasEagerDefaults, loadRelationships } from './load-relationships.js'
import { planFromOptions } from './loader-options.js'
import { OrmResult } from './orm-result.js'

interface Slot { readonly mapper?: Mapper; readonly offset: number; readonly name: string }

/** Where each selected entity's columns sit in a row (a model takes all its columns). */
function slotsOf(stmt: Select<any>): Slot[] | undefined {
  let offset = 0
  let any = false
  const slots: Slot[] = []
  for (const e of stmt.state.entities) {
    const mapper = maybeMapperOf(e) ?? aliasedMapper(e)
    if (mapper) {
      any = true
      slots.push({ mapper, offset, name: (mapper.cls as any)?.name ?? mapper.name })
      offset += mapper.columns.length
    } else {
      const cols = (e as any)?.isFrom ? (e as any).columns.length : 1
      for (let i = 0; i < cols; i++) slots.push({ offset: offset + i, name: '' })
      offset += cols
    }
  }
  return any ? slots : undefined
}

/**
 * Run a select through the session: rows become the session's objects
 * (identity map), joined loads fill in from the same rows, then the
 * other loaders run (selectin, subquery) along the options' paths.
 */
export async function executeOrmSelect(core: SessionCore, stmt: Select<any>, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<Result<any>> {
  const conn = await core.connection()
  const slots = slotsOf(stmt)
  if (!slots) return conn.execute(stmt, params, options)
  const plan = planFromOptions(stmt.state.options)
  const first = slots.find((s) => s.mapper)!
  configureMappers(first.mapper!)
  const joined = slots.filter((s) => s.mapper).length === 1 ? applyJoined(stmt, first.mapper!, plan) : { stmt, loads: [], collections: false }
  // as conn.execute(stmt, params, options) takes them
  if (optionsInParams(params, options)) { options = params as ExecuteOptions; params = undefined }
  const compiled = conn.engine.compile(joined.stmt)
  if (slots.length === 1 && !joined.loads.length) {
    // one entity whose result names are its attribute keys: the driver's object rows become the dicts
    const objects = fitsObjectRows(compiled.template, first.mapper!) ? await conn.executeObjects(compiled, params, options) : undefined
    if (objects !== undefined) {
      const h = makeObjectHydrator(core, first.mapper!)
      const rows = objects.rows
      const column: (object | null)[] = new Array(rows.length)
      for (let r = 0; r < rows.length; r++) column[r] = h(rows[r])
      if (plan.size || hasEagerDefaults(first.mapper!)) await loadRelationships(core, first.mapper!, [...new Set(column)].filter((x): x is object => x !== null), plan, stmt)
      return new OrmResult(column, [slots[0].name], objects.rowCount, joined.collections, true)
    }
  }
  const res = await conn.executeCompiled(compiled, params, options)
  const hydrators = slots.map((s) => (s.mapper ? makeHydrator(core, s.mapper) : undefined))
  const names = res.keys()
  const outNames = slots.map((s) => s.name || names[s.offset])
  const src = positionalRows(res)
  const n = src.length
  if (slots.length === 1) {
    // one entity (the common `select(Model)`): a column of objects; the result makes rows of it only if they are read
    const h = hydrators[0]!
    const o = slots[0].offset
    const column: (object | null)[] = new Array(n)
    for (let r = 0; r < n; r++) column[r] = h(src[r], o)
    if (joined.loads.length) populateJoined(core, joined.loads, column, src)
    if (plan.size || hasEagerDefaults(first.mapper!)) await loadRelationships(core, first.mapper!, [...new Set(column)].filter((x): x is object => x !== null), plan, stmt)
    return new OrmResult(column, outNames, res.rowCount, joined.collections, true)
  }
  const rows: unknown[][] = new Array(n)
  const perSlot: object[][] = slots.map(() => [])
  for (let r = 0; r < n; r++) {
    const row = src[r]
    const out = new Array(slots.length)
    for (let i = 0; i < slots.length; i++) {
      const h = hydrators[i]
      if (h) { const obj = h(row, slots[i].offset); out[i] = obj; if (obj) perSlot[i].push(obj) } else out[i] = row[slots[i].offset]
    }
    rows[r] = out
  }
  if (joined.loads.length) populateJoined(core, joined.loads, rows.map((r) => r[slots.indexOf(first)] as object | null), src)
  for (let i = 0; i < slots.length; i++) {
    const m = slots[i].mapper
    if (m && (plan.size || hasEagerDefaults(m))) await loadRelationships(core, m, [...new Set(perSlot[i])], plan, stmt)
  }
  return new OrmResult(rows, outNames, res.rowCount, joined.collections)
}

/** Whether the statement's result names are exactly the mapper's attribute keys (unique, usable as object keys) and its key is one column. */
function fitsObjectRows(t: CompiledTemplate, mapper: Mapper): boolean {
  let fit = objectRowsFit.get(t)
  if (fit?.mapper !== mapper) objectRowsFit.set(t, (fit = { mapper, fits: namesFit(t, mapper) }))
  return fit.fits
}
/** Per statement shape, for the mapper last seen with it. */
const objectRowsFit = new WeakMap<CompiledTemplate, { readonly mapper: Mapper; readonly fits: boolean }>()

function namesFit(t: CompiledTemplate, mapper: Mapper): boolean {
  const names = t.resultNames
  const keys = mapper.columnKeys
  if (names === undefined || names.length !== keys.length || mapper.pkKeys.length !== 1) return false
  for (let i = 0; i < keys.length; i++) if (names[i] !== keys[i] || keys[i] === '__proto__' || /^\d+$/.test(keys[i])) return false
  return new Set(keys).size === keys.length
}

/** Whether a statement is a select the ORM should hydrate. */
export function isOrmSelect(stmt: Node): stmt is Select<any> {
  // structural, not instanceof: a statement may come from another copy of core
  return stmt.visitName === 'select' && (stmt as Select<any>).state.entities.some((e) => maybeMapperOf(e) || aliasedMapper(e))
}
