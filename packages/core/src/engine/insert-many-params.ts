import { isNode } from '../sql/nodes/node.js'
import type { CompiledTemplate } from './compiled.js'
import { generated } from './codegen.js'

type Processor = ((v: any) => unknown) | undefined

/** Gives the value of a row's column that is `undefined` (its client default) or throws. */
export type MissingValue = (row: Record<string, unknown>, column: number, index: number) => unknown

/**
 * Fills `out` with rows `from`..`to`'s values, column by column, converted by
 * the bind processors; false when a value is a SQL expression (no flat
 * binding then).
 */
export type ParamFiller = (rows: readonly Record<string, unknown>[], from: number, to: number, out: unknown[], missing: MissingValue) => boolean

/** Fillers per template (its bind processors) and property list. */
const fillers = new WeakMap<CompiledTemplate, Map<string, ParamFiller>>()
const MAX_PER_TEMPLATE = 16

/**
 * The filler for one template and the properties its columns are read from:
 * generated code with constant-key loads (`row["total"]`), so the loads stay
 * monomorphic (a keyed load by a varying name was ~2x slower for 10k rows);
 * processors are called only for the columns that have one, never for
 * `null`. Falls back to a loop where code generation is not allowed.
 */
export function paramFiller(t: CompiledTemplate, access: readonly string[]): ParamFiller {
  let byAccess = fillers.get(t)
  if (byAccess === undefined) fillers.set(t, (byAccess = new Map()))
  const key = access.join('\u0000')
  let f = byAccess.get(key)
  if (f === undefined) {
    f = generate(access, t.bindProcessors) ?? loopFiller(access, t.bindProcessors)
    if (byAccess.size >= MAX_PER_TEMPLATE) byAccess.delete(byAccess.keys().next().value!)
    byAccess.set(key, f)
  }
  return f
}

function generate(access: readonly string[], procs: readonly Processor[]): ParamFiller | undefined {
  const fns: ((v: any) => unknown)[] = []
  let body = ''
  for (let j = 0; j < access.length; j++) {
    body += `v = row[${JSON.stringify(access[j])}];\n` +
      `if (v === undefined) v = missing(row, ${j}, r); else if (typeof v === 'object' && v !== null && isNode(v)) return false;\n`
    const p = procs[j]
    if (p === undefined) body += 'out[k++] = v;\n'
    else { body += `out[k++] = v === null ? v : p${fns.length}(v);\n`; fns.push(p) }
  }
  const source = `return function fillParams(rows, from, to, out, missing) {\n  let k = 0\n  for (let r = from; r < to; r++) {\n    const row = rows[r]; let v;\n${body}  }\n  return true\n}`
  return generated<ParamFiller>(['isNode', ...fns.map((_, i) => 'p' + i)], [isNode, ...fns], source)
}

function loopFiller(access: readonly string[], procs: readonly Processor[]): ParamFiller {
  const n = access.length
  return (rows, from, to, out, missing) => {
    let k = 0
    for (let r = from; r < to; r++) {
      const row = rows[r]
      for (let j = 0; j < n; j++) {
        let v = row[access[j]]
        if (v === undefined) v = missing(row, j, r)
        else if (typeof v === 'object' && v !== null && isNode(v)) return false
        const p = procs[j]
        out[k++] = p !== undefined && v !== null ? p(v) : v
      }
    }
    return true
  }
}
