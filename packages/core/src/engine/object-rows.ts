import { generated } from './codegen.js'
import type { CompiledTemplate } from './compiled.js'

/** Applies result processors to object rows in place, by result name. */
export type ObjectConverter = (rows: Record<string, unknown>[]) => void

const NONE: ObjectConverter = () => undefined
const converters = new WeakMap<CompiledTemplate, ObjectConverter>()

/**
 * The (cached, built on first use) converter for a statement's object rows:
 * generated code with constant-key loads and stores, one call per column
 * that has a processor, never for SQL `NULL`; a loop where code generation
 * is not allowed.
 */
export function objectConverter(t: CompiledTemplate): ObjectConverter {
  let c = converters.get(t)
  if (c === undefined) converters.set(t, (c = build(t.resultNames ?? [], t.resultProcessors)))
  return c
}

function build(names: readonly string[], processors: CompiledTemplate['resultProcessors']): ObjectConverter {
  const keys: string[] = []
  const fns: ((v: any) => unknown)[] = []
  for (let i = 0; i < processors.length; i++) {
    const p = processors[i]
    if (p !== undefined && names[i] !== undefined) { keys.push(names[i]); fns.push(p) }
  }
  if (!fns.length) return NONE
  const body = keys.map((k, i) => `v = row[${JSON.stringify(k)}]; if (v !== null && v !== undefined) row[${JSON.stringify(k)}] = p${i}(v);\n`).join('')
  const source = `return function convertObjects(rows) {\n  for (let r = 0; r < rows.length; r++) {\n    const row = rows[r]; let v;\n${body}  }\n}`
  return generated<ObjectConverter>(fns.map((_, i) => 'p' + i), fns, source) ?? ((rows) => {
    for (const row of rows) for (let i = 0; i < keys.length; i++) { const v = row[keys[i]]; if (v !== null && v !== undefined) row[keys[i]] = fns[i](v) }
  })
}
