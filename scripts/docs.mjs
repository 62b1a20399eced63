// `npm run docs`: regenerates every generated page of docs/ and the flag table the CLI registers.
// - from the configuration schema (src/config/generate.ts): docs/reference/config.md and
//   src/config/flags.generated.ts;
// - from the built CLI (dist/cli.cjs, built here after the flag table is written, since the CLI
//   registers its flags from it): docs/reference/cli.md, every command's --help-all (or --help
//   where the command has no --help-all), and docs/schema/trafficinator.schema.json (`trafficinator
//   schema`, checked by test/e2e/conventions.test.ts).
// test/unit/config-reference.test.ts, test/e2e/readme.test.ts and test/e2e/conventions.test.ts fail
// when a committed copy is stale.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

export const COMMANDS = ['run', 'backfill', 'verify', 'capacity', 'report', 'validate', 'presets', 'config', 'inspect', 'sink', 'schema', 'completion'];

function help(cli, args) {
  return execFileSync(cli[0], [...cli.slice(1), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, COLUMNS: '100' },
  }).trimEnd();
}

/** docs/reference/cli.md: the program's own help, command by command. `cli`: the command to run. */
export function cliReference(cli = [process.execPath, 'dist/cli.cjs']) {
  const parts = [
    '<!-- Generated from the built program by `npm run docs`. Do not edit by hand. -->',
    '',
    '# Command reference',
    '',
    "Every command's help, as the program prints it (`--help-all`: every flag of the command;",
    '`--help` shows the common ones). Every configuration setting is also a flag:',
    '[config.md](config.md) lists them with their YAML keys and environment names; exit codes:',
    '[exit-codes.md](exit-codes.md).',
    '',
    COMMANDS.map((c) => `[${c}](#trafficinator-${c})`).join(' · '),
    '',
    '## trafficinator',
    '',
    '```text',
    help(cli, ['--help']),
    '```',
  ];
  for (const command of COMMANDS) {
    const short = help(cli, [command, '--help']);
    const flag = short.includes('--help-all') ? '--help-all' : '--help';
    const text = flag === '--help' ? short : help(cli, [command, flag]);
    parts.push('', `## trafficinator ${command}`, '', `\`trafficinator ${command} ${flag}\``, '', '```text', text, '```');
  }
  return parts.join('\n') + '\n';
}

/** Files derived from the schema (bundled on the fly: the schema is TypeScript). */
export async function schemaFiles() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [new URL('src/config/generate.ts', root).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    loader: { '.yaml': 'text', '.txt': 'text' },
    // The YAML parser (presets.generated.ts) is CommonJS and requires Node's built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/');" },
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const { generatedFiles } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return generatedFiles();
}

function write(path, text) {
  writeFileSync(new URL(path, root), text);
  console.log(`wrote ${path}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, text] of Object.entries(await schemaFiles())) write(path, text);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  write('docs/reference/cli.md', cliReference());
  write('docs/schema/trafficinator.schema.json', execFileSync(process.execPath, ['dist/cli.cjs', 'schema'], { cwd: root, encoding: 'utf8' }));
}
