// `npm run demo`: trafficinator end to end on this machine, nothing leaves 127.0.0.1.
// Builds the CLI if needed, starts the built-in sink on a free loopback port, checks it with
// `validate`, runs the smoke preset against it for about 15 seconds, stops the sink, prints both
// reports, and fails unless they agree on visits and hits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'dist', 'cli.cjs');
const seconds = Number(process.env.DEMO_SECONDS ?? 15);
const token = `demo-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'trafficinator-demo-'));

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function heading(text) {
  process.stdout.write(`\n=== ${text} ===\n`);
}

function buildIfNeeded() {
  const stale = !existsSync(cli) || Math.max(newest(join(root, 'src')), newest(join(root, 'presets'))) > statSync(cli).mtimeMs;
  if (!stale) return;
  heading('building dist/cli.cjs');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
}

/** Starts the sink and resolves with its base URL (its first stdout line) and a stop function. */
function startSink() {
  const child = spawn(process.execPath, [cli, 'sink', '--token', token, '--timezone', 'CET', '--summary-json', join(work, 'sink.json')], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const closed = new Promise((done) => child.on('close', (code) => done(code)));
  const url = new Promise((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const first = out.split('\n');
      if (first.length > 1) done(first[0]);
    });
    closed.then((code) => fail(new Error(`the sink ended early (exit ${code})`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGINT');
      const code = await closed;
      if (code !== 0) throw new Error(`the sink ended with exit ${code}`);
      return out.split('\n').slice(1).join('\n');
    },
  };
}

function cliRun(args, { capture }) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: work,
      env: { ...process.env, MATOMO_TOKEN_AUTH: token },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.on('close', (code) => done({ code, out }));
  });
}

async function main() {
  buildIfNeeded();
  const sink = startSink();
  let sinkReport = '';
  let runResult;
  try {
    const base = await sink.url;
    const tracker = `${base}/matomo.php`;
    heading(`sink listening at ${base} (token_auth given to validate and run through MATOMO_TOKEN_AUTH)`);

    heading(`trafficinator validate --preset smoke --url ${tracker}`);
    const validate = await cliRun(['validate', '--preset', 'smoke', '--url', tracker], { capture: false });
    if (validate.code !== 0) throw new Error(`validate failed (exit ${validate.code})`);

    const runArgs = ['run', '--preset', 'smoke', '--url', tracker, '--duration', `${seconds}s`, '--max-visits', '0', '--seed', '42',
      '--summary-json', join(work, 'run.json')];
    heading(`trafficinator ${runArgs.slice(0, -2).join(' ')} --summary-json run.json`);
    runResult = await cliRun(runArgs, { capture: true });
  } finally {
    sinkReport = await sink.stop().catch((error) => `(${error.message})`);
  }
  heading('trafficinator run: its report');
  process.stdout.write(runResult.out);
  heading('trafficinator sink: its report');
  process.stdout.write(sinkReport.trimStart());
  if (runResult.code !== 0) throw new Error(`run failed (exit ${runResult.code})`);

  const run = JSON.parse(readFileSync(join(work, 'run.json'), 'utf8'));
  const seen = JSON.parse(readFileSync(join(work, 'sink.json'), 'utf8'));
  const checks = [
    ['visits', run.visits.completed, seen.visits],
    ['hits', run.hits.ok, seen.hits.recorded],
    ['hits rejected by the sink', 0, seen.hits.rejected],
    ['failed hits', 0, run.hits.failed],
  ];
  heading('do they agree?');
  let agree = run.visits.completed > 0;
  for (const [what, sent, recorded] of checks) {
    const same = sent === recorded;
    agree &&= same;
    process.stdout.write(`  ${what.padEnd(26)} run ${String(sent).padStart(6)}   sink ${String(recorded).padStart(6)}   ${same ? 'ok' : 'DIFFERENT'}\n`);
  }
  process.stdout.write(agree ? '\ndemo: the run and the sink agree.\n' : '\ndemo: the run and the sink DISAGREE.\n');
  process.exitCode = agree ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exitCode = 1;
});
