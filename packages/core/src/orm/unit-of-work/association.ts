import type { AsyncConnection } from '../../engine/connection.js'
import { rowsPerStatement } from '../../engine/dialect.js'
import { deleteFrom, insert } from '../../sql/builders/dml.js'
import { and, or } from '../../sql/nodes/elements.js'
import { chunks, keysIn } from '../loading/key-criteria.js'
import type { AssocRow } from './flush-plan.js'

/** Values of one association row, in the secondary table's column order. */
function rowValues(a: AssocRow): Record<string, unknown> {
  const byKey: Record<string, unknown> = {}
  for (const p of a.rel.pairs) byKey[p.referencing.key] = a.left.dict[a.rel.owner.keyOf(p.referenced)]
  for (const p of a.rel.remotePairs) byKey[p.referencing.key] = a.right.dict[a.rel.target.keyOf(p.referenced)]
  const out: Record<string, unknown> = {}
  for (const c of a.rel.secondary!.columns) if (c.key in byKey) out[c.key] = byKey[c.key]
  return out
}

/** INSERT association rows of many-to-many relationships (batched per secondary table). */
export async function insertAssociations(conn: AsyncConnection, rows: readonly AssocRow[]): Promise<void> {
  const bySec = new Map<object, AssocRow[]>()
  for (const r of rows) { const l = bySec.get(r.rel.secondary!) ?? []; l.push(r); bySec.set(r.rel.secondary!, l) }
  for (const [sec, list] of bySec) {
    const width = list[0].rel.pairs.length + list[0].rel.remotePairs.length
    for (const chunk of chunks(list, rowsPerStatement(conn.dialect, width))) {
      await conn.execute(insert(sec as any).values(chunk.map(rowValues)))
    }
  }
}

/** DELETE association rows one by one pair (`(a = ? AND b = ?) OR ...`). */
export async function deleteAssociations(conn: AsyncConnection, rows: readonly AssocRow[]): Promise<void> {
  for (const chunk of chunks(rows, 500)) {
    const sec = chunk[0].rel.secondary!
    const where = or(...chunk.map((r) => and(...Object.entries(rowValues(r)).map(([k, v]) => sec.column(k)!.eq(v)))))
    await conn.execute(deleteFrom(sec).where(where))
  }
}

/** DELETE every association row of deleted objects (`WHERE key IN (...)`). */
export async function deleteAllAssociations(conn: AsyncConnection, rows: readonly AssocRow[]): Promise<void> {
  const seen = new Set<string>()
  for (const r of rows) {
    const sec = r.rel.secondary!
    const cols = r.rel.pairs.map((p) => p.referencing)
    const id = `${sec.name}|${cols.map((c) => c.name)}|${r.rel.pairs.map((p) => String(r.left.dict[r.rel.owner.keyOf(p.referenced)]))}`
    if (seen.has(id)) continue
    seen.add(id)
    await conn.execute(deleteFrom(sec).where(keysIn(cols, [r.rel.pairs.map((p) => r.left.dict[r.rel.owner.keyOf(p.referenced)])])))
  }
}
