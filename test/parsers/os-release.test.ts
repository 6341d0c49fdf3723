import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {parseDebianVersion, parseOsRelease, parseRedhatRelease, parseXensourceInventory, summarizeDistro} from '../../src/parsers/os-release.js'
import {expectWellFormed, mutatedSample, neverThrows, value} from './never-throws.js'

const DEBIAN12_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`

const RHEL7_OS_RELEASE = `NAME="Red Hat Enterprise Linux Server"
VERSION="7.9 (Maipo)"
ID="rhel"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="7.9"
PRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:redhat:enterprise_linux:7.9:GA:server"
HOME_URL="https://www.redhat.com/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"

REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 7"
REDHAT_BUGZILLA_PRODUCT_VERSION=7.9
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="7.9"
`

const RHEL9_OS_RELEASE = `NAME="Red Hat Enterprise Linux"
VERSION="9.4 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
BUG_REPORT_URL="https://bugzilla.redhat.com/"
`

const CENTOS7_OS_RELEASE = `NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"
`

const SLES15_OS_RELEASE = `NAME="SLES"
VERSION="15-SP5"
VERSION_ID="15.5"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
ID="sles"
ID_LIKE="suse"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:suse:sles:15:sp5"
DOCUMENTATION_URL="https://documentation.suse.com/"
`

const XCPNG82_OS_RELEASE = `NAME="XCP-ng"
VERSION="8.2.1"
ID="xenenterprise"
ID_LIKE="centos rhel fedora"
VERSION_ID="8.2.1"
PRETTY_NAME="XCP-ng 8.2.1"
ANSI_COLOR="0;31"
HOME_URL="http://xcp-ng.org/"
BUG_REPORT_URL="https://github.com/xcp-ng/xcp"
`

const XCPNG82_INVENTORY = `PRODUCT_BRAND='XCP-ng'
PRODUCT_NAME='xenenterprise'
PRODUCT_VERSION='8.2.1'
PRODUCT_VERSION_TEXT='8.2'
PRODUCT_VERSION_TEXT_SHORT='8.2'
PLATFORM_NAME='XCP'
PLATFORM_VERSION='3.2.1'
BUILD_NUMBER='release/yangtze/master/58'
INSTALLATION_DATE='2022-05-20 10:12:33.401712'
PRIMARY_DISK='/dev/disk/by-id/ata-Samsung_SSD_860_EVO_500GB_S3Z1NB0K123456X'
BACKUP_PARTITION='/dev/disk/by-id/ata-Samsung_SSD_860_EVO_500GB_S3Z1NB0K123456X-part2'
INSTALLATION_UUID='f7a2b3c4-1d2e-4f50-8a9b-0c1d2e3f4a5b'
CONTROL_DOMAIN_UUID='0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
DEFAULT_SR_PHYSDEVS='/dev/disk/by-id/ata-Samsung_SSD_860_EVO_500GB_S3Z1NB0K123456X-part3'
DOM0_MEM='2048'
DOM0_VCPUS='4'
MANAGEMENT_INTERFACE='xenbr0'
MANAGEMENT_ADDRESS_TYPE='IPv4'
`

// XenServer 6.2 inventory: also names the Xen and dom0 kernel versions.
const XENSERVER62_INVENTORY = `BUILD_NUMBER='70446c'
PLATFORM_VERSION='1.8.0'
DOM0_VCPUS='4'
INSTALLATION_UUID='1c8d9f0e-2b3a-4c5d-9e8f-7a6b5c4d3e2f'
MANAGEMENT_ADDRESS_TYPE='IPv4'
PRODUCT_VERSION_TEXT_SHORT='6.2'
PLATFORM_NAME='XCP'
XEN_VERSION='4.1.5'
PRODUCT_VERSION='6.2.0'
INSTALLATION_DATE='2014-02-11 13:55:11.126784'
PRODUCT_BRAND='XenServer'
LINUX_KABI_VERSION='2.6.32.43-0.4.1.xs1.8.0.835.170778xen'
PRODUCT_VERSION_TEXT='6.2'
CONTROL_DOMAIN_UUID='b3e2d1c0-9f8e-4d7c-a6b5-c4d3e2f1a0b9'
DOM0_MEM='752'
PRODUCT_NAME='xenenterprise'
`

const RELEASES = [
  ['CentOS release 5.11 (Final)\n', {name: 'CentOS', version: '5.11', codename: 'Final', id: 'centos', family: 'rhel'}],
  ['Red Hat Enterprise Linux Server release 5.11 (Tikanga)\n', {name: 'Red Hat Enterprise Linux Server', version: '5.11', codename: 'Tikanga', id: 'rhel', family: 'rhel'}],
  ['Red Hat Enterprise Linux Server release 6.10 (Santiago)\n', {name: 'Red Hat Enterprise Linux Server', version: '6.10', codename: 'Santiago', id: 'rhel', family: 'rhel'}],
  ['CentOS Linux release 7.9.2009 (Core)\n', {name: 'CentOS Linux', version: '7.9.2009', codename: 'Core', id: 'centos', family: 'rhel'}],
  ['Red Hat Enterprise Linux release 8.10 (Ootpa)\n', {name: 'Red Hat Enterprise Linux', version: '8.10', codename: 'Ootpa', id: 'rhel', family: 'rhel'}],
  ['XenServer release 7.1.0-2 (xenenterprise)\n', {name: 'XenServer', version: '7.1.0-2', codename: 'xenenterprise', id: 'xenserver', family: 'xenserver'}],
  ['Citrix Hypervisor release 8.2.1 (xenenterprise)\n', {name: 'Citrix Hypervisor', version: '8.2.1', codename: 'xenenterprise', id: 'citrix-hypervisor', family: 'xenserver'}],
  ['XCP-ng release 8.2.1 (xenenterprise)\n', {name: 'XCP-ng', version: '8.2.1', codename: 'xenenterprise', id: 'xcp-ng', family: 'xenserver'}],
  ['Oracle VM server release 3.4.6\n', {name: 'Oracle VM server', version: '3.4.6', id: 'ovs', family: 'rhel'}],
] as const

describe('parseRedhatRelease', () => {
  it.each(RELEASES)('%j', (text, expected) => {
    expect(value(parseRedhatRelease(text))).toEqual(expected)
  })

  it('rejects text without a release', () => {
    expect(parseRedhatRelease('Debian GNU/Linux\n')).toEqual({ok: false, problems: [{line: 1, message: 'unrecognised release line: Debian GNU/Linux'}]})
  })
})

describe('parseOsRelease and parseDebianVersion', () => {
  it('reads quoted and unquoted os-release values with lines', () => {
    const o = value(parseOsRelease(DEBIAN12_OS_RELEASE))
    expect(o).toMatchObject({id: 'debian', versionId: '12', name: 'Debian GNU/Linux', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: []})
    expect(o.vars.VERSION_CODENAME).toMatchObject({value: 'bookworm', line: 5})
    expect(value(parseOsRelease(CENTOS7_OS_RELEASE)).idLike).toEqual(['rhel', 'fedora'])
  })

  it('reads debian_version numbers and testing codenames', () => {
    expect(value(parseDebianVersion('12.5\n'))).toEqual({version: '12.5', major: 12})
    expect(value(parseDebianVersion('5.0.10\n'))).toEqual({version: '5.0.10', major: 5})
    expect(value(parseDebianVersion('bookworm/sid\n'))).toEqual({version: 'bookworm/sid'})
    expect(parseDebianVersion('\n').ok).toBe(false)
  })

  it('reads the XenServer inventory, old and new', () => {
    const x = value(parseXensourceInventory(XCPNG82_INVENTORY))
    expect(x).toMatchObject({brand: 'XCP-ng', productVersion: '8.2.1', installationUuid: 'f7a2b3c4-1d2e-4f50-8a9b-0c1d2e3f4a5b', buildNumber: 'release/yangtze/master/58'})
    expect(x.vars.DOM0_MEM).toMatchObject({value: '2048', line: 15})
    const old = value(parseXensourceInventory(XENSERVER62_INVENTORY))
    expect(old).toMatchObject({brand: 'XenServer', productVersion: '6.2.0', xenVersion: '4.1.5', linuxKabiVersion: '2.6.32.43-0.4.1.xs1.8.0.835.170778xen'})
  })
})

describe('summarizeDistro', () => {
  it.each([
    [{osRelease: DEBIAN12_OS_RELEASE, debianVersion: '12.5\n'}, {family: 'debian', id: 'debian', versionId: '12', pretty: 'Debian GNU/Linux 12 (bookworm)', source: '/etc/os-release'}],
    [{osRelease: RHEL7_OS_RELEASE, redhatRelease: 'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n'}, {family: 'rhel', id: 'rhel', versionId: '7.9', pretty: 'Red Hat Enterprise Linux Server 7.9 (Maipo)', source: '/etc/os-release'}],
    [{osRelease: RHEL9_OS_RELEASE}, {family: 'rhel', id: 'rhel', versionId: '9.4', pretty: 'Red Hat Enterprise Linux 9.4 (Plow)', source: '/etc/os-release'}],
    [{osRelease: CENTOS7_OS_RELEASE}, {family: 'rhel', id: 'centos', versionId: '7', pretty: 'CentOS Linux 7 (Core)', source: '/etc/os-release'}],
    [{osRelease: SLES15_OS_RELEASE}, {family: 'suse', id: 'sles', versionId: '15.5', pretty: 'SUSE Linux Enterprise Server 15 SP5', source: '/etc/os-release'}],
    [{redhatRelease: 'CentOS release 5.11 (Final)\n'}, {family: 'rhel', id: 'centos', versionId: '5.11', pretty: 'CentOS release 5.11 (Final)', source: '/etc/redhat-release'}],
    [{redhatRelease: 'Red Hat Enterprise Linux Server release 6.10 (Santiago)\n'}, {family: 'rhel', id: 'rhel', versionId: '6.10', pretty: 'Red Hat Enterprise Linux Server release 6.10 (Santiago)', source: '/etc/redhat-release'}],
    [{redhatRelease: 'XenServer release 7.1.0-2 (xenenterprise)\n'}, {family: 'xenserver', id: 'xenserver', versionId: '7.1.0-2', pretty: 'XenServer release 7.1.0-2 (xenenterprise)', source: '/etc/redhat-release'}],
    [{xensourceInventory: XCPNG82_INVENTORY, osRelease: XCPNG82_OS_RELEASE}, {family: 'xenserver', id: 'xcp-ng', versionId: '8.2.1', pretty: 'XCP-ng 8.2.1', source: '/etc/xensource-inventory'}],
    [{osRelease: XCPNG82_OS_RELEASE}, {family: 'xenserver', id: 'xcp-ng', versionId: '8.2.1', pretty: 'XCP-ng 8.2.1', source: '/etc/os-release'}],
    [{xensourceInventory: XENSERVER62_INVENTORY, redhatRelease: 'XenServer release 6.2.0-70446c (xenenterprise)\n'}, {family: 'xenserver', id: 'xenserver', versionId: '6.2.0', pretty: 'XenServer 6.2.0', source: '/etc/xensource-inventory'}],
    [{debianVersion: '7.11\n'}, {family: 'debian', id: 'debian', versionId: '7.11', pretty: 'Debian 7.11', source: '/etc/debian_version'}],
    [{}, {family: 'unknown', id: '', versionId: '', pretty: '', source: 'none'}],
  ])('%#', (files, expected) => {
    const r = summarizeDistro(files)
    expect(value(r)).toEqual(expected)
  })

  it('falls through a broken file to the next one, naming the broken one in problems', () => {
    const r = summarizeDistro({osRelease: 'garbage without id\n', redhatRelease: 'CentOS release 6.10 (Final)\n'})
    expect(value(r)).toMatchObject({id: 'centos', versionId: '6.10', source: '/etc/redhat-release'})
    expect(r.problems.map((p) => p.message)).toContain('/etc/os-release: os-release has no ID')
  })

  it('never throws', () => {
    const samples = [DEBIAN12_OS_RELEASE, RHEL7_OS_RELEASE, XCPNG82_OS_RELEASE, XCPNG82_INVENTORY, XENSERVER62_INVENTORY, 'CentOS release 5.11 (Final)\n', '12.5\n']
    neverThrows(samples, (t) => parseRedhatRelease(t), 200)
    neverThrows(samples, (t) => parseDebianVersion(t), 200)
    fc.assert(
      fc.property(fc.record({osRelease: mutatedSample(samples), redhatRelease: mutatedSample(samples), debianVersion: mutatedSample(samples), xensourceInventory: mutatedSample(samples)}, {requiredKeys: []}), (files) => {
        expectWellFormed(summarizeDistro(files))
      }),
      {numRuns: 300},
    )
  })
})
