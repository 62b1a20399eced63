import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { startSink, tempDir } from './run-helpers.js';

/** Issue 14: one set of conventions across commands, and what k6/vegeta/artillery users look for. */
const root = new URL('../../', import.meta.url);
type AjvClass = typeof Ajv2020.default;
const Ajv: AjvClass = (Ajv2020 as unknown as { default?: AjvClass }).default ?? (Ajv2020 as unknown as AjvClass);

describe('issue 14: conventions', () => {
  it('--summary-json - writes the summary alone on stdout; the text report goes to stderr', async () => {
    const sink = await startSink();
    const r = await runCli(['run', '--preset', 'smoke', '--seed', '4', '--pause-max', '0', '--max-visits', '3', '--url', sink.tracker, '--summary-json', '-', '-q']);
    await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { version: number; visits: { started: number } };
    expect(summary.version).toBe(4);
    expect(summary.visits.started).toBe(3);
    expect(r.stderr).toContain('run finished: max-visits');
    const both = await runCli(['run', '--preset', 'smoke', '--url', sink.tracker, '--summary-json', '-', '--timeseries', '-']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--summary-json - and --timeseries - both want stdout');
  });

  it('flags of the other command are errors naming it; env and YAML keys of the other command are not', async () => {
    const run = await runCli(['run', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--from', '2026-01-01', '--dry-run', '--max-visits', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --from: is a backfill flag, not a run one (use trafficinator backfill --from …)\n');
    const backfill = await runCli(['backfill', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--from', '2026-01-01', '--to', '2026-01-02', '--duration', '10m', '--dry-run']);
    expect(backfill.code).toBe(2);
    expect(backfill.stderr).toContain('--duration: is a run flag, not a backfill one (use trafficinator run --duration …)');
    const fromEnv = await runCli(['run', '--dry-run', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--max-visits', '1', '--now', '2026-06-01T12:00:00Z'], {
      env: { BACKFILL_MAX_VISITS_PER_DAY: '10', BACKFILL_START_DATE: '2026-01-01', BACKFILL_END_DATE: '2026-01-02' },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    // A live run sends no old cdt: a backfill window from the environment demands no token of it.
    expect(fromEnv.stderr).not.toContain('backfill window');
  });

  it('durations need a unit in sink too; validate prints problems on stderr and catches a URL that is not the tracker', async () => {
    const sink = await runCli(['sink', '--duration', '1']);
    expect(sink.code).toBe(2);
    expect(sink.stderr).toContain('--duration 1 is not a duration');
    const latency = await runCli(['sink', '--latency', '20']);
    expect(latency.code).toBe(2);
    const v = await runCli(['validate', '--skip-connection', '--preset', 'smoke', '--url', 'https://matomo.example.org/analytics/']);
    expect(v.stdout).not.toContain('warning: ');
    expect(v.stderr).toContain('warning: url: "https://matomo.example.org/analytics/" is not the tracker endpoint (hits go to …/matomo.php) (did you mean https://matomo.example.org/analytics/matomo.php?)');
  });

  it('backfill and sink take -q like run; sink -q on a terminal draws no live line', async () => {
    for (const command of ['run', 'backfill', 'sink']) expect((await runCli([command, '--help'])).stdout).toMatch(/-q, --quiet/);
    const { file, args } = (await import('../helpers/cli.js')).cliCommand();
    const onTerminal = (extra: string[]): string =>
      execFileSync('script', ['-qec', [file, ...args, 'sink', '--duration', '2500ms', ...extra].map((a) => `'${a}'`).join(' '), '/dev/null'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
    expect(onTerminal([])).toContain('\x1b[2K');
    const quiet = onTerminal(['-q']);
    expect(quiet).not.toContain('\x1b[2K');
    expect(quiet).toContain('requests      0');
  });
});

describe('issue 14: schema, discovery, version', () => {
  it('schema prints the JSON Schema of the configuration; the published copy matches; presets and examples fit it', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(r.stdout).toBe(readFileSync(new URL('docs/schema/trafficinator.schema.json', root), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const files = [
      ...readdirSync(new URL('presets/', root)).filter((f) => f.endsWith('.yaml')).map((f) => `presets/${f}`),
      'examples/trafficinator.yaml',
    ];
    for (const file of files) {
      const ok = validate(parse(readFileSync(new URL(file, root), 'utf8')));
      expect(ok, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // An editor flags a typo as the loader does.
    expect(validate({ visitsPerDya: 10 })).toBe(false);
    expect(readFileSync(new URL('examples/trafficinator.yaml', root), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/docs\/schema\/trafficinator\.schema\.json\n/);
  });

  it('reads ./trafficinator.yaml when no -c is given, saying so on stderr only', async () => {
    const dir = tempDir();
    copyFileSync(new URL('examples/trafficinator.yaml', root), join(dir, 'trafficinator.yaml'));
    const r = await runCli(['config', '--explain'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('config: reading ./trafficinator.yaml (found in the current directory; -c FILE reads another)');
    expect(r.stdout).toMatch(/^concurrency +50 +config trafficinator\.yaml line \d+$/m);
    expect(r.stdout).not.toContain('reading ./trafficinator.yaml');
  });
});

describe('issue 14: shell completion', () => {
  it('completion bash completes commands and each command\'s own flags (bash runs the script)', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    const file = join(tempDir(), 'completion.bash');
    writeFileSync(file, r.stdout);
    const complete = (...words: string[]): string =>
      execFileSync('bash', ['-c', `source "$0"; COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _trafficinator; echo "\${COMPREPLY[*]}"`, file], {
        encoding: 'utf8',
      }).trim();
    expect(complete('trafficinator', 'sch')).toBe('schema');
    expect(complete('trafficinator', 'run', '--max-v')).toBe('--max-visits');
    expect(complete('trafficinator', 'backfill', '--max-v')).toBe('--max-visits-per-day --max-visits-total');
  });

  it('completion zsh and fish print their scripts; another shell is a usage error', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef trafficinator\n/);
    const fish = await runCli(['completion', 'fish']);
    expect(fish.stdout).toContain('complete -c trafficinator -n "__fish_seen_subcommand_from run" -l summary-json -r -F');
    expect(fish.stdout).toContain('complete -c trafficinator -n "__fish_seen_subcommand_from run" -l quiet\n');
    const tcsh = await runCli(['completion', 'tcsh']);
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toBe('error: completion: unknown shell "tcsh" (use bash, zsh, fish)\n');
  });
});
