import { Command, Flags } from '@oclif/core';
import { loadConfig, LoadedConf } from '../conf/loader';
import { StreamLogger, Logger } from '../lib/log';

/** Base of the commands that read nova.conf (daemons, db, config): oslo.config's command-line options. */
export abstract class ConfigCommand extends Command {
  static baseFlags = {
    'config-file': Flags.string({ description: 'Path to a config file to use; repeat for several, later ones win.', multiple: true, helpGroup: 'CONFIG' }),
    'config-dir': Flags.string({ description: 'Directory of *.conf files read in name order after the config files.', multiple: true, helpGroup: 'CONFIG' }),
    'state-path': Flags.string({ description: 'Overrides [DEFAULT] state_path.', helpGroup: 'CONFIG' }),
    debug: Flags.boolean({ description: 'Log at debug level.', helpGroup: 'CONFIG' }),
  };

  protected loadConf(flags: { 'config-file'?: string[]; 'config-dir'?: string[]; 'state-path'?: string; debug?: boolean }): LoadedConf {
    const files = flags['config-file'] ?? (process.env.NOVA_CONFIG_FILE ? [process.env.NOVA_CONFIG_FILE] : []);
    const overrides: Record<string, string> = {};
    if (flags['state-path']) overrides.state_path = flags['state-path'];
    if (flags.debug) overrides.debug = 'true';
    return loadConfig({ configFiles: files, configDir: flags['config-dir'], overrides });
  }

  protected logger(loaded: LoadedConf, name: string): Logger {
    const d = loaded.conf.DEFAULT;
    return new StreamLogger(name, { level: d.debug ? 'debug' : 'info', json: d.use_json_logging, file: d.log_file || undefined });
  }

  /** One line naming the cause, exit non-zero: never a stack trace for an operator's mistake. */
  protected fail(e: unknown): never {
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    // Written by hand: oclif's error() wraps long lines, and an operator's error must stay one line.
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ error: { message: msg } })}\n`);
    process.stderr.write(`nova: error: ${msg}\n`);
    return this.exit(1);
  }
}
