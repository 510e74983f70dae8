import { describe, expect, it } from 'vitest'
import { Integer, Text } from '../../src/sql/types/type.js'
import { MetaData } from '../../src/sql/schema/metadata.js'
import { table } from '../../src/sql/schema/table.js'
import { select } from '../../src/sql/builders/select.js'
import { column } from '../../src/index.js'

describe('table() column types (checked by tsc)', () => {
  it('the public column() gives non-null types for primary keys and nullable: false', () => {
    const t = table('tt', {
      id: column(Integer, { primaryKey: true }),
      label: column(Text, { nullable: false }),
      note: column(Text),
    }, { metadata: new MetaData() })
    const s = select(t.c.id, t.c.label, t.c.note)
    const row: [number, string, string | null] = undefined as unknown as NonNullable<typeof s.__row>
    // @ts-expect-error a nullable column is not a string
    const bad: [number, string, string] = undefined as unknown as NonNullable<typeof s.__row>
    expect([row, bad]).toHaveLength(2)
  })
})
