import { type Options, defineConfig } from 'tsup'

/** The build every public package shares: ESM + CJS + .d.ts for Node 20, class names kept (error names). */
export function packageConfig(entry: string[], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    keepNames: true,
    ...extra,
  })
}
