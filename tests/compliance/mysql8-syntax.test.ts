import { CreateTable, Integer, MetaData, column, select, table, update } from '@retort/core'
import { MysqlCompiler } from '@retort/mysql'
import { describe, expect, it } from 'vitest'

// Only MariaDB runs here: MySQL 8's syntax differences are checked at the compiler.
describe('MySQL 8 syntax (compiler only)', () => {
  const t = table('cmp_my8', { id: column(Integer, { primaryKey: true }) }, { metadata: new MetaData() })
  const mysql8 = () => new MysqlCompiler({ mariadb: false })
  const mariadb = () => new MysqlCompiler({ mariadb: true })

  it('row locks: FOR SHARE and OF on MySQL 8, LOCK IN SHARE MODE and no OF on MariaDB', () => {
    const stmt = select(t.c.id).withForUpdate({ of: [t], skipLocked: true })
    expect(mysql8().compile(stmt).sql).toBe('SELECT `cmp_my8`.`id` FROM `cmp_my8` FOR UPDATE OF `cmp_my8` SKIP LOCKED')
    expect(mariadb().compile(stmt).sql).toBe('SELECT `cmp_my8`.`id` FROM `cmp_my8` FOR UPDATE SKIP LOCKED')
    expect(mysql8().compile(select(t.c.id).withForUpdate({ read: true })).sql).toMatch(/FOR SHARE$/)
    expect(mariadb().compile(select(t.c.id).withForUpdate({ read: true })).sql).toMatch(/LOCK IN SHARE MODE$/)
  })

  it('tables get a binary NO PAD collation on both', () => {
    expect(mysql8().compile(new CreateTable(t)).sql).toMatch(/COLLATE=utf8mb4_0900_bin$/)
    expect(mariadb().compile(new CreateTable(t)).sql).toMatch(/COLLATE=utf8mb4_nopad_bin$/)
  })

  it('UPDATE ... RETURNING is refused on both', () => {
    expect(() => mysql8().compile(update(t).values({ id: 1 }).returning(t.c.id))).toThrow(/no UPDATE \.\.\. RETURNING/)
  })
})
