import { type Column, type Excluded, type OnConflict, SqlCompiler, type SqlType, type Table } from '@retort/core/dialect'

/** MySQL/MariaDB SQL: backtick identifiers, `?` binds, `AUTO_INCREMENT`, `ON DUPLICATE KEY UPDATE`. */
export class MysqlCompiler extends SqlCompiler {
  override quote(name: string): string { return '`' + name.replace(/`/g, '``') + '`' }
  protected override columnType(t: Table<any>, col: Column<any>): string {
    return this.typeName(col.type) + (t.isAutoincrement(col) ? ' AUTO_INCREMENT' : '')
  }
  override typeName(t: SqlType): string {
    switch (t.kind) {
      case 'float': return 'DOUBLE'
      case 'datetime': return 'DATETIME(6)'
      case 'bytes': return 'LONGBLOB'
      case 'text': return 'LONGTEXT'
      case 'uuid': return 'CHAR(36)'
      case 'json': return 'JSON'
      case 'bool': return 'BOOLEAN'
      case 'numeric': return t.precision !== undefined ? `DECIMAL(${t.precision}, ${t.scale ?? 0})` : 'DECIMAL(65, 30)'
      case 'enum': return 'ENUM(' + (t.values ?? []).map((v) => "'" + v.replace(/'/g, "''") + "'").join(', ') + ')'
      default: return super.typeName(t)
    }
  }
  override castType(t: SqlType): string {
    switch (t.kind) {
      case 'integer': case 'biginteger': return 'SIGNED'
      case 'text': case 'varchar': case 'uuid': case 'enum': return 'CHAR'
      case 'float': return 'DOUBLE'
      case 'datetime': return 'DATETIME(6)'
      case 'bool': return 'SIGNED'
      default: return this.typeName(t)
    }
  }
  protected override checkEnums(): boolean { return false }
  protected override tableSuffix(): string { return ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' }
  protected override operator(op: string): string { return op === 'ILIKE' ? 'LIKE' : op }
  override visitBinary(e: any): string {
    if (e.operator === 'ILIKE') return 'LOWER(' + this.process(e.left) + ') LIKE LOWER(' + this.process(e.right) + ')'
    if (e.operator === '||') return 'CONCAT(' + this.process(e.left) + ', ' + this.process(e.right) + ')'
    return super.visitBinary(e)
  }
  override visitExcluded(e: Excluded): string { return 'VALUES(' + this.quote(e.column.name) + ')' }
  protected override onConflict(oc: OnConflict): string {
    if (oc.kind !== 'duplicateKey') return super.onConflict(oc)
    return ' ON DUPLICATE KEY UPDATE ' + oc.set.map(([c, v]) => this.quote(c.name) + ' = ' + this.process(v)).join(', ')
  }
  protected override defaultValues(): string { return ' () VALUES ()' }
  protected override limitOffset(limit?: any, offset?: any): string {
    let s = ''
    if (limit || offset) s += ' LIMIT ' + (limit ? this.process(limit) : '18446744073709551615')
    if (offset) s += ' OFFSET ' + this.process(offset)
    return s
  }
  protected override nullsOrder(): string { return '' }
  override visitDropForeignKey(d: any): string {
    return 'ALTER TABLE ' + this.visitTable(d.table) + ' DROP FOREIGN KEY ' + this.quote(this.foreignKeyName(d.table, d.fk))
  }
}
