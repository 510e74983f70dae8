/**
 * `pnpm --filter bench profile -- --only=overhead-10k --backend=postgresql`:
 * runs the bench under `node --cpu-prof` and prints the functions with the
 * most self time, and the same grouped by package (core, driver, node).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const here = dirname(fileURLToPath(import.meta.url))
const dir = join(here, '..', '..', 'profiles')
const args = process.argv.slice(2)
const top = Number(args.find((a) => a.startsWith('--top='))?.split('=')[1] ?? 25)

rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', join(here, '..', 'main.js'), ...args.filter((a) => !a.startsWith('--top='))], { stdio: 'inherit' })
if (run.status) process.exit(run.status)

for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
  const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile
  const self = new Map<number, number>()
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byFn = new Map<string, number>()
  const byPkg = new Map<string, number>()
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0
    if (!t) continue
    const where = place(n.callFrame.url)
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${where}:${n.callFrame.lineNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + t)
    byPkg.set(pkg(n.callFrame.url, n.callFrame.functionName), (byPkg.get(pkg(n.callFrame.url, n.callFrame.functionName)) ?? 0) + t)
  }
  const pct = (t: number): string => ((100 * t) / total).toFixed(1).padStart(5) + '%'
  console.log(`\nprofile ${f}: ${(total / 1000).toFixed(0)} ms sampled`)
  console.log('self time by package:')
  for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(t)}  ${k}`)
  console.log(`top ${top} functions by self time:`)
  for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`)
}

function place(url: string): string {
  const m = /\/(packages\/[^/]+|node_modules\/\.pnpm\/[^/]+|bench)\/(.*)$/.exec(url)
  return m ? `${m[1].replace(/node_modules\/\.pnpm\//, '')}/${m[2]}` : url.replace(/^node:/, 'node:') || '(native)'
}
function pkg(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? 'gc' : fn === '(program)' || fn === '(idle)' ? fn : '(native/builtin)'
  if (url.includes('/packages/core/')) return '@retort/core'
  if (url.includes('/packages/')) return '@retort/' + /\/packages\/([^/]+)/.exec(url)![1]
  const m = /node_modules\/\.pnpm\/([^/]+?)@/.exec(url)
  if (m) return m[1]
  if (url.startsWith('node:')) return 'node internals'
  if (url.includes('/bench/')) return 'bench'
  return url
}
