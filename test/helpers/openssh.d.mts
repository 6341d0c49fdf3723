import type {ChildProcess} from 'node:child_process'

export const SSHD: string
export const TEST_USER: string
export function sshdAvailable(): boolean
export function run(command: string, args: string[]): void
export function freePort(): Promise<number>
export function ensureTestUser(): void
export interface OpenSsh {
  port: number
  clientConfig: string
  identity: string
  child: ChildProcess
  stop(): Promise<void>
}
export function startOpenSsh(dir: string, options?: {sshd?: string[]; clientHosts?: (port: number) => string[]; client?: string[]}): Promise<OpenSsh>
