import {Args} from '@oclif/core'
import {ALL_CHECKS} from '../checks/index.js'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {bashCompletion, completionModel, zshCompletion, type CommandMetadata} from '../cli/completion.js'

export default class Completion extends KdumpcheckCommand {
  static override summary = 'Print the shell completion script for bash or zsh.'

  static override description = `Generated from kdumpcheck's own command metadata: every command, flag, format and check ID completes, and file and host arguments complete as files and hosts. Nothing is installed by npm; put the script where your shell looks for completions (below). The script never runs kdumpcheck while completing.`

  static override examples = [
    {
      description: 'bash (with bash-completion, loaded on first use):',
      command: '<%= config.bin %> <%= command.id %> bash > ~/.local/share/bash-completion/completions/kdumpcheck',
    },
    {description: 'bash without bash-completion: add to ~/.bashrc', command: 'source <(<%= config.bin %> <%= command.id %> bash)'},
    {
      description: 'zsh: into a directory of $fpath (before compinit runs in ~/.zshrc), then start a new shell:',
      command: '<%= config.bin %> <%= command.id %> zsh > ~/.zfunc/_kdumpcheck',
    },
  ]

  // The script is the output: there is no JSON form of it.
  static override enableJsonFlag = false

  static override args = {
    shell: Args.string({description: 'The shell to complete for.', options: ['bash', 'zsh'], required: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Completion)
    const model = completionModel(this.config.commands as unknown as CommandMetadata[], {'rules id': ALL_CHECKS.map((c) => c.meta.id)})
    const script = args.shell === 'zsh' ? zshCompletion(model, this.config.version) : bashCompletion(model, this.config.version)
    await this.emit(script, flags.output)
  }
}
