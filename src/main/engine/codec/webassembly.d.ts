// The part of the WebAssembly JS API the engine uses. @types/node does not declare it and the
// DOM lib, which does, has no place in main's types.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array)
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>)
    readonly exports: Record<string, unknown>
  }
  class Memory {
    readonly buffer: ArrayBuffer
  }
  function validate(bytes: Uint8Array): boolean
}
