import type { SqlType } from '@retort/core/dialect'

type P = ((v: any) => unknown) | undefined
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** A Date as a UTC `DATETIME(6)` literal. */
export function mysqlDatetime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
}

export function mysqlBind(type: SqlType): P {
  switch (type.kind) {
    case 'datetime': return (v: Date) => mysqlDatetime(v)
    case 'json': return (v: unknown) => JSON.stringify(v)
    case 'biginteger': return (v: bigint | number) => v.toString()
    case 'bool': return (v: boolean) => (v ? 1 : 0)
    case 'null': return (v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Date ? mysqlDatetime(v) : v)
    default: return undefined
  }
}

export function mysqlResult(type: SqlType): P {
  switch (type.kind) {
    case 'bool': return (v: number | string) => Number(v) !== 0
    case 'biginteger': return (v: string | number) => BigInt(v)
    case 'integer': return (v: string | number) => (typeof v === 'string' ? Number(v) : v)
    case 'float': return (v: string | number) => (typeof v === 'string' ? Number(v) : v)
    case 'numeric': return (v: string | number) => String(v)
    case 'datetime': return (v: string | Date) => (v instanceof Date ? v : new Date(v.replace(' ', 'T') + 'Z'))
    case 'json': return (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)
    case 'date': return (v: string | Date) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)
    default: return undefined
  }
}
