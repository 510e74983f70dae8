/**
 * Node 20 has no `Symbol.metadata`, which TC39 decorators use to share
 * per-class data. Define it (as esbuild and TypeScript expect) before any
 * decorated class is evaluated: every decorator module imports this one.
 */
const S = Symbol as unknown as { metadata?: symbol }
S.metadata ??= Symbol.for('Symbol.metadata')

/** The well-known `Symbol.metadata`. */
export const METADATA: symbol = S.metadata
