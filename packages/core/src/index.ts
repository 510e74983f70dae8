/**
 * Retort: an async SQL toolkit and ORM for TypeScript.
 * Engine and pool, the SQL expression language, DDL, errors, and the ORM.
 */
export * from './errors/index.js'
export * from './sql/index.js'
export * from './engine/index.js'
// the ORM (column() is the ORM's: a column definition that is also an accessor decorator)
export * from './orm/index.js'
