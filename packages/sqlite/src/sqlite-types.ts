import type { SqlType } from '@retort/core/dialect'

type P = ((v: any) => unknown) | undefined

/** JS → sqlite3. A `bigint` passes through: the adapter converts every one (sqlite3 would bind NULL), range-checked. */
export function sqliteBind(type: SqlType): P {
  switch (type.kind) {
    case 'bool': return (v: boolean) => (v ? 1 : 0)
    case 'datetime': return (v: Date) => isoUtc(v)
    case 'json': return (v: unknown) => JSON.stringify(v)
    case 'null': return anyValue
    default: return undefined
  }
}

function anyValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (v instanceof Date) return isoUtc(v)
  return v
}

/** `YYYY-MM-DD HH:MM:SS.sss`, UTC: sorts and compares as text. */
function isoUtc(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '')
}

/** sqlite3 → JS. */
export function sqliteResult(type: SqlType): P {
  switch (type.kind) {
    case 'bool': return (v: number | string) => Number(v) !== 0
    case 'biginteger': return (v: number | string) => BigInt(v)
    case 'integer': return (v: number | string) => (typeof v === 'string' ? Number(v) : v)
    case 'numeric': return (v: number | string) => String(v)
    case 'datetime': return readDatetime
    case 'json': return (v: string) => (typeof v === 'string' ? JSON.parse(v) : v)
    case 'bytes': return (v: Uint8Array) => v
    default: return undefined
  }
}

/** The `n`-digit decimal number at `i`, or -1 when a character is no digit. */
function digits(s: string, i: number, n: number): number {
  let x = 0
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48
    if (c < 0 || c > 9) return -1
    x = x * 10 + c
  }
  return x
}

/**
 * A stored DateTime → Date. Retort writes `YYYY-MM-DD HH:MM:SS.sss` (UTC):
 * read field by field (a string re-parse cost most of a 10k-row read).
 * Anything else (ISO with `T`/zone, other precisions, years below 100,
 * out-of-range fields, epoch ms) goes to `Date`'s parser as before.
 */
function readDatetime(v: string | number): Date {
  if (typeof v === 'number') return new Date(v)
  if (v.length === 23 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45 && v.charCodeAt(10) === 32 && v.charCodeAt(13) === 58 &&
      v.charCodeAt(16) === 58 && v.charCodeAt(19) === 46) {
    const y = digits(v, 0, 4), mo = digits(v, 5, 2), d = digits(v, 8, 2)
    const h = digits(v, 11, 2), mi = digits(v, 14, 2), se = digits(v, 17, 2), ms = digits(v, 20, 3)
    // Date.UTC maps years 0-99 to 19xx, and V8's parser refuses these out-of-range fields: both go the slow way
    if (y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 59 && ms >= 0) {
      return new Date(Date.UTC(y, mo - 1, d, h, mi, se, ms))
    }
  }
  return new Date(v.includes('T') || v.endsWith('Z') ? v : v.replace(' ', 'T') + 'Z')
}
