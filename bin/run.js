#!/usr/bin/env node
// The compile cache (Node 22+) must be on before the rest of kdumpcheck is imported: src/cli/compile-cache.ts
// says where it lives and why that is safe; it imports only Node built-ins.
import {enableCompileCache} from '../dist/compile-cache.js'

enableCompileCache()
const {execute} = await import('../dist/main.js')
await execute({dir: import.meta.url})
