import { Command, loadHelpClass } from '@oclif/core';

export default class HelpCommand extends Command {
  static summary = 'Display help about nova or one of its commands (`nova help boot`, `nova help server list`).';
  static strict = false;

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config).showHelp(argv as string[]);
  }
}
