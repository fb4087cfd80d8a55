import { ConfigCommand } from '../../cli/config_command';
import { describeConfig } from '../../conf/loader';

export default class ConfigShow extends ConfigCommand {
  static summary = 'Print the effective configuration (files, then defaults), secrets masked.';
  static enableJsonFlag = true;

  async run(): Promise<{ files: string[]; config: Record<string, Record<string, unknown>>; sources: Record<string, string> }> {
    const { flags } = await this.parse(ConfigShow);
    let loaded;
    try { loaded = this.loadConf(flags); } catch (e) { this.fail(e); }
    const config = describeConfig(loaded);
    if (!this.jsonEnabled()) {
      this.log(`# files: ${loaded.files.join(', ') || '(none: defaults)'}`);
      for (const [group, opts] of Object.entries(config)) {
        this.log(`\n[${group}]`);
        for (const [k, v] of Object.entries(opts)) {
          const src = loaded.sources[`${group}.${k}`];
          this.log(`${k} = ${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? Object.entries(v as object).map(([a, b]) => `${a}:${b}`).join(',') : v}${src ? `    # ${src}` : ''}`);
        }
      }
    }
    return { files: loaded.files, config, sources: loaded.sources };
  }
}
