/**
 * The import directions docs/architecture.md allows, checked by `npm run depcheck` (part of `npm test`).
 *
 * Evidence flows sources -> snapshot -> parsers -> facts -> checks -> report -> commands; imports point the
 * other way, down that chain, and never up it. Each rule below names a layer and the only layers under src/
 * it may import; npm packages and node: built-ins are not the business of these rules.
 *
 * The parser is swc, not TypeScript: TypeScript 7 (the compiler this project builds with) has no JavaScript
 * API dependency-cruiser can load, and swc sees `import type` as the dependency it is.
 */
// src/util/: small pure helpers every layer may use (the one glob matcher, terminal escaping, bounded
// reads of small files); they import only the bottom themselves.
const BOTTOM = 'src/((errors|severity|units|version)\\.ts$|util/)'
const CONTRACT = 'src/snapshot/evidence\\.ts$'
/** The one write helper (src/io/write-atomic.ts): for the layers that write files, and no others. */
const IO = 'src/io/'
const alt = (...parts) => `^(${parts.join('|')})`

/** A layer may import only its own directory and the listed ones. */
function layer(name, from, ...allowed) {
  return {
    name: `layer-${name}`,
    comment: `${name} may import only: ${allowed.join(', ')}`,
    severity: 'error',
    from: {path: from},
    to: {path: '^src/', pathNot: alt(...allowed)},
  }
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in src/: each module can be read (and loaded) after the ones it imports.',
      severity: 'error',
      from: {path: '^src/'},
      to: {circular: true},
    },
    layer('bottom', `^${BOTTOM}`, BOTTOM),
    layer('io', '^src/io/', 'src/io/', BOTTOM),
    layer('snapshot', '^src/snapshot/', 'src/snapshot/', IO, BOTTOM),
    layer('parsers', '^src/parsers/', 'src/parsers/', 'src/snapshot/spec\\.ts$', BOTTOM),
    layer('sources', '^src/sources/', 'src/sources/', 'src/snapshot/', 'src/parsers/', IO, BOTTOM),
    layer('facts', '^src/facts/', 'src/facts/', 'src/parsers/', 'src/snapshot/', BOTTOM),
    layer('checks', '^src/checks/', 'src/checks/', 'src/facts/', 'src/parsers/', CONTRACT, BOTTOM),
    layer('config', '^src/config/', 'src/config/', BOTTOM),
    layer('report', '^src/report/', 'src/report/', 'src/checks/', 'src/facts/', 'src/parsers/', 'src/config/', CONTRACT, BOTTOM),
    layer('pipeline', '^src/pipeline\\.ts$', 'src/(sources|snapshot|parsers|facts|checks|config|report)/', BOTTOM),
    layer('preflight', '^src/preflight/', 'src/preflight/', 'src/pipeline\\.ts$', 'src/(sources|snapshot|parsers|facts|checks|config|report)/', IO, BOTTOM),
    layer('explain', '^src/explain/', 'src/explain/', 'src/pipeline\\.ts$', 'src/(snapshot|parsers|facts|checks|config|report)/', BOTTOM),
    layer('scan', '^src/scan/', 'src/scan/', 'src/pipeline\\.ts$', 'src/(sources|snapshot|parsers|facts|checks|config|report)/', IO, BOTTOM),
    layer('cli', '^src/cli/', 'src/cli/', 'src/pipeline\\.ts$', 'src/(sources|snapshot|parsers|facts|checks|config|report|preflight|explain|scan)/', IO, BOTTOM),
    {
      name: 'no-command-to-command',
      comment: 'A command never imports another command: what two commands share lives below them (src/preflight/, src/cli/...).',
      severity: 'error',
      from: {path: '^src/commands/([^/]+)\\.ts$'},
      to: {path: '^src/commands/', pathNot: '^src/commands/$1\\.ts$'},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    includeOnly: '^src/',
  },
}
