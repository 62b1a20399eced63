import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

describe('trafficinator presets and config', () => {
  it('presets lists every preset with its headline numbers', async () => {
    const r = await runCli(['presets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^light\s+1,000\s+10\s/m);
    expect(r.stdout).toMatch(/^medium\s+10,000\s+50\s/m);
    expect(r.stdout).toMatch(/^heavy\s+50,000\s+150\s/m);
    expect(r.stdout).toMatch(/^extreme\s+100,000\s+300\s/m);
    expect(r.stdout).toMatch(/^smoke\s/m);
  });

  it('config prints YAML that loads back as --config, token redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trafficinator-'));
    const r = await runCli(['config', '--preset', 'heavy', '--url', 'https://m.example.org/matomo.php'], {
      env: { MATOMO_TOKEN_AUTH: 'tok-123' },
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const printed = parse(r.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ concurrency: 150, visitsPerDay: 50000, tokenAuth: '[redacted]' });
    expect(r.stdout).not.toContain('tok-123');
    writeFileSync(join(dir, 'again.yaml'), r.stdout.replace('[redacted]', 'tok-123'));
    const again = await runCli(['validate', '--skip-connection', '--config', 'again.yaml'], { cwd: dir });
    expect(again.stdout).toContain('configuration valid');
  });

  it('config --explain shows where each value came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trafficinator-'));
    writeFileSync(join(dir, 'old.env'), 'TARGET_VISITS_PER_DAY=5000\nAUTO_START=true\n');
    const r = await runCli(
      ['config', '--explain', '--preset', 'light', '--env-file', 'old.env', '--concurrency', '12', '--url', 'http://127.0.0.1/matomo.php'],
      { cwd: dir, env: { TIMEZONE: 'Europe/Stockholm' } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^concurrency\s+12\s+flag --concurrency$/m);
    expect(r.stdout).toMatch(/^visitsPerDay\s+5000\s+env file old\.env \(TARGET_VISITS_PER_DAY\)$/m);
    expect(r.stdout).toMatch(/^timezone\s+"Europe\/Stockholm"\s+environment \(TIMEZONE\)$/m);
    expect(r.stdout).toMatch(/^pageviews\.min\s+2\s+preset light line \d+$/m);
    expect(r.stdout).toMatch(/^backfill\.bulkSize\s+100\s+default$/m);
    expect(r.stderr).toContain('warning: AUTO_START: ignored');
  });
});
