import { describe, expect, it } from 'vitest'
import { Integer, Text } from '../../src/sql/types/type.js'
import { MetaData } from '../../src/sql/schema/metadata.js'
import { columnDef as column, table } from '../../src/sql/schema/table.js'
import { and, not, or } from '../../src/sql/nodes/elements.js'
import { select } from '../../src/sql/builders/select.js'
import { SqlCompiler } from '../../src/sql/compiler/sql-compiler.js'

const t = table('t', { a: column(Integer), b: column(Integer), s: column(Text) }, { metadata: new MetaData() })
const where = (cond: any) => new SqlCompiler().compile(select(t.c.a).where(cond)).sql.replace('SELECT "t"."a" FROM "t" WHERE ', '')

describe('operator precedence: parentheses only where needed', () => {
  it('AND inside OR needs none, OR inside AND does', () => {
    expect(where(or(and(t.c.a.eq(1), t.c.b.eq(2)), t.c.a.eq(3)))).toBe('"t"."a" = ? AND "t"."b" = ? OR "t"."a" = ?')
    expect(where(and(or(t.c.a.eq(1), t.c.b.eq(2)), t.c.a.eq(3)))).toBe('("t"."a" = ? OR "t"."b" = ?) AND "t"."a" = ?')
  })
  it('arithmetic keeps its meaning', () => {
    expect(where(t.c.a.add(t.c.b).mul(2).gt(1))).toBe('("t"."a" + "t"."b") * ? > ?')
    expect(where(t.c.a.add(t.c.b.mul(2)).gt(1))).toBe('"t"."a" + "t"."b" * ? > ?')
    expect(where(t.c.a.sub(t.c.b.sub(1)).gt(0))).toBe('"t"."a" - ("t"."b" - ?) > ?')
    expect(where(t.c.a.sub(t.c.b).sub(1).gt(0))).toBe('"t"."a" - "t"."b" - ? > ?')
    expect(where(t.c.a.add(t.c.b.add(1)).gt(0))).toBe('"t"."a" + "t"."b" + ? > ?')
    expect(where(t.c.a.div(t.c.b.mul(2)).gt(0))).toBe('"t"."a" / ("t"."b" * ?) > ?')
  })
  it('comparisons of comparisons are grouped', () => {
    expect(where(t.c.a.eq(1).eq(false as any))).toBe('("t"."a" = ?) = ?')
  })
  it('not() groups its operand; IS NULL of an expression binds loosely', () => {
    expect(where(not(and(t.c.a.eq(1), t.c.b.eq(2))))).toBe('NOT ("t"."a" = ? AND "t"."b" = ?)')
    expect(where(t.c.a.add(1).isNull())).toBe('"t"."a" + ? IS NULL')
    expect(where(t.c.a.between(t.c.b.add(1), 5))).toBe('"t"."a" BETWEEN "t"."b" + ? AND ?')
  })
  it('a single condition in and()/or() is itself; empty ones are constants', () => {
    expect(where(and(t.c.a.eq(1)))).toBe('"t"."a" = ?')
    expect(where(and())).toBe('1 = 1')
    expect(where(or())).toBe('1 <> 1')
  })
})
