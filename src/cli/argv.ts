import { ClientCommand } from './client_command';

/**
 * python-novaclient takes its global options before the command (`nova --os-token T list`); oclif
 * wants the command first. Moves leading client options after it, so both orders work.
 */
export function hoistClientOptions(argv: string[]): string[] {
  const valued = new Set<string>();
  const booleans = new Set<string>(['--json']);
  for (const [name, flag] of Object.entries(ClientCommand.baseFlags)) {
    const names = [name, ...((flag as { aliases?: string[] }).aliases ?? [])].map((n) => `--${n}`);
    for (const n of names) (flag.type === 'boolean' ? booleans : valued).add(n);
  }
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('--')) {
    const [name] = argv[i].split('=', 1);
    if (booleans.has(name)) { moved.push(argv[i]); i += 1; continue; }
    if (!valued.has(name)) break;
    if (argv[i].includes('=')) { moved.push(argv[i]); i += 1; continue; }
    moved.push(argv[i], argv[i + 1]);
    i += 2;
  }
  if (moved.length === 0) return argv;
  const rest = argv.slice(i);
  const dashdash = rest.indexOf('--');
  return dashdash < 0 ? [...rest, ...moved] : [...rest.slice(0, dashdash), ...moved, ...rest.slice(dashdash)];
}
