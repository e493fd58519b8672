// Whether an error means the WebAssembly runtime is broken for good: Emscripten's abort() (which
// web-tree-sitter's runtime reaches when its heap cannot grow past 2 GiB) throws a
// WebAssembly.RuntimeError "Aborted(…)", and any RuntimeError (a trap) leaves the module's memory
// in an unknown state. Every later call into the module fails, so the only cure is a new module.
export function isWasmAbort(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && /^Aborted\(/.test(e.message));
}

/** A worker thread's exit code after it stopped on a broken wasm runtime (the server's and the CLI's). */
export const WASM_ABORT_EXIT = 70;
