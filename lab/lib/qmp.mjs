#!/usr/bin/env node
// Sends one human-monitor command to a QEMU through its QMP socket and prints the reply:
//   node lib/qmp.mjs SOCKET COMMAND        e.g. `nmi` (what a BMC's "power diag" does: an NMI on every CPU)
// QMP, not the human monitor's socket, because it answers in JSON and says when it is ready. Bounded: 10 s.
import {createConnection} from 'node:net'

const [socket, command] = process.argv.slice(2)
if (!socket || !command) {
  console.error('usage: qmp.mjs SOCKET COMMAND')
  process.exit(2)
}
const conn = createConnection(socket)
const timer = setTimeout(() => {
  console.error('qmp: no answer within 10 s')
  process.exit(1)
}, 10_000)
let buffer = ''
let step = 0
conn.on('data', (chunk) => {
  buffer += chunk.toString('utf8')
  let nl
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl).trim()
    buffer = buffer.slice(nl + 1)
    if (!line) continue
    const msg = JSON.parse(line)
    if (msg.event) continue
    if (step === 0 && msg.QMP) {
      conn.write(`${JSON.stringify({execute: 'qmp_capabilities'})}\n`)
      step = 1
    } else if (step === 1 && 'return' in msg) {
      conn.write(`${JSON.stringify({execute: 'human-monitor-command', arguments: {'command-line': command}})}\n`)
      step = 2
    } else if (step === 2 && ('return' in msg || 'error' in msg)) {
      clearTimeout(timer)
      console.log(`qmp: ${command}: ${JSON.stringify(msg)}`)
      conn.end()
      process.exit('error' in msg ? 1 : 0)
    }
  }
})
conn.on('error', (error) => {
  console.error(`qmp: ${error.message}`)
  process.exit(1)
})
