/**
 * `@retort/core/dialect`: what a dialect author needs — the Dialect and
 * driver interfaces, the compiler base, types and errors — and nothing of
 * the ORM.
 */
export * from './errors/index.js'
export type { Dialect, DialectLoader, DriverConnection, DriverObjectResult, DriverResult, ConnectOptions, InsertKeyRange } from './engine/dialect.js'
export { estimateRowBytes, rowsPerStatement } from './engine/dialect.js'
export { registerDialect } from './engine/registry.js'
export { DatabaseUrl } from './engine/url.js'
export { SqlCompiler } from './sql/compiler/sql-compiler.js'
export { ExpressionCompiler, type CompileOutput, type ResultColumn } from './sql/compiler/expression-compiler.js'
export type { SqlType, TypeKind } from './sql/types/type.js'
export type { Table, ForeignKeyConstraint } from './sql/schema/table.js'
export type { Column } from './sql/nodes/from.js'
export type { Insert, Update, Delete, Excluded, OnConflict } from './sql/builders/dml.js'
export type { Select, CompoundSelect, LockOptions } from './sql/builders/select.js'
export type { CreateTable, DropTable, AddForeignKey, DropForeignKey, CreateIndex, CreateEnumType, DropEnumType } from './sql/schema/ddl.js'
export type * from './sql/nodes/elements.js'
