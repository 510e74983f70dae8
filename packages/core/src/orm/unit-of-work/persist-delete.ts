import { StaleDataError } from '../../errors/errors.js'
import type { AsyncConnection } from '../../engine/connection.js'
import { rowsPerStatement } from '../../engine/dialect.js'
import { deleteFrom } from '../../sql/builders/dml.js'
import { BindParam, and, or } from '../../sql/nodes/elements.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { chunks, keysIn } from '../loading/key-criteria.js'

/**
 * DELETE rows of one mapper as `WHERE pk IN (...)` per batch. With a
 * version counter each row must still have the version loaded, or the
 * delete is stale (`StaleDataError`).
 */
export async function deleteRows(conn: AsyncConnection, mapper: Mapper, states: readonly InstanceState[]): Promise<void> {
  const pkOf = (st: InstanceState): unknown[] => mapper.pkKeys.map((k) => (st.committed && k in st.committed ? st.committed[k] : st.dict[k]))
  const vk = mapper.versionKey
  const per = mapper.pkKeys.length + (vk ? 1 : 0)
  for (const chunk of chunks(states, rowsPerStatement(conn.dialect, per))) {
    let where
    if (vk) {
      const vc = mapper.table.column(vk)!
      where = or(...chunk.map((st) => and(...mapper.pkColumns.map((c, i) => c.eq(new BindParam(pkOf(st)[i], c.type))), vc.eq(new BindParam(st.committed?.[vk] ?? st.dict[vk], vc.type)))))
    } else {
      where = keysIn(mapper.pkColumns, chunk.map(pkOf))
    }
    const res = await conn.execute(deleteFrom(mapper.table).where(where))
    if (vk && res.rowCount !== chunk.length) {
      throw new StaleDataError(`DELETE statement on table '${mapper.table.name}' expected to delete ${chunk.length} row(s); ${res.rowCount} were matched (the version counter changed)`)
    }
  }
}
