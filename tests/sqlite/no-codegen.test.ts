import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('./fixtures/no-codegen.mjs', import.meta.url))

// Core generates its per-shape hot loops with `new Function`; where that is refused
// (`--disallow-code-generation-from-strings`, a CSP without 'unsafe-eval') every
// generated piece falls back to a plain loop, and core still loads.
describe('without code generation from strings', () => {
  it('Core (insert many, converted and named rows) and the ORM (object and positional rows, flush) work', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--disallow-code-generation-from-strings', script], { cwd: fileURLToPath(new URL('.', import.meta.url)) })
    expect(JSON.parse(stdout)).toEqual({
      keys: 150,
      row: { name: 'n3', flag: false },
      event: { title: 'a', at: '2024-05-06T07:08:09.010Z', done: true },
      tag: 'x',
    })
  })
})
