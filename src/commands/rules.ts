import {Args, Flags} from '@oclif/core'
import {ALL_CHECKS} from '../checks/index.js'
import type {CheckMeta} from '../checks/types.js'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {InputError} from '../errors.js'
import {renderRuleDoc} from '../report/rule-doc.js'

export type RulesResult = Array<Omit<CheckMeta, 'why' | 'fix' | 'references'>> | CheckMeta

export default class Rules extends KdumpcheckCommand {
  static override summary = 'List the checks, or show one check’s full documentation.'

  static override examples = [
    {description: 'Every check with its severity and scope:', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Why KD101 matters and how to fix it:', command: '<%= config.bin %> <%= command.id %> KD101'},
  ]

  static override args = {
    id: Args.string({description: 'A check ID such as KD101.', required: false}),
  }

  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format.', options: ['text', 'json'], default: 'text'}),
  }

  async run(): Promise<RulesResult> {
    const {args, flags} = await this.parse(Rules)
    const json = this.jsonEnabled() || flags.format === 'json'
    if (args.id) {
      const check = ALL_CHECKS.find((c) => c.meta.id === args.id!.toUpperCase())
      if (!check) throw new InputError(`no check ${JSON.stringify(args.id)}: run \`kdumpcheck rules\` for the list`)
      if (!this.jsonEnabled()) await this.emit(json ? JSON.stringify(check.meta, null, 2) : renderRuleDoc(check.meta), flags.output)
      return check.meta
    }
    const list = ALL_CHECKS.map(({meta: {id, title, severity, scope, stage}}) => ({id, severity, scope, stage, title}))
    if (!this.jsonEnabled()) {
      const text = json
        ? JSON.stringify(list, null, 2)
        : list.map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.scope.padEnd(7)}  ${r.title}`).join('\n')
      await this.emit(text, flags.output)
    }
    return list
  }
}
