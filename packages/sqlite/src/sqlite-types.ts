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
    case 'datetime': return (v: string | number) => (typeof v === 'number' ? new Date(v) : new Date(v.includes('T') || v.endsWith('Z') ? v : v.replace(' ', 'T') + 'Z'))
    case 'json': return (v: string) => (typeof v === 'string' ? JSON.parse(v) : v)
    case 'bytes': return (v: Uint8Array) => v
    default: return undefined
  }
}
