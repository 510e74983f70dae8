import { createRequire } from 'node:module'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { DriverNotInstalledError } from '../errors/errors.js'
import type { Dialect, DialectLoader } from './dialect.js'
import type { DatabaseUrl } from './url.js'
import { generated } from './codegen.js'

/** One registry per process, shared by every copy of core (ESM and CJS builds, two versions). */
const SLOT = Symbol.for('retort.dialects.v1')
const registry: Map<string, DialectLoader> = ((globalThis as any)[SLOT] ??= new Map<string, DialectLoader>())

/**
 * Register a dialect under `name` (`postgresql`) or `name+driver` (`postgresql+pg`).
 * Driver packages call this when imported; a third-party dialect can too.
 */
export function registerDialect(name: string, loader: DialectLoader): void {
  registry.set(name.toLowerCase(), loader)
}

const PACKAGES: Record<string, string> = {
  postgresql: '@retort/postgres', mysql: '@retort/mysql', mariadb: '@retort/mysql', sqlite: '@retort/sqlite',
}
const DRIVERS: Record<string, string> = { postgresql: 'pg', mysql: 'mysql2', mariadb: 'mysql2', sqlite: 'sqlite3' }

function lookup(url: DatabaseUrl): DialectLoader | undefined {
  return (url.driver && registry.get(url.drivername)) || registry.get(url.dialect)
}

/** Candidate package names for a dialect, in the order tried. */
export function packagesFor(dialect: string): string[] {
  return PACKAGES[dialect] ? [PACKAGES[dialect]] : [`@retort/${dialect}`, `retort-dialect-${dialect}`]
}

/** Folders the application may live in: the working directory and the entry script's folder. */
function appRoots(): string[] {
  const roots = [process.cwd()]
  const entry = process.argv[1]
  if (entry) roots.push(path.dirname(path.resolve(entry)))
  return roots
}

type Importer = (s: string) => Promise<unknown>
let importer: Importer | undefined

/**
 * `import()` that bundlers leave alone (a CJS build would turn a plain one
 * into `require`); made on first use, so that core loads where code
 * generation is refused (then the build's own `import()` serves).
 */
function dynamicImport(specifier: string): Promise<unknown> {
  importer ??= generated<Importer>([], [], 'return function importer(specifier) { return import(specifier) }') ?? ((s: string) => import(s))
  return importer(specifier)
}

async function importFromApp(pkg: string): Promise<boolean> {
  for (const root of appRoots()) {
    const req = createRequire(path.join(root, '__retort__.js'))
    let resolved: string
    try {
      resolved = req.resolve(pkg)
    } catch (e) {
      // an ESM-only package has no `require` export: find its folder and import it
      if ((e as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') continue
      const manifest = req.resolve(pkg + '/package.json')
      const exp = (req(manifest) as { exports?: any }).exports?.['.'] ?? (req(manifest) as { exports?: any }).exports
      const entry = typeof exp === 'string' ? exp : exp?.import?.default ?? exp?.import ?? exp?.default
      if (typeof entry !== 'string') continue
      await dynamicImport(pathToFileURL(path.join(path.dirname(manifest), entry)).href)
      return true
    }
    try { req(resolved) } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw e
      await dynamicImport(pathToFileURL(resolved).href)
    }
    return true
  }
  return false
}

/** Find the dialect for a URL: the registry, else the driver package loaded from the application. */
export async function resolveDialect(url: DatabaseUrl): Promise<Dialect> {
  let loader = lookup(url)
  if (!loader) {
    const tried = packagesFor(url.dialect)
    for (const pkg of tried) {
      if (await importFromApp(pkg)) { loader = lookup(url); if (loader) break }
    }
    if (!loader) {
      const pkg = tried[0]
      const drv = DRIVERS[url.dialect]
      throw new DriverNotInstalledError(
        `No dialect is registered for '${url.drivername}', and ${tried.map((p) => `'${p}'`).join(' or ')} could not be found from ${process.cwd()}. ` +
        `Install it: npm install ${pkg}${drv ? ' ' + drv : ''}  (or pnpm add ${pkg}${drv ? ' ' + drv : ''})`)
    }
  }
  const dialect = await loader()
  if (url.driver && dialect.driver && dialect.driver !== url.driver && !registry.has(url.drivername)) {
    throw new DriverNotInstalledError(
      `The URL asks for driver '${url.driver}', but the '${url.dialect}' dialect found uses '${dialect.driver}'. ` +
      `Use ${url.dialect}+${dialect.driver}:// or ${url.dialect}://, or register a dialect for '${url.drivername}'.`)
  }
  return dialect
}
