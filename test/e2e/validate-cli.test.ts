import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closedPort, startReplay, type Replay } from '../helpers/matomo-replay.js';

let replay: Replay | undefined;
afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at /);

describe('trafficinator validate', () => {
  it('valid configuration and reachable Matomo: exit 0, token never printed', async () => {
    replay = await startReplay();
    const r = await runCli(['validate', '--preset', 'medium', '--url', replay.url, '--auto-stop-after-hours', '1'], {
      env: { MATOMO_TOKEN_AUTH: 'good-token' },
    });
    // Named, never shown (issue 14): the one line about the environment.
    expect(r.stderr).toBe('environment: using MATOMO_TOKEN_AUTH (see "config --explain")\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Matomo 5.0.2 answers; site 1 "Load Test Site"; token access: superuser');
    expect(r.stdout).toMatch(/configuration valid/);
    expect(r.stdout + r.stderr).not.toContain('good-token');
  });

  it('unknown site: exit 2 with Matomo message', async () => {
    replay = await startReplay();
    const r = await runCli(['validate', '--url', replay.url, '--site-id', '999'], { env: { MATOMO_TOKEN_AUTH: 'good-token' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: url: site 999: Matomo answered: An unexpected website was found in the request: website id was set to '999' .");
    noStack(r.stderr);
  });

  it('refused connection: exit 2 with the reason', async () => {
    const port = await closedPort();
    const r = await runCli(['validate', '--preset', 'smoke', '--url', `http://127.0.0.1:${port}/matomo.php`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: url: connection refused by 127.0.0.1:${port}`);
  });

  it('--json gives a machine-readable result with the config redacted', async () => {
    replay = await startReplay();
    const r = await runCli(['validate', '--json', '--url', replay.url, '--token-auth', 'wrong-token'], {});
    expect(r.code).toBe(2);
    const result = JSON.parse(r.stdout) as { valid: boolean; errors: Array<{ path: string; message: string }>; warnings: Array<{ path: string }>; config: { targets: Array<{ tokenAuth: string }> } };
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toContain('Unable to authenticate');
    expect(result.warnings.map((w) => w.path)).toContain('tokenAuth');
    expect(result.config.targets[0]?.tokenAuth).toBe('[redacted]');
    expect(r.stdout).not.toContain('wrong-token');
  });

  it('--skip-connection checks the configuration only and reports all errors at once', async () => {
    const r = await runCli(['validate', '--skip-connection', '--url', 'ftp://x', '--pageviews-min', '9', '--pageviews-max', '2', '--currency', 'kr']);
    expect(r.code).toBe(2);
    // Problems go to stderr, like every other command's (issue 14).
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^error: ecommerce\.currency: must be three uppercase letters/),
      'error: pageviews.min: 9 is above max 2 (min must be <= max)',
      expect.stringMatching(/^error: url: "ftp:\/\/x" is not an http\(s\) URL with a host/),
    ]));
  });

  it('bad input: one line, exit 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trafficinator-'));
    writeFileSync(join(dir, 'bad.yaml'), 'url: [oops\n');
    writeFileSync(join(dir, 'typo.yaml'), 'url: http://127.0.0.1/matomo.php\nconcurency: 3\ncountries: { randomize: false }\n');
    const cases: Array<{ args: string[]; text: RegExp }> = [
      { args: ['--preset', 'hevy'], text: /^error: preset: unknown preset "hevy" \(did you mean heavy\?/ },
      { args: ['--config', 'nope.yaml'], text: /^error: config: cannot read nope\.yaml: no such file$/ },
      { args: ['--config', 'bad.yaml'], text: /^error: config bad\.yaml: invalid YAML at bad\.yaml:\d+:\d+/ },
      { args: ['--config', 'typo.yaml'], text: /^error: concurency: unknown key \(did you mean "concurrency"\?; typo\.yaml line 2\)$/ },
      { args: ['--concurrency', 'many', '--url', 'http://127.0.0.1/matomo.php', '--no-randomize-countries'], text: /^error: concurrency: "many" is not a number \(from --concurrency\)$/ },
      { args: ['--no-such-flag'], text: /unknown option '--no-such-flag'/ },
    ];
    for (const c of cases) {
      const r = await runCli(['validate', '--skip-connection', ...c.args], { cwd: dir });
      expect(r.code, c.args.join(' ')).toBe(2);
      const out = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('error'));
      expect(out, c.args.join(' ')).toHaveLength(1);
      expect(out[0], c.args.join(' ')).toMatch(c.text);
      noStack(r.stderr);
    }
  });

  it('has help with examples', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--skip-connection');
    expect(r.stdout).toContain('[MATOMO_URL]');
  });
});
