/**
 * A SQL type: what the column is called in DDL (per dialect) and how JS
 * values cross the wire. Dialects add their own bind/result processing
 * keyed by `kind`; the type itself stays dialect-free.
 */
export interface SqlType<T = unknown> {
  readonly kind: TypeKind
  /** Phantom: the JS type of a value of this SQL type. */
  readonly __js?: T
  readonly length?: number
  readonly precision?: number
  readonly scale?: number
  readonly timezone?: boolean
  readonly values?: readonly string[]
  readonly enumName?: string
}

export type TypeKind =
  | 'integer' | 'biginteger' | 'text' | 'varchar' | 'bool' | 'float' | 'numeric'
  | 'datetime' | 'date' | 'json' | 'uuid' | 'bytes' | 'enum' | 'null'

export type JsOf<T> = T extends SqlType<infer J> ? J : never

const mk = <T>(kind: TypeKind, extra: Partial<SqlType<T>> = {}): SqlType<T> => Object.freeze({ kind, ...extra }) as SqlType<T>

/** 32-bit integer; JS `number`. */
export const Integer: SqlType<number> = mk<number>('integer')
/** 64-bit integer; JS `bigint`. */
export const BigInteger: SqlType<bigint> = mk<bigint>('biginteger')
/** Unbounded text; JS `string`. */
export const Text: SqlType<string> = mk<string>('text')
/** `VARCHAR(n)`; JS `string`. */
export function Varchar(length = 255): SqlType<string> { return mk<string>('varchar', { length }) }
/** Boolean; JS `boolean`. */
export const Bool: SqlType<boolean> = mk<boolean>('bool')
/** Double precision float; JS `number`. */
export const Float: SqlType<number> = mk<number>('float')
/** Exact decimal; JS `string` so no precision is lost (SQLite has no decimal type: a double there). */
export function Numeric(precision?: number, scale?: number): SqlType<string> { return mk<string>('numeric', { precision, scale }) }
/** Timestamp; JS `Date`. Without `timezone` it stores and reads UTC. */
export function DateTime(opts: { timezone?: boolean } = {}): SqlType<Date> { return mk<Date>('datetime', { timezone: !!opts.timezone }) }
/** Calendar date; JS `'YYYY-MM-DD'` string. */
export const DateOnly: SqlType<string> = mk<string>('date')
/** JSON document; any JSON-serialisable JS value. */
export const Json: SqlType<any> = mk<any>('json')
/** UUID; JS `string`. */
export const Uuid: SqlType<string> = mk<string>('uuid')
/** Binary; JS `Uint8Array` (a `Buffer` is one). */
export const Bytes: SqlType<Uint8Array> = mk<Uint8Array>('bytes')
/** Enumeration: native on PostgreSQL and MySQL, a checked string on SQLite. */
export function Enum<const V extends string>(values: readonly V[], opts: { name?: string } = {}): SqlType<V> {
  return mk<V>('enum', { values: Object.freeze([...values]), enumName: opts.name })
}
/** The type of an untyped value. */
export const NullType: SqlType<unknown> = mk<unknown>('null')

/** Accepts `DateTime` itself as well as `DateTime()`. */
export type TypeArg<T = unknown> = SqlType<T> | ((...a: any[]) => SqlType<T>)

export function resolveType<T>(t: TypeArg<T>): SqlType<T> {
  return typeof t === 'function' ? t() : t
}

/** Guess a SQL type from a JS value (for binds without a column to compare with). */
export function typeOfValue(v: unknown): SqlType {
  switch (typeof v) {
    case 'number': return Number.isInteger(v) ? Integer : Float
    case 'bigint': return BigInteger
    case 'boolean': return Bool
    case 'string': return Text
    case 'object':
      if (v instanceof Date) return DateTime()
      if (v instanceof Uint8Array) return Bytes
      return NullType
    default: return NullType
  }
}
