/** Whether `new Function` works here (false under a CSP without 'unsafe-eval' or `--disallow-code-generation-from-strings`). */
let canGenerate = true

/**
 * `new Function(...names, source)(...values)`: the generated code Core uses
 * for its per-shape hot loops (constant-key loads and stores). `undefined`
 * where code generation is not allowed; after one refusal it is not tried
 * again, and each caller falls back to a plain loop.
 */
export function generated<T>(names: readonly string[], values: readonly unknown[], source: string): T | undefined {
  if (!canGenerate) return undefined
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    return new Function(...names, source)(...values) as T
  } catch {
    canGenerate = false
    return undefined
  }
}
