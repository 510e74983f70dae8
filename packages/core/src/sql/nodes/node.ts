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

export function newKeyWriter(): KeyWriter {
  return { parts: [], binds: [], ids: new Map() }
}
