/**
 * Retort: an async SQL toolkit and ORM for TypeScript.
 * Engine and pool, the SQL expression language, DDL, errors, and the ORM.
 */
export * from './errors/index.js'
export * from './sql/index.js'
export { columnDef as column } from './sql/schema/table.js'
export * from './engine/index.js'
