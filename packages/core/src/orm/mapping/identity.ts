/**
 * Canonical identity keys: `1`, `'1'` and `1n` for one row give one key
 * (drivers return keys as numbers, strings or bigints depending on type
 * and backend). `JSON.stringify` is no option: it throws on bigint.
 */
export function canonicalValue(v: unknown): string {
  switch (typeof v) {
    case 'string': return v
    case 'number': case 'bigint': return String(v)
    case 'boolean': return v ? 'true' : 'false'
    default:
      if (v instanceof Date) return v.toISOString()
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex')
      return String(v)
  }
}

/** The key of a row from its primary-key values; undefined when one is missing. */
export function identityKey(values: readonly unknown[]): string | undefined {
  if (values.length === 1) {
    const v = values[0]
    return v === undefined || v === null ? undefined : canonicalValue(v)
  }
  let out = ''
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === undefined || v === null) return undefined
    out += (i ? '\u0001' : '') + canonicalValue(v)
  }
  return out
}
