import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { recordStatements } from './support.js'

const run = promisify(execFile)
const quickstart = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url))
const EXPECTED = 'User: Jane Doe\n  Order: 100\n  Order: 200\nUser: Bob Smith\n  Order: 300\n'

describe.each(BACKENDS)('quickstart scenario on $name', ({ name, url }) => {
  const engine = makeEngine(name)
  afterAll(() => engine.dispose())

  it('prints the block, with exactly two SELECTs for the selectinload query, then takes the error path', async () => {
    const app = quickstart + 'app.js'
    const { run: scenario } = (await import(app)) as { run: (e: unknown, out: (s: string) => void, err: (s: string) => void) => Promise<void> }
    const out: string[] = []
    const err: string[] = []
    const rec = recordStatements(engine)
    await scenario(engine, (s) => out.push(s), (s) => err.push(s))
    rec.stop()
    expect(out.join('\n') + '\n').toBe(EXPECTED)
    const selects = rec.dml().filter((q) => q.startsWith('SELECT') && /FROM (users|orders)\b/.test(q))
    expect(selects).toEqual([
      'SELECT orders.id, orders.user_id, orders.total FROM orders WHERE orders.user_id = ?',
      'SELECT users.id, users.name FROM users ORDER BY users.id',
      'SELECT orders.id, orders.user_id, orders.total FROM orders WHERE orders.user_id IN (?, ?) ORDER BY orders.id',
      expect.stringMatching(/^SELECT (count|COUNT)\(\*\).* FROM orders$/),
    ])
    expect(err).toEqual(['rolled back: IntegrityError (ForeignKeyViolation)', 'the session is still usable: 3 orders'])
  })

  it('node examples/quickstart/index.js prints exactly the block on stdout', async () => {
    const { stdout } = await run(process.execPath, ['index.js'], { cwd: quickstart, env: { ...process.env, DATABASE_URL: url } })
    expect(stdout).toBe(EXPECTED)
  })
})

describe('TypeScript quickstart (decorators, two models in two files importing each other)', () => {
  it('compiles under strict tsc and prints the same block', async () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))
    await run(process.execPath, [tsc, '-p', 'ts'], { cwd: quickstart })
    const { stdout } = await run(process.execPath, ['ts/dist/main.js'], { cwd: quickstart })
    expect(stdout).toBe(EXPECTED)
  })
})
