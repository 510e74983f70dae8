import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createAsyncEngine, isDriverNotInstalledError, registerDialect, text } from '@retort/core'
import { SqliteDialect } from '@retort/sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure } from './engine-support.js'

const run = promisify(execFile)
/** The child runs as a plain app would: no test runner's NODE_OPTIONS or module paths. */
const cleanEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME })
const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/core')

/** A dialect package that only the application can see, CommonJS, registering through core's CJS build. */
function fakeDialectPackage(root: string, pkg: string, dialectName: string): void {
  const dir = join(root, 'node_modules', pkg)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: pkg, version: '1.0.0', main: 'index.cjs' }))
  writeFileSync(join(dir, 'index.cjs'), `
const { registerDialect, SqlCompiler } = require('@retort/core/dialect')
const conn = {
  broken: false, raw: {},
  async query(sql) { return { rows: [[${JSON.stringify(pkg)}]], columns: ['pkg'], rowCount: 1 } },
  async *stream() {}, async cancel() {}, async ping() {}, async close() {},
}
registerDialect(${JSON.stringify(dialectName)}, () => ({
  name: ${JSON.stringify(dialectName)}, driver: 'fake',
  supportsReturning: false, supportsUpdateReturning: false, supportsMultiRowInsert: true, supportsSavepoints: false,
  supportsAlterForeignKeys: false, supportsIntersectExcept: false, supportsNativeEnum: false, maxBindParams: 999,
  tableNamesSql: 'x', createCompiler: () => new SqlCompiler(), connect: async () => conn,
  convertError: (e) => e, bindProcessor: () => undefined, resultProcessor: () => undefined, beginStatements: () => ['BEGIN'],
}))
`)
}

const APP = `
import { createAsyncEngine, isDriverNotInstalledError, text } from '@retort/core'
import { createRequire } from 'node:module'
const out = {}
for (const url of process.argv.slice(2)) {
  try {
    const engine = createAsyncEngine(url)
    out[url] = (await engine.connect((c) => c.execute(text('SELECT 1')))).scalar()
    await engine.dispose()
  } catch (e) { out[url] = { error: e.name, notInstalled: isDriverNotInstalledError(e), message: e.message } }
}
// the mixed case by hand: register through the CJS build, resolve from the ESM build
const cjs = createRequire(import.meta.url)('@retort/core/dialect')
const esmEngine = createAsyncEngine('engmixed://')
const { SqlCompiler } = cjs
cjs.registerDialect('engmixed', () => ({ name: 'engmixed', driver: 'fake', maxBindParams: 1, tableNamesSql: '', createCompiler: () => new SqlCompiler(),
  connect: async () => ({ broken: false, raw: {}, query: async () => ({ rows: [['mixed']], columns: ['x'], rowCount: 1 }), close: async () => {}, ping: async () => {}, cancel: async () => {} }),
  convertError: (e) => e, bindProcessor: () => undefined, resultProcessor: () => undefined, beginStatements: () => ['BEGIN'] }))
out.mixed = (await esmEngine.connect((c) => c.execute(text('SELECT 1')))).scalar()
console.log(JSON.stringify(out))
`

describe('dialect registry and discovery', () => {
  let app: string

  beforeAll(() => {
    // an application outside the workspace: core is linked in (as pnpm does, its real path
    // elsewhere, so core cannot see the app's node_modules); the dialect packages are the app's own
    app = mkdtempSync(join(tmpdir(), 'eng_reg_app_'))
    mkdirSync(join(app, 'node_modules', '@retort'), { recursive: true })
    symlinkSync(coreDir, join(app, 'node_modules', '@retort', 'core'), 'dir')
    fakeDialectPackage(app, '@retort/engscoped', 'engscoped')
    fakeDialectPackage(app, 'retort-dialect-engplain', 'engplain')
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    writeFileSync(join(app, 'app.mjs'), APP)
  })
  afterAll(() => { if (!process.env.ENG_KEEP) rmSync(app, { recursive: true, force: true }) })

  const urls = ['engscoped://', 'engplain+fake://', 'postgresql+pg://scott:tiger99@127.0.0.1/db', 'engnothing://']

  const check = (out: Record<string, any>): void => {
    expect(out['engscoped://']).toBe('@retort/engscoped')                 // x → @retort/x
    expect(out['engplain+fake://']).toBe('retort-dialect-engplain')       // then retort-dialect-x
    const pg = out['postgresql+pg://scott:tiger99@127.0.0.1/db']
    expect(pg.notInstalled).toBe(true)
    expect(pg.message).toContain('npm install @retort/postgres pg')
    expect(pg.message).not.toContain('tiger99')
    const none = out['engnothing://']
    expect(none.notInstalled).toBe(true)
    expect(none.message).toContain("'@retort/engnothing' or 'retort-dialect-engnothing'")
    expect(none.message).toContain('npm install @retort/engnothing')
    expect(out.mixed).toBe('mixed')
  }

  it('finds dialect packages from the working directory of the application', async () => {
    const { stdout } = await run(process.execPath, ['app.mjs', ...urls], { cwd: app, env: cleanEnv() })
    check(JSON.parse(stdout))
  })

  it("finds them from the entry script's folder when the working directory is elsewhere", async () => {
    const { stdout } = await run(process.execPath, [join(app, 'app.mjs'), ...urls], { cwd: tmpdir(), env: cleanEnv() })
    check(JSON.parse(stdout))
  })

  it('registers by dialect or dialect+driver, checks the driver, and takes a dialect object directly', async () => {
    registerDialect('engreg+drv', () => new SqliteDialect())
    const byDriver = createAsyncEngine('engreg+drv://')
    expect(await byDriver.connect(async (c) => Number((await c.execute(text('SELECT 7'))).scalar()))).toBe(7)
    await byDriver.dispose()

    registerDialect('engreg2', () => new SqliteDialect())
    const byName = createAsyncEngine('engreg2+sqlite3://')
    expect(await byName.connect(async (c) => Number((await c.execute(text('SELECT 8'))).scalar()))).toBe(8)
    await byName.dispose()
    const wrongDriver = await failure(createAsyncEngine('engreg2+otherdriver://').connect())
    expect(isDriverNotInstalledError(wrongDriver)).toBe(true)
    expect(wrongDriver.message).toContain("uses 'sqlite3'")

    const direct = createAsyncEngine('anything://', { dialect: new SqliteDialect() })
    expect(await direct.connect(async (c) => Number((await c.execute(text('SELECT 9'))).scalar()))).toBe(9)
    await direct.dispose()
  })
})
