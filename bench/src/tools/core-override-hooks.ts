/** Module hooks for core-override.ts (they run on the loader thread). */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

let dist = ''
export function initialize(data: { dist: string }): void { dist = data.dist }

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>
export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === '@retort/core') return { url: pathToFileURL(join(dist, 'index.js')).href, shortCircuit: true }
  if (specifier === '@retort/core/dialect') return { url: pathToFileURL(join(dist, 'dialect.js')).href, shortCircuit: true }
  return next(specifier, context)
}
