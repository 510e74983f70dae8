import type { SqlType } from '@retort/core/dialect'

type P = ((v: any) => unknown) | undefined

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
/** A Date as a UTC timestamp literal without zone (for `timestamp without time zone`). */
export function utcTimestamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
}

export function pgBind(type: SqlType): P {
  switch (type.kind) {
    case 'datetime': return type.timezone ? (v: Date) => v.toISOString() : (v: Date) => utcTimestamp(v)
    case 'json': return (v: unknown) => JSON.stringify(v)
    case 'biginteger': return (v: bigint | number) => v.toString()
    case 'null': return (v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
    default: return undefined
  }
}

export function pgResult(type: SqlType): P {
  switch (type.kind) {
    case 'biginteger': return (v: string | number) => BigInt(v)
    case 'integer': return (v: string | number) => (typeof v === 'string' ? Number(v) : v)
    case 'float': return (v: string | number) => (typeof v === 'string' ? Number(v) : v)
    case 'numeric': return (v: string | number) => String(v)
    // pg parses json/jsonb itself: parsing again would break a document that is a JSON string
    case 'datetime': return (v: Date | string) => (v instanceof Date ? v : new Date(v))
    default: return undefined
  }
}

/**
 * Type parsers for one engine's connections (never the process-wide `pg.types`):
 * timestamps without zone are UTC, dates stay `'YYYY-MM-DD'`, int8/numeric stay strings.
 */
export function pgTypeParsers(base: { getTypeParser: (oid: number, format?: string) => (v: string) => unknown }) {
  const overrides: Record<number, (v: string) => unknown> = {
    1114: (v) => new Date(v.replace(' ', 'T') + 'Z'),
    1082: (v) => v,
    20: (v) => v,
    1700: (v) => v,
    // pg's defaults, pinned so another library's global pg.types.setTypeParser cannot change them
    16: (v) => v === 't',
    21: (v) => parseInt(v, 10),
    23: (v) => parseInt(v, 10),
    700: (v) => parseFloat(v),
    701: (v) => parseFloat(v),
  }
  return { getTypeParser: (oid: number, format?: string) => overrides[oid] ?? base.getTypeParser(oid, format) }
}
