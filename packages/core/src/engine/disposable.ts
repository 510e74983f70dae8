/**
 * `Symbol.asyncDispose` for the published types: Retort's `.d.ts` files
 * compile under `lib: ES2022` (no `esnext.disposable`), as @types/node does it.
 */
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol
  }
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>
  }
}

export {}
