import { BindParam, ColumnElement, type SelectLike } from '../nodes/elements.js'
import { type KeyWriter } from '../nodes/node.js'
import { NullType, type SqlType, type TypeArg, resolveType, typeOfValue } from '../types/type.js'
import { splitBinds } from './text-binds.js'

export interface TextColumn { readonly name: string; readonly type: SqlType; readonly resultName: string }

/** Literal SQL with `:name` binds: `text('select * from users where id = :id')`. */
export class TextClause<R extends unknown[] = unknown[]> extends ColumnElement<unknown> implements SelectLike {
  readonly visitName = 'text'
  readonly isSelect = true as const
  readonly type = NullType
  declare readonly __row?: R
  readonly chunks: readonly string[]
  readonly binds: readonly BindParam[]
  constructor(readonly sql: string, values: Record<string, unknown> = {}, readonly resultColumns?: readonly TextColumn[], parsed?: { chunks: string[]; names: string[] }) {
    super()
    const { chunks, names } = parsed ?? splitBinds(sql)
    this.chunks = chunks
    this.binds = names.map((n) => new BindParam(values[n], n in values ? typeOfValue(values[n]) : NullType, n))
    Object.freeze(this)
  }
  /** Type the result columns so their values are converted: `.columns({ id: Integer, name: Text })`. */
  columns<C extends Record<string, TypeArg<any>>>(cols: C): TextClause<{ [K in keyof C]: C[K] extends TypeArg<infer T> ? T : unknown }[keyof C][]> {
    const rc = Object.entries(cols).map(([name, t]) => ({ name, type: resolveType(t), resultName: name }))
    return new TextClause(this.sql, Object.fromEntries(this.binds.filter((b) => b.value !== undefined).map((b) => [b.key!, b.value])), rc) as any
  }
  /** Bind values for the `:name` parameters. */
  bindParams(values: Record<string, unknown>): TextClause<R> {
    const merged = Object.fromEntries(this.binds.filter((b) => b.value !== undefined).map((b) => [b.key!, b.value]))
    return new TextClause<R>(this.sql, { ...merged, ...values }, this.resultColumns)
  }
  cacheKey(w: KeyWriter): void {
    w.parts.push('TXT', this.sql, this.resultColumns ? this.resultColumns.map((c) => c.name + ':' + c.type.kind).join(',') : '')
    for (const b of this.binds) b.cacheKey(w)
  }
}

/** Literal SQL with named binds. Values may be given here or to `execute`. */
export function text(sql: string, values?: Record<string, unknown>): TextClause {
  return new TextClause(sql, values)
}
