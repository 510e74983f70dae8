/**
 * `pnpm bench`: every benchmark under suites/<group>/ (one file each, found
 * at run time) on every backend, printing raw and Retort times and ratios.
 *
 *   pnpm bench                                  everything
 *   pnpm bench -- --backend=postgresql,sqlite   some backends
 *   pnpm bench -- --only=key-lookup,select-10k  some benchmarks
 *   pnpm bench -- --group=orm                   one group
 *   pnpm bench -- --quick                       fewer rounds/ops (smoke run)
 *   pnpm bench -- --rounds=31 --warmup=3        override rounds / warmup rounds
 *   pnpm bench -- --json=results.json           also write the figures as JSON
 *   pnpm bench -- --gc=off                      no forced GC before each timed batch (steady-state heap)
 *   pnpm bench -- --gc=warm[:N]                 (default) forced GC, then N untimed ops of the same variant (default: 2× the batch, at least 3) before each timed batch
 *   pnpm bench -- --gc=on                       forced GC right before each timed batch (the method before 2026-11-25)
 *   pnpm bench -- --one-process                 all backends in this process (default: a child process per backend)
 *
 * With several backends each runs in a fresh child process: an application
 * talks to one database, and code shared by the dialects (the ORM, the
 * compiler) that has run against pg and MariaDB first is slower on SQLite
 * than it would be in a process of its own (see docs/benchmarks.md).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BACKEND_NAMES, type Backend, openBackend } from './backends.js'
import { type BenchResult, type Benchmark, disableForcedGc, fmtMs, measure, report, warmAfterForcedGc } from './harness.js'

const here = dirname(fileURLToPath(import.meta.url))
const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=')
  return [k, v ?? 'true'] as const
}))
const list = (k: string): string[] | undefined => args.get(k)?.split(',').filter(Boolean)

/** Every benchmark file under suites/<group>/, in file-name order. */
async function discover(): Promise<Benchmark[]> {
  const out: Benchmark[] = []
  for (const group of ['core', 'orm']) {
    let files: string[]
    try { files = readdirSync(join(here, 'suites', group)).filter((f) => f.endsWith('.js')).sort() } catch { continue }
    for (const f of files) {
      const mod = (await import(pathToFileURL(join(here, 'suites', group, f)).href)) as { default?: Benchmark | Benchmark[] }
      if (mod.default) out.push(...[mod.default].flat())
    }
  }
  return out
}

/**
 * One bench at a time on this machine: runs share the servers' `bench_*`
 * tables (one run's setup drops the other's) and two cores. A second run
 * waits for the first (a lock directory under the OS temp dir).
 */
async function exclusive(): Promise<void> {
  const lock = join(tmpdir(), 'retort-bench.lock')
  for (let waited = 0; ; waited += 1) {
    try { mkdirSync(lock); break } catch {
      if (waited === 0) console.log(`waiting for another bench run to finish (lock ${lock}; remove it if no bench is running)`)
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  const release = (): void => { rmSync(lock, { recursive: true, force: true }) }
  process.on('exit', release)
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { release(); process.exit(130) })
}

/**
 * Each backend in a child process of its own (same arguments, one backend);
 * their results come back through a JSON file each.
 */
function runIsolated(backends: readonly string[], benchmarks: readonly Benchmark[]): BenchResult[] | undefined {
  const rest = process.argv.slice(2).filter((a) => !a.startsWith('--backend=') && !a.startsWith('--json='))
  const out: BenchResult[] = []
  for (const name of backends) {
    const file = join(tmpdir(), `retort-bench-${process.pid}-${name}.json`)
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...rest, `--backend=${name}`, `--json=${file}`, '--child'], { stdio: 'inherit' })
    if (run.status !== 0) { process.exitCode = run.status ?? 1; return undefined }
    for (const r of JSON.parse(readFileSync(file, 'utf8')) as JsonResult[]) out.push({ ...r, benchmark: benchmarks.find((b) => b.id === r.benchmark)! })
    rmSync(file, { force: true })
  }
  return out
}

async function main(): Promise<void> {
  const child = args.has('child')
  if (!child) await exclusive()
  const only = list('only')
  const groups = list('group')
  const benchmarks = (await discover()).filter((b) => (!only || only.includes(b.id)) && (!groups || groups.includes(b.group)))
  const backends = (list('backend') ?? [...BACKEND_NAMES]) as Backend['name'][]
  const opts = { quick: args.has('quick'), warmupRounds: Number(args.get('warmup') ?? 2), rounds: args.has('rounds') ? Number(args.get('rounds')) : undefined }
  // default: forced GC then 2× the batch's ops untimed, of the same variant (see warmAfterForcedGc); --gc=on is the older method
  const gcMode = args.get('gc') ?? 'warm'
  if (gcMode === 'off') disableForcedGc()
  else if (gcMode.startsWith('warm')) warmAfterForcedGc(gcMode.includes(':') ? Number(gcMode.split(':')[1]) : undefined)
  else if (gcMode !== 'on') throw new Error(`--gc=${gcMode}: expected on, off or warm[:N]`)
  if (!child) console.log(`Retort bench — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), forced gc before each batch: ${!('gc' in globalThis) || gcMode === 'off' ? 'no (--gc=off)' : gcMode.startsWith('warm') ? `yes, then ${gcMode.split(':')[1] ?? '2× the batch\'s'} untimed ops of the same variant (--gc=${gcMode})` : 'yes'}`)
  const isolate = !child && backends.length > 1 && !args.has('one-process')
  if (!child) console.log(`benchmarks: ${benchmarks.map((b) => b.id).join(', ')}; backends: ${backends.join(', ')}${isolate ? ', a process each' : ''}${opts.quick ? ' (quick)' : ''}\n`)
  if (isolate) {
    const isolated = runIsolated(backends, benchmarks)
    if (!isolated) return
    console.log(summary(isolated))
    writeJson(isolated)
    return
  }
  const results: BenchResult[] = []
  for (const name of backends) {
    console.log(`== ${name}`)
    const backend = await openBackend(name, { coreTables: benchmarks.some((b) => b.group === 'core') })
    try {
      for (const b of benchmarks) {
        await backend.reopenRaw()
        const p = await b.prepare(backend)
        try {
          if (p.sql) console.log(`  sql: ${p.sql}`)
          const r = await measure(b, name, p, opts)
          results.push(r)
          console.log(report(r) + '\n')
        } finally { await p.teardown?.() }
      }
    } finally { await backend.close() }
  }
  if (!child) console.log(summary(results))
  writeJson(results)
}

/** A result as `--json` writes it: the benchmark by id. */
type JsonResult = Omit<BenchResult, 'benchmark'> & { benchmark: string }

/** `--json=file`: the figures (benchmarks by id). */
function writeJson(results: BenchResult[]): void {
  const json = args.get('json')
  if (!json) return
  writeFileSync(json, JSON.stringify(results.map((r): JsonResult => ({ ...r, benchmark: r.benchmark.id })), null, 2))
  if (!args.has('child')) console.log(`\nwrote ${json}`)
}

/** One markdown table: benchmark × backend with baseline, Retort and ratio. */
function summary(results: BenchResult[]): string {
  const lines = ['| benchmark | backend | baseline ms | retort ms | ratio | target | retort statements/op |', '| --- | --- | ---: | ---: | ---: | ---: | --- |']
  for (const r of results) {
    const [base, subj] = r.variants
    const t = r.benchmark.target
    lines.push(`| ${r.benchmark.id} | ${r.backend} | ${fmtMs(base.msPerOp)} | ${fmtMs(subj.msPerOp)} | ${r.ratio.toFixed(2)}× | ${t ? `≤ ${t}× ${r.ratio <= t ? '✓' : '✗'}` : ''} | ${r.statements ?? ''} |`)
  }
  return lines.join('\n')
}

main().catch((err) => { console.error(err); process.exitCode = 1 })
