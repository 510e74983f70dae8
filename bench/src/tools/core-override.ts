/**
 * A/B a change to core without touching the shared checkout:
 *   RETORT_CORE_DIST=/path/to/patched/core/dist node --expose-gc --import ./dist/tools/core-override.js dist/main.js ...
 * resolves `@retort/core` and `@retort/core/dialect` (for the bench and the
 * driver packages alike) to that build.
 */
import { register } from 'node:module'

if (process.env.RETORT_CORE_DIST) {
  register('./core-override-hooks.js', { parentURL: import.meta.url, data: { dist: process.env.RETORT_CORE_DIST } })
  console.log(`@retort/core resolved from ${process.env.RETORT_CORE_DIST}`)
}
