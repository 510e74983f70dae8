import type { Node } from '../nodes/node.js'

/**
 * Operator precedence, as SQLAlchemy's compiler uses it: a nested
 * expression gets parentheses only when it binds more loosely than its
 * parent, so `a + b * c`, `x > ? AND y < ?` stay unadorned and
 * `(a OR b) AND c` keeps its meaning.
 */
const BINARY: Record<string, number> = {
  '*': 8, '/': 8, '%': 8,
  '+': 7, '-': 7,
  '||': 6,
  '=': 5, '<>': 5, '<': 5, '<=': 5, '>': 5, '>=': 5, 'LIKE': 5, 'NOT LIKE': 5, 'ILIKE': 5, 'NOT ILIKE': 5,
  'IN': 5, 'NOT IN': 5, 'IS': 5, 'IS NOT': 5, 'IS DISTINCT FROM': 5, 'IS NOT DISTINCT FROM': 5,
  'AND': 3, 'OR': 2,
}
/** Operators whose nesting on the right needs no parentheses (`a + (b + c)` is `a + b + c`). */
const ASSOCIATIVE = new Set(['*', '+', '||', 'AND', 'OR'])
const ATOMIC = 100

/** How tightly a node binds; atoms (columns, binds, functions, groups) bind tightest. */
export function precedence(n: Node): number {
  const x = n as any
  switch (n.visitName) {
    case 'binary': return BINARY[x.operator] ?? 5
    case 'booleanList': return x.clauses.length ? BINARY[x.operator] : 5
    case 'unary': return x.postfix ? 5 : x.operator === 'NOT' ? 4 : 8
    case 'between': case 'inList': return 5
    default: return ATOMIC
  }
}

/** Whether `child` needs parentheses under an operator of precedence `parent` (on its right side when `right`). */
export function needsParens(child: Node, parent: number, parentOperator?: string, right = false): boolean {
  const p = precedence(child)
  if (p < parent) return true
  if (p > parent || p === ATOMIC) return false
  // equal precedence: left-associative chains are safe on the left; on the right only the same associative operator
  const op = (child as any).operator as string | undefined
  if (parent === 5) return true
  return right && !(op === parentOperator && op !== undefined && ASSOCIATIVE.has(op))
}
