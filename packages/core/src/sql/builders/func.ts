import { type ColumnElement, type ExprArg, FunctionCall, Keyword, toExpr } from '../nodes/elements.js'
import type { Node } from '../nodes/node.js'
import { Float, Integer, NullType, type SqlType, Text } from '../types/type.js'

type Fn = (...args: ExprArg<any>[]) => FunctionCall<any>

/** Functions whose result type is known (others take their first argument's type). */
const RESULT_TYPES: Record<string, SqlType> = {
  count: Integer, length: Integer, char_length: Integer, row_number: Integer, rank: Integer, dense_rank: Integer,
  avg: Float, lower: Text, upper: Text, concat: Text, trim: Text, substr: Text, substring: Text, replace: Text,
}

function call(name: string, args: ExprArg<any>[], distinct = false): FunctionCall<any> {
  const nodes: Node[] = args.map((a) => toExpr(a))
  const type = RESULT_TYPES[name.toLowerCase()] ?? (nodes[0] as ColumnElement<any> | undefined)?.type ?? NullType
  return new FunctionCall(name, nodes, type, distinct)
}

export interface FuncNamespace {
  /** `COUNT(*)`, or `COUNT(expr)`; reads as a number. */
  count(expr?: ExprArg<any>): FunctionCall<number>
  countDistinct(expr: ExprArg<any>): FunctionCall<number>
  sum<T>(expr: ColumnElement<T>): FunctionCall<T>
  avg(expr: ColumnElement<any>): FunctionCall<number>
  min<T>(expr: ColumnElement<T>): FunctionCall<T>
  max<T>(expr: ColumnElement<T>): FunctionCall<T>
  lower(expr: ExprArg<string>): FunctionCall<string>
  upper(expr: ExprArg<string>): FunctionCall<string>
  coalesce<T>(...args: ExprArg<T>[]): FunctionCall<T>
  rowNumber(): FunctionCall<number>
  rank(): FunctionCall<number>
  denseRank(): FunctionCall<number>
  [name: string]: Fn | ((...a: any[]) => FunctionCall<any>)
}

const special: Record<string, (...a: any[]) => FunctionCall<any>> = {
  count: (expr?: ExprArg<any>) => new FunctionCall('count', [expr === undefined ? new Keyword('*') : toExpr(expr)], Integer),
  countDistinct: (expr: ExprArg<any>) => new FunctionCall('count', [toExpr(expr)], Integer, true),
  rowNumber: () => new FunctionCall('row_number', [], Integer),
  rank: () => new FunctionCall('rank', [], Integer),
  denseRank: () => new FunctionCall('dense_rank', [], Integer),
}

/** SQL functions by name: `func.count()`, `func.lower(users.c.name)`, `func.anything(...)`. */
export const func: FuncNamespace = new Proxy({} as FuncNamespace, {
  get(_, name: string) {
    return special[name] ?? ((...args: ExprArg<any>[]) => call(name, args))
  },
})
