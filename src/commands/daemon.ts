import { Args } from '@oclif/core';
import { ConfigCommand } from '../cli/config_command';
import { ALL_IN_ONE, DAEMONS } from '../daemons';
import { Launcher } from '../service/launcher';
import { Runtime } from '../service/runtime';

export default class Daemon extends ConfigCommand {
  static summary = 'Run one or more nova daemons in this process (`all` runs the whole cloud).';
  static description = `Daemons: ${Object.keys(DAEMONS).join(', ')}; "all" runs every one in one process on the configured transport.\n` +
    'Also installed as nova-daemon: `nova-daemon compute` is `nova daemon compute`.';
  static examples = ['nova daemon all', 'nova daemon compute --config-file /etc/nova/nova.conf', 'nova-daemon conductor scheduler'];
  static strict = false;
  static enableJsonFlag = true;
  static args = { name: Args.string({ description: 'daemon name(s), or all', required: true }) };

  async run(): Promise<{ endpoints: Record<string, string>; daemons: string[] }> {
    const { flags, argv } = await this.parse(Daemon);
    let loaded;
    try { loaded = this.loadConf(flags); } catch (e) { this.fail(e); }
    const names = (argv as string[]).flatMap((n) => (n === 'all' ? ALL_IN_ONE.filter((x) => x in DAEMONS) : [n]));
    for (const n of names) if (!(n in DAEMONS)) this.fail(`unknown daemon '${n}' (known: ${Object.keys(DAEMONS).join(', ')}, all)`);
    const log = this.logger(loaded, 'nova');
    const rt = new Runtime(loaded, log);
    rt.autoSync = (argv as string[]).includes('all');
    const launcher = new Launcher(rt, log);
    launcher.handleSignals();
    const started = Date.now();
    try {
      await launcher.start(names);
    } catch (e) {
      this.fail(e);
    }
    const result = { endpoints: rt.endpoints, daemons: names };
    if (this.jsonEnabled()) this.logJson(result);
    else {
      this.log(`nova: ${names.join(', ')} running on host ${rt.host} (transport ${loaded.conf.DEFAULT.transport_url.replace(/:[^:@/]*@/, ':****@')}) in ${((Date.now() - started) / 1000).toFixed(2)}s`);
      for (const [type, url] of Object.entries(rt.endpoints)) this.log(`  ${type.padEnd(10)} ${url}`);
    }
    // Keep running until a signal stops the launcher (which exits the process).
    return new Promise(() => undefined);
  }
}
