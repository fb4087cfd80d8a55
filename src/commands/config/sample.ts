import * as fs from 'node:fs';
import { Command, Flags } from '@oclif/core';
import { renderSampleConfig } from '../../conf/sample';

export default class ConfigSample extends Command {
  static summary = 'Print (or write) a nova.conf sample documenting every option with its default.';
  static enableJsonFlag = true;
  static flags = { output: Flags.string({ char: 'o', description: 'Write the sample to this file instead of standard output.' }) };

  async run(): Promise<{ written: string | null; lines: number }> {
    const { flags } = await this.parse(ConfigSample);
    const text = renderSampleConfig();
    if (flags.output) fs.writeFileSync(flags.output, text);
    else if (!this.jsonEnabled()) process.stdout.write(text);
    return { written: flags.output ?? null, lines: text.split('\n').length };
  }
}
