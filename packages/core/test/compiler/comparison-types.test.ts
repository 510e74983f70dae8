import { describe, expect, it } from 'vitest'
import { Integer, Text } from '../../src/sql/types/type.js'
import { MetaData } from '../../src/sql/schema/metadata.js'
import { columnDef as column, table } from '../../src/sql/schema/table.js'
import { SqlCompiler } from '../../src/sql/compiler/sql-compiler.js'
import { select } from '../../src/sql/builders/select.js'

const t = table('t', {
  id: column(Integer, { primaryKey: true }),
  parentId: column(Integer, { name: 'parent_id' }),
  name: column(Text, { nullable: false }),
}, { metadata: new MetaData() })

describe('comparison typing (checked by tsc)', () => {
  it('a non-null column compares with a nullable one of the same type, either way round', () => {
    const a = t.c.id.eq(t.c.parentId)
    const b = t.c.parentId.eq(t.c.id)
    const c = t.c.id.in([t.c.parentId, 1])
    const sql = (x: typeof a) => new SqlCompiler().compile(select(t.c.id).where(x)).sql
    expect(sql(a)).toContain('"t"."id" = "t"."parent_id"')
    expect(sql(b)).toContain('"t"."parent_id" = "t"."id"')
    expect(sql(c)).toContain('IN ("t"."parent_id", ?)')
  })
  it('values and columns of another type do not compile', () => {
    // @ts-expect-error a string is no integer
    t.c.id.eq('1')
    // @ts-expect-error a text column is no integer column
    t.c.id.eq(t.c.name)
    // @ts-expect-error a number is no string
    t.c.name.like(1)
    expect(true).toBe(true)
  })
})
