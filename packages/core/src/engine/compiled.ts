import type { BindParam } from '../sql/nodes/elements.js'
import { type Node, newKeyWriter } from '../sql/nodes/node.js'
import type { ResultColumn } from '../sql/compiler/expression-compiler.js'
import type { Dialect } from './dialect.js'
import { type RowShaper, rowNamer, rowShaper } from './result.js'

type Processor = ((v: any) => unknown) | undefined

/** A compiled statement shape: SQL plus how to pull and convert its parameters. */
export interface CompiledTemplate {
  readonly sql: string
  /** For each placeholder, the index of its bind in traversal order. */
  readonly paramIndex: readonly number[]
  readonly bindProcessors: readonly Processor[]
  readonly resultColumns: readonly ResultColumn[]
  /** Labels of the result columns, or `undefined` when the driver's names are used (`text()`). */
  readonly resultNames: readonly string[] | undefined
  readonly resultProcessors: readonly Processor[]
  /** Converts and names this statement's rows; `undefined` when the driver's column names are used. */
  readonly shapeRows: RowShaper | undefined
  /** Converts this statement's rows (result processors) without naming them; `undefined` when no column has a processor. */
  readonly convertRows: RowShaper | undefined
  /** Names this statement's rows (no conversion); `undefined` when the driver's column names are used. */
  readonly nameRows: RowShaper | undefined
  readonly returnsRows: boolean
}

/** A cached template and when it was last used (for eviction). */
interface CacheEntry { readonly template: CompiledTemplate; lastUsed: number }

/** A statement ready to run: its template and the binds of this instance. */
export interface CompiledStatement {
  readonly template: CompiledTemplate
  readonly binds: readonly BindParam[]
}

/**
 * Compiles statements through a cache keyed by statement structure, so a
 * query built the same way with other values compiles once.
 */
export class StatementCache {
  private readonly cache = new Map<string, CacheEntry>()
  private tick = 0
  /** How many times the compiler ran (cache misses). */
  compilations = 0
  hits = 0

  constructor(private readonly dialect: Dialect, private readonly maxSize = 500) {}

  get size(): number { return this.cache.size }

  compile(stmt: Node): CompiledStatement {
    const w = newKeyWriter()
    stmt.cacheKey(w)
    const binds = w.binds as BindParam[]
    if (!stmt.cacheable) return { template: this.build(stmt, binds), binds }
    const key = w.parts.join('\u0001')
    const entry = this.cache.get(key)
    if (entry !== undefined) {
      this.hits++
      // LRU by stamp: a hit costs one lookup, not a delete + re-insert
      entry.lastUsed = ++this.tick
      return { template: entry.template, binds }
    }
    const template = this.build(stmt, binds)
    if (this.maxSize <= 0) return { template, binds }
    if (this.cache.size >= this.maxSize) this.evictLeastRecentlyUsed()
    this.cache.set(key, { template, lastUsed: ++this.tick })
    return { template, binds }
  }

  /** Drop the entry used longest ago (only when full: a scan beside a compile is cheap). */
  private evictLeastRecentlyUsed(): void {
    let oldestKey: string | undefined
    let oldest = Infinity
    for (const [k, e] of this.cache) if (e.lastUsed < oldest) { oldest = e.lastUsed; oldestKey = k }
    if (oldestKey !== undefined) this.cache.delete(oldestKey)
  }

  private build(stmt: Node, keyBinds: readonly BindParam[]): CompiledTemplate {
    this.compilations++
    const out = this.dialect.createCompiler().compile(stmt)
    const index = new Map<BindParam, number>()
    keyBinds.forEach((b, i) => { if (!index.has(b)) index.set(b, i) })
    const paramIndex = out.binds.map((b) => {
      const i = index.get(b)
      if (i === undefined) throw new Error(`internal: bind for '${out.sql}' missing from the cache key`)
      return i
    })
    const resultNames = out.resultColumns.length ? out.resultColumns.map((c) => c.name) : undefined
    const resultProcessors = out.resultColumns.map((c) => this.dialect.resultProcessor(c.type))
    return Object.freeze({
      sql: out.sql,
      paramIndex,
      bindProcessors: out.binds.map((b) => this.dialect.bindProcessor(b.type)),
      resultColumns: out.resultColumns,
      resultNames,
      resultProcessors,
      shapeRows: resultNames && rowShaper(resultNames, resultProcessors),
      convertRows: resultProcessors.some((p) => p !== undefined) ? rowShaper([], resultProcessors) : undefined,
      nameRows: resultNames && rowNamer(resultNames),
      returnsRows: out.returnsRows,
    })
  }
}

/** Parameter values for one execution, in placeholder order and converted for the driver. */
export function parameterValues(c: CompiledStatement, params?: Record<string, unknown>): unknown[] {
  const { paramIndex, bindProcessors } = c.template
  const out = new Array(paramIndex.length)
  for (let i = 0; i < paramIndex.length; i++) {
    const v = c.binds[paramIndex[i]].resolve(params)
    const p = bindProcessors[i]
    out[i] = p && v !== null ? p(v) : v
  }
  return out
}
