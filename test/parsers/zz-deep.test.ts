import {expect, it} from 'vitest'
import fc from 'fast-check'
import {parseShellVars} from '../../src/parsers/shell-vars.js'
import {parseGrub2} from '../../src/parsers/grub2.js'
import {parseGrubLegacy} from '../../src/parsers/grub-legacy.js'
import {parseExtlinux} from '../../src/parsers/extlinux.js'
import {parseLsBoot} from '../../src/parsers/ls-boot.js'
import {parseRpmQuery, parseDpkgQuery} from '../../src/parsers/packages.js'
import {parseKdumpTools, parseKdumpSysconfig} from '../../src/parsers/kdump-sysconfig.js'
import {summarizeDistro} from '../../src/parsers/os-release.js'
import {anyText, expectWellFormed} from './never-throws.js'
import * as G from './grub2-samples.js'
import * as C from './config-samples.js'
it('deep', () => {
  expectWellFormed(parseShellVars('then '.repeat(5000) + 'A=1\n'))
  expectWellFormed(parseShellVars('A=' + '${B:-'.repeat(3000) + 'x' + '}'.repeat(3000) + '\n'))
  expectWellFormed(parseGrub2("menuentry 'a' { ".repeat(3000) + '\n'))
  expectWellFormed(parseGrub2('then '.repeat(5000) + '\n'))
  expectWellFormed(parseGrub2('x'.repeat(200000) + '"' ))
})
it('big fuzz', () => {
  const samples = [...Object.values(G), ...Object.values(C)]
  fc.assert(fc.property(anyText(samples), anyText(samples), (a, b) => {
    for (const r of [parseShellVars(a), parseGrub2(a, b), parseGrubLegacy(a, b), parseExtlinux(a), parseLsBoot(a, b, {referenceTime: b}), parseRpmQuery(a, b), parseDpkgQuery(a, b), parseKdumpTools(a), parseKdumpSysconfig(a), summarizeDistro({osRelease: a, redhatRelease: b, debianVersion: a, xensourceInventory: b})]) expectWellFormed(r)
  }), {numRuns: 5000})
})
