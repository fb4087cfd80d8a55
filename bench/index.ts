import * as fs from 'node:fs';
import * as path from 'node:path';
import { BenchModule, BenchRow, machine } from './harness';

/**
 * `npm run bench`: runs every benchmark module, prints the numbers and writes them, with the date
 * and the machine, to docs/benchmarks.md (between the generated-results markers).
 * `npm run bench -- NAME...` runs only the named modules.
 */
const MODULES: Record<string, string> = {
  rpc: './rpc.bench',
  servers: './servers.bench',
  libvirt: './libvirt.bench',
  console: './console.bench',
  scheduler: './scheduler.bench',
  'nova-reference': './nova_reference.bench',
};

/** Run only when named: nova-reference needs root and installs and runs Debian's Nova. */
const OPT_IN = new Set(['nova-reference']);

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: Array<BenchRow & { module: string }> = [];
  for (const [name, file] of Object.entries(MODULES)) {
    if (only.length ? !only.includes(name) : OPT_IN.has(name)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as BenchModule;
    process.stderr.write(`bench ${name}: ${mod.title}\n`);
    try {
      for (const r of await mod.run()) { rows.push({ ...r, module: name }); process.stderr.write(`  ${r.group} / ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`); }
    } catch (e) {
      process.stderr.write(`  FAILED: ${(e as Error).stack}\n`);
      process.exitCode = 1;
    }
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const table = ['| module | group | measure | value | unit | note |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.module} | ${r.group} | ${r.name} | ${r.value} | ${r.unit} | ${r.note ?? ''} |`)].join('\n');
  const section = `<!-- results:${only.join(',') || 'all'} -->\n### Run of ${when} UTC${only.length ? ` (${only.join(', ')})` : ''}\n\nMachine: ${machine()}\n\n${table}\n<!-- /results:${only.join(',') || 'all'} -->`;
  const file = path.join(__dirname, '..', '..', 'docs', 'benchmarks.md');
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`; numbers from the machine named in each run.\n';
  const key = only.join(',') || 'all';
  const re = new RegExp(`<!-- results:${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -->[\\s\\S]*?<!-- /results:${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -->`);
  doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, doc);
  process.stdout.write(`${table}\n`);
}

main().then(() => process.exit(process.exitCode ?? 0), (e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
