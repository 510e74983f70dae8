#!/usr/bin/env node
// The README's test command (`pnpm test`): build, lint and typecheck every
// package, run every package's tests (vitest writes .vitest-results.json per
// package; turbo caches and restores it), then end with one summary line,
// `N passed, N failed`, that CI reads. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const RESULTS = '.vitest-results.json'
const root = join(import.meta.dirname, '..')

/** Workspace folders whose package.json has a `test` script. */
function testedPackages() {
  const dirs = []
  for (const group of ['packages', 'examples', '.']) {
    const base = join(root, group)
    const names = group === '.' ? ['tests', 'bench'] : existsSync(base) ? readdirSync(base) : []
    for (const name of names) {
      const manifest = join(base, name, 'package.json')
      if (!existsSync(manifest)) continue
      if (JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) dirs.push(join(base, name))
    }
  }
  return dirs
}

function turbo(args) {
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', ...args], { cwd: root, stdio: 'inherit' })
  return r.status === 0
}

const packages = testedPackages()
for (const dir of packages) rmSync(join(dir, RESULTS), { force: true })

const checksOk = turbo(['build', 'lint', 'typecheck', '--continue'])
const testsOk = turbo(['test', '--continue', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`])

let passed = 0
let failed = 0
const notes = []
for (const dir of packages) {
  const file = join(dir, RESULTS)
  const name = dir.slice(root.length + 1)
  if (!existsSync(file)) { failed++; notes.push(`${name}: no test results (the run crashed or did not start)`); continue }
  const r = JSON.parse(readFileSync(file, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  if (skipped) { failed += skipped; notes.push(`${name}: ${skipped} skipped or todo test(s) count as failed (no test may be skipped)`) }
  if (!r.success && !r.numFailedTests && !skipped) { failed++; notes.push(`${name}: vitest reported a failure outside any test (a suite or hook error)`) }
}
if (!checksOk) { failed++; notes.push('build, lint or typecheck failed (see above)') }
if (!testsOk && !failed) { failed++; notes.push('a test task failed (see above)') }

for (const n of notes) console.log(n)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
