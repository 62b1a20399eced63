import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackfillSummary } from '../../src/report/backfill-summary.js';
import { runCli } from '../helpers/cli.js';
import { args, dryRun, killSinks, startSink, workDir } from '../helpers/backfill.js';

afterEach(killSinks);

const schema = JSON.parse(readFileSync(new URL('../../docs/schema/backfill-summary.schema.json', import.meta.url), 'utf8')) as object;
const WINDOW = ['--from', '2026-01-05', '--to', '2026-01-07', '--max-visits-per-day', '20', '--bulk-size', '20'];

describe('report merges backfill summaries (the shards of one backfill)', () => {
  it('2 shards into one sink, each with its own state: report --json adds them up to what the sink recorded and the unsharded dry run planned', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const { hits: planned } = await dryRun(dir, sink.tracker, WINDOW);
    const shard = (i: number) =>
      runCli([...args('backfill', sink.tracker, WINDOW), '--shard', `${i}/2`, '--state-dir', join(dir, `state-${i}`), '--summary-json', `s${i}.json`], { cwd: dir });
    const shards = await Promise.all([shard(0), shard(1)]);
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const { summary: seen } = await sink.stop();
    expect(seen.hits.recorded).toBe(planned.length);

    const r = await runCli(['report', 's0.json', 's1.json', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(r.stdout) as BackfillSummary;
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.mergedFrom).toBe(2);
    expect(merged.targets).toHaveLength(1);
    const [t] = merged.targets;
    expect(t!.plans.map((p) => p.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(t!.totals.sent).toBe(seen.hits.recorded);
    expect(t!.totals.tracked).toBe(seen.hits.recorded);
    expect(t!.totals.sent).toBe(planned.length);
    expect(t!.totals.plannedVisits).toBe(60);
    expect(t!.totals.complete).toBe(3);
    expect(t!.days.map((d) => d.date)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
    // The hours add up to the plan's hits too: each shard counted its own visits.
    expect(t!.plannedByHour!.hits.reduce((a, b) => a + b, 0)).toBe(planned.length);
    const parts = ['s0.json', 's1.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BackfillSummary);
    expect(parts.map((p) => p.targets[0]!.totals.sent).every((n) => n > 0 && n < planned.length)).toBe(true);

    // The page draws the same backfill charts from the merged data: one section, both plans.
    const page = await runCli(['report', 's0.json', 's1.json', '--html', 'merged.html'], { cwd: dir });
    expect(page.code, page.stderr).toBe(0);
    const html = readFileSync(join(dir, 'merged.html'), 'utf8');
    expect(html).toContain('Backfill · 2 backfill summaries merged: http://127.0.0.1:');
    expect(html).toContain('shards merged');
    expect(html).toContain('0/2, 1/2');
    expect(html.match(/id="backfill-days-\d+"/g)).toEqual(['id="backfill-days-0"']);

    // The same shard twice would count its hits twice: one line, exit 2.
    const twice = await runCli(['report', 's0.json', 's1.json', 's0.json', '--json'], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stdout).toBe('');
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    expect(twice.stderr).toMatch(/^error: report: s0\.json: shard 0\/2 of site 1 of http:\/\/127\.0\.0\.1:\d+\/matomo\.php \(plan \w{12}\) is in s0\.json too/);
  });
});
