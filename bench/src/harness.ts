/**
 * The timing harness. A benchmark compares a baseline (the raw driver, or a
 * cold compile) with a subject (Retort) on the same work. Variants run
 * interleaved in rounds (A B, then B A, ...) so that noise from the other
 * processes on the machine hits both alike; figures are medians over rounds,
 * and the ratio is the median of the per-round ratios (a paired measure).
 */
import type { Backend } from './backends.js'

/** One way of doing the benchmark's work. `run(i)` is one operation. */
export interface Variant {
  name: string
  /** One operation; may be synchronous (compile benchmarks) to avoid a microtask per op. */
  run(i: number): void | Promise<void>
  /** Untimed, before each round (e.g. `BEGIN` for raw drivers). */
  before?(): void | Promise<void>
  /** Untimed, after each round (commit, clean up inserted rows). */
  after?(): void | Promise<void>
}

/** A benchmark ready to run on one backend. */
export interface Prepared {
  baseline: Variant
  subject: Variant
  /** Other variants shown for information (ratio against the baseline too). */
  extras?: Variant[]
  /** SQL both sides run, printed once. */
  sql?: string
  note?: string
  /** What one Retort operation sends (counted with `engine.events`), e.g. `3 statements (1 BEGIN, 1 UPDATE, 1 COMMIT)`. */
  statements?: string
  teardown?(): Promise<void>
}

export interface Benchmark {
  /** Short id used on the command line (`--only=key-lookup`). */
  id: string
  title: string
  /** Which group: `core` now, `orm` when issue 4 lands. */
  group: 'core' | 'orm'
  /** `db`: runs against each backend; `none`: needs only each dialect's compiler. */
  needs: 'db' | 'none'
  /** Operations per round (per variant), and rounds; `--quick` divides them. */
  opsPerRound: number
  rounds: number
  /** Target ratio subject/baseline from the issue, if any. */
  target?: number
  /** How to read the ratio when it is not "Retort ÷ raw". */
  ratioLabel?: string
  prepare(backend: Backend): Promise<Prepared>
}

export interface VariantFigures { name: string; msPerOp: number; p25: number; p75: number }
export interface BenchResult {
  benchmark: Benchmark
  backend: string
  variants: VariantFigures[]
  /** Median per-round ratio subject/baseline, with its interquartile range. */
  ratio: number
  ratioP25: number
  ratioP75: number
  ops: number
  rounds: number
  sql?: string
  note?: string
  statements?: string
}

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc
/**
 * `--gc=off`: no forced full GC before each timed batch (the heap as a
 * process that has been running for a while has it; one variant's garbage
 * may be collected in another's batch). Why the forced GC slows ORM
 * variants far more than raw ones: see `warmAfterForcedGc`. (It is not the
 * young generation shrinking: with TurboFan off, --no-opt --no-maglev, the
 * flush measures the same with and without the forced GC.)
 */
export function disableForcedGc(): void { gc = undefined }

/**
 * `--gc=warm[:N]`: after the forced full GC, N untimed operations of the
 * same variant before the timed batch; by default twice the batch's
 * operations, at least 3.
 *
 * Why: a forced GC between batches runs at a moment when none of the
 * variant's per-operation objects (sessions, identity stores, model
 * instances, instance states) is alive. That full GC clears their hidden
 * classes (leaf maps of the transition tree, held only weakly) and every
 * TurboFan function that embedded one is deoptimized ("reason: weak
 * objects" under --trace-deopt: ~40 ORM functions per GC). The next batch
 * then runs in the interpreter/baseline tier, relearns new maps and
 * recompiles. A long-running process does not pay that per batch: its full
 * GCs are allocation-driven and happen while work is in flight. The
 * warm-up operations are the variant's own (their garbage is charged to
 * it, not to the other side), and the GC before them still keeps one
 * variant's garbage out of the other's batch.
 *
 * How long the recovery takes: about two 12k-object flushes, but ~8 loads
 * of 10k models (MariaDB, median per op after gc(), 25 rounds, ms: ORM
 * 22.2 11.7 13.0 9.8 14.5 12.4 11.5 11.0 10.3 10.8 10.3 10.5; raw mysql2
 * 13.8 9.1 7.2 7.3 8.7 7.3 …). With the earlier fixed 3 ops, the load's
 * timed ops were still recovering (orm-load MariaDB 1.44–1.51× with 3,
 * 1.24× with 10, 1.25× with no forced GC at all), so the default scales
 * with the batch.
 */
let warmOps: number | 'auto' = 0
export function warmAfterForcedGc(n?: number): void { warmOps = n ?? 'auto' }

async function timeRound(v: Variant, ops: number): Promise<number> {
  if (v.before) await v.before()
  gc?.()
  // untimed re-warm-up after the forced GC (indices after the timed ones: no op repeats a timed op's key)
  const warm = warmOps === 'auto' ? Math.max(3, 2 * ops) : warmOps
  if (gc) for (let w = 0; w < warm; w++) { const r = v.run(ops + w); if (r) await r }
  const t0 = performance.now()
  for (let i = 0; i < ops; i++) {
    const r = v.run(i)
    if (r) await r
  }
  const ms = performance.now() - t0
  if (v.after) await v.after()
  return ms / ops
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}
export const median = (xs: readonly number[]): number => quantile(xs, 0.5)

export interface RunOptions { quick: boolean; warmupRounds: number; rounds?: number }

/** Run one prepared benchmark: warmup rounds, then interleaved timed rounds. */
export async function measure(b: Benchmark, backend: string, p: Prepared, opts: RunOptions): Promise<BenchResult> {
  const ops = Math.max(1, Math.round(b.opsPerRound / (opts.quick ? 4 : 1)))
  const rounds = opts.rounds ?? (opts.quick ? Math.max(3, Math.round(b.rounds / 3)) : b.rounds)
  const all = [p.baseline, p.subject, ...(p.extras ?? [])]
  const times = new Map<Variant, number[]>(all.map((v) => [v, []]))
  const ratios: number[] = []
  for (let w = 0; w < opts.warmupRounds; w++) for (const v of all) await timeRound(v, ops)
  for (let r = 0; r < rounds; r++) {
    // alternate the order so drift and GC debt fall on both sides equally
    const order = r % 2 === 0 ? all : [...all].reverse()
    const round = new Map<Variant, number>()
    for (const v of order) round.set(v, await timeRound(v, ops))
    for (const [v, ms] of round) times.get(v)!.push(ms)
    ratios.push(round.get(p.subject)! / round.get(p.baseline)!)
  }
  return {
    benchmark: b,
    backend,
    variants: all.map((v) => {
      const t = times.get(v)!
      return { name: v.name, msPerOp: median(t), p25: quantile(t, 0.25), p75: quantile(t, 0.75) }
    }),
    ratio: median(ratios),
    ratioP25: quantile(ratios, 0.25),
    ratioP75: quantile(ratios, 0.75),
    ops,
    rounds,
    sql: p.sql,
    note: p.note,
    statements: p.statements,
  }
}

/** Milliseconds with a sensible number of digits (µs-scale values keep three significant ones). */
export function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0)
  if (ms >= 10) return ms.toFixed(1)
  if (ms >= 1) return ms.toFixed(2)
  return ms.toPrecision(3)
}

export function report(r: BenchResult): string {
  const b = r.benchmark
  const base = r.variants[0]
  const lines: string[] = []
  const target = b.target ? `  (target ≤ ${b.target}×: ${r.ratio <= b.target ? 'met' : 'MISSED'})` : ''
  lines.push(`  ${b.title} [${r.backend}]  ${r.rounds} rounds × ${r.ops} ops`)
  for (const v of r.variants) {
    const vs = v === base ? '' : `  ${(v.msPerOp / base.msPerOp).toFixed(2)}× ${v === r.variants[1] ? '' : '(info)'}`
    lines.push(`    ${v.name.padEnd(34)} ${fmtMs(v.msPerOp).padStart(9)} ms/op  [p25 ${fmtMs(v.p25)} – p75 ${fmtMs(v.p75)}]${vs}`)
  }
  lines.push(`    ${(b.ratioLabel ?? 'ratio retort/raw (median of rounds)').padEnd(34)} ${r.ratio.toFixed(2)}×  [${r.ratioP25.toFixed(2)} – ${r.ratioP75.toFixed(2)}]${target}`)
  if (r.statements) lines.push(`    retort statements per op: ${r.statements}`)
  if (r.note) lines.push(`    note: ${r.note}`)
  return lines.join('\n')
}
