import {describe, expect, it} from 'vitest'
import {describeCommand, parseCommand} from '../../src/explain/patterns/shell.js'
import {decodeTaint} from '../../src/explain/taint.js'
import {absoluteTime, inferDate, inferYear, isoOf, noYearTime, sortInstant, timeOfDay} from '../../src/explain/time.js'

describe('taint', () => {
  it('decodes the positional field, skipping G and spaces', () => {
    expect(decodeTaint('P      D W').map((t) => t.letter)).toEqual(['P', 'D', 'W'])
    expect(decodeTaint('G           O     ')).toEqual([{letter: 'O', meaning: 'out-of-tree module loaded'}])
    expect(decodeTaint('')).toEqual([])
    expect(decodeTaint('PZ')[1]).toEqual({letter: 'Z', meaning: 'unknown taint letter'})
  })
})

describe('time inference', () => {
  const console = absoluteTime('2016-12-17 00:21:07', '2016', '12', '17', '00', '21', '07')!

  it('gives syslog dates the year of the nearest full date, across a new year', () => {
    expect(isoOf(inferYear(noYearTime('Dec 16 22:26:02', 'Dec', '16', '22', '26', '02')!, [console.wall!]))).toBe('2016-12-16T22:26:02')
    const january = absoluteTime('2017-01-01 00:10:00', '2017', '01', '01', '00', '10', '00')!
    expect(isoOf(inferYear(noYearTime('Dec 31 23:59:00', 'Dec', '31', '23', '59', '00')!, [january.wall!]))).toBe('2016-12-31T23:59:00')
  })

  it('puts a time of day on the latest day that keeps it before the final crash', () => {
    const days = [Date.UTC(2016, 11, 16), Date.UTC(2016, 11, 17)]
    expect(isoOf(inferDate(timeOfDay('22:41', '22', '41')!, days, console.wall))).toBe('2016-12-16T22:41')
    expect(isoOf(inferDate(timeOfDay('00:05', '00', '05')!, days, console.wall))).toBe('2016-12-17T00:05')
  })

  it('sorts a minute-precision time after the seconds of that minute', () => {
    const minute = inferDate(timeOfDay('22:26', '22', '26')!, [Date.UTC(2016, 11, 16)], undefined)
    const second = absoluteTime('x', '2016', '12', '16', '22', '26', '02')!
    expect(sortInstant(minute)!).toBeGreaterThan(sortInstant(second)!)
  })

  it('rejects impossible dates instead of inventing them', () => {
    expect(absoluteTime('x', '2016', '13', '40', '25', '61', '61')).toBeUndefined()
    expect(noYearTime('Foo 1 00:00:00', 'Foo', '1', '00', '00', '00')).toBeUndefined()
  })
})

describe('typed commands', () => {
  it.each([
    ['echo c > /proc/sysrq-trigger', {type: 'sysrq-trigger', key: 'c'}],
    ['echo c | sudo tee /proc/sysrq-trigger', {type: 'sysrq-trigger', key: 'c'}],
    ['echo 1 > /proc/sys/kernel/panic_on_oops', {type: 'sysctl-write', key: 'kernel.panic_on_oops', value: '1'}],
    ['sudo sysctl -w kernel.sysrq=1', {type: 'sysctl-write', key: 'kernel.sysrq', value: '1'}],
    ['sysctl kernel/panic=10', {type: 'sysctl-write', key: 'kernel.panic', value: '10'}],
    ['kexec -p -S', {type: 'kexec-status'}],
    ['kexec -pS', {type: 'kexec-status'}],
    ['/sbin/kexec -u -p', {type: 'kexec-unload'}],
    ["kexec -p /boot/vmlinuz --initrd=/boot/initrd.img --append='console=ttyS0 irqpoll'", {type: 'kexec-load', kernel: '/boot/vmlinuz', append: 'console=ttyS0 irqpoll'}],
    ['kdumpctl restart', {type: 'kdump-service', tool: 'kdumpctl', action: 'restart'}],
    ['systemctl status kdump.service', {type: 'kdump-service', tool: 'kdump', action: 'status'}],
    ['service kdump start', {type: 'kdump-service', tool: 'kdump', action: 'start'}],
    ['cat /proc/28829/stack', {type: 'proc-stack', pid: 28829}],
    ['xl debug-keys C', {type: 'xen-key-crash'}],
    ['iostat -x 1', {type: 'other', name: 'iostat'}],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected)
  })

  it('describes what a command did to the crash path', () => {
    expect(describeCommand({type: 'sysrq-trigger', key: 'c'})).toBe("sent sysrq 'c' through /proc/sysrq-trigger (crash the kernel)")
    expect(describeCommand({type: 'sysctl-write', key: 'kernel.core_pattern', value: '/x'})).toBe('set kernel.core_pattern=/x')
  })
})
