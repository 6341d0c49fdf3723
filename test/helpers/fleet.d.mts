/** Types for test/helpers/fleet.mjs (plain JavaScript so that bench/ can use it), for the type-checked tests. */
export const REPO: string
export const FIXTURES: string
export const COLLECTOR: string
export const SSHD: string
export const FLEET_USER: string
export const SFTP_SERVER: string | undefined

export type HostKind = 'ok' | 'hang' | 'garbage' | 'replay' | 'dead'
export interface FleetHost {
  name: string
  kind: HostKind
  /** The fixture the host replays (not for garbage and dead hosts). */
  fixture?: string
}
export interface Fleet {
  dir: string
  port: number
  deadPort: number
  clientConfig: string
  identity: string
  hosts: FleetHost[]
  sshdPid: number | undefined
  /** Server-side record of every session: [alias, command]. */
  calls(): Array<[string, string]>
  writeAnsibleInventory(file: string, names?: string[]): string
  stop(): Promise<void>
  remove(): void
}

export function fleetAvailable(): boolean
export function startFleet(hosts: FleetHost[], options?: {kex?: string | null; tmp?: string}): Promise<Fleet>
export function fleetPlan(
  count: number,
  options?: {dead?: number; hang?: number; garbage?: number; fixtures?: string[]; prefix?: string; kind?: HostKind},
): FleetHost[]
export function listFiles(dir: string): string[]
