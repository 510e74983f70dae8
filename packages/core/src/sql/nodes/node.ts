/**
 * Base of every AST node. Nodes are immutable: builders return new nodes.
 * `visitName` picks the compiler method; `cacheKey` writes the node's
 * structure (never its bound values) so equal shapes share one compiled SQL.
 */
export const NODE = Symbol.for('retort.node')

export interface KeyWriter {
  /** Structural parts of the key. */
  parts: string[]
  /** Bind parameters in traversal order. */
  binds: unknown[]
  /** Identity-keyed names for objects without a structural name (aliases, CTEs). */
  ids: Map<object, number>
}

export abstract class Node {
  abstract readonly visitName: string
  declare readonly [NODE]: true
  /** DDL and other one-off statements skip the compiled-statement cache. */
  get cacheable(): boolean { return true }
  abstract cacheKey(w: KeyWriter): void
}
Object.defineProperty(Node.prototype, NODE, { value: true })

export function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && (x as any)[NODE] === true
}

/** Nodes without a structural name (anonymous aliases) key by first-seen order. */
export function keyId(w: KeyWriter, obj: object): string {
  let id = w.ids.get(obj)
  if (id === undefined) { id = w.ids.size; w.ids.set(obj, id) }
  return '#' + id
}

/** The map of `ids` is made on first use: most statements (no alias, no CTE) never need one. */
class LazyKeyWriter implements KeyWriter {
  parts: string[] = []
  binds: unknown[] = []
  private idMap: Map<object, number> | undefined = undefined
  get ids(): Map<object, number> { return (this.idMap ??= new Map()) }
  set ids(m: Map<object, number>) { this.idMap = m }
}

export function newKeyWriter(): KeyWriter {
  return new LazyKeyWriter()
}
