const MAX_INT64 = 2n ** 63n - 1n
const MIN_INT64 = -(2n ** 63n)

/** Thrown for a `bigint` that no SQLite INTEGER can hold (mapped to `DataError`). */
export class BigIntRangeError extends Error {
  readonly code = 'RETORT_BIGINT_RANGE'
  constructor(value: bigint) { super(`The bigint ${value} is outside SQLite's 64-bit INTEGER range`) }
}

/**
 * Parameters as sqlite3 can bind them. sqlite3 binds a JS `bigint` as NULL
 * without an error, so every path (Core, `text()`, executeMany) passes through
 * here: a safe integer goes as a number, a larger one as its decimal text
 * (which an INTEGER column, or a comparison with one, turns back into an exact
 * 64-bit integer). Returns the input array itself when nothing needs converting.
 */
export function toDriverParams(params: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < params.length; i++) {
    const v = params[i]
    if (typeof v !== 'bigint') continue
    out ??= params.slice()
    out[i] = bigintParam(v)
  }
  return out ?? (params as unknown[])
}

function bigintParam(v: bigint): number | string {
  if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v)
  if (v > MAX_INT64 || v < MIN_INT64) throw new BigIntRangeError(v)
  return v.toString()
}
