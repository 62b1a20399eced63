// `npm run bench`: the run command's performance, written into docs/performance.md between the
// `bench:run` markers (the rest of the file is left alone). Everything goes to 127.0.0.1.
//
//   npm run bench                                   the full set (about 30 minutes)
//   npm run bench -- --duration 10 --rate-duration 10 --endurance-hits 500000    a quick pass
//   npm run bench -- --only throughput --receivers nginx --no-write
//   npm run bench -- --only throughput --receivers nginx --no-write --bin dist/trafficinator
//                                                   the generator as the single executable
//   npm run bench -- --only throughput --receivers nginx --no-write --workers 1,2
//                                                   adds rows for run --workers 1 and --workers 2
//   ... --bin dist/trafficinator --base-bin build/base/trafficinator
//                                                   and an earlier build, interleaved in each round
//
// 1. Throughput: `run --rps max`, pauses 0, concurrency 100, against nginx answering 204 and
//    against the built-in sink, with autocannon (the reference) and a bare undici loop sending the
//    same Matomo-shaped paths to the same receiver with the same concurrency, interleaved. Each
//    client runs in its own process: its CPU time is the cutime/cstime this process gains when the
//    child is reaped (exact), its peak RSS the child's VmHWM from /proc; the receiver's CPU comes
//    from /proc/PID/stat of its worker.
// 2. Rate accuracy: --rps 200, 1,000 and 5,000 with pauses 0 and with the medium preset's pauses:
//    achieved/target from the summary, per-second coefficient of variation from --timeseries.
// 3. Endurance: --rps max until N hits (counted from --timeseries), VmRSS sampled every second.
// 4. Capacity: scripts/bench-capacity.mjs (seeds 1, 2, 3 against `sink --capacity 800`; each knee
//    within 10%), which writes its own section; `--only capacity` runs just that.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/bundle.mjs';
import { startNginx } from './lib/nginx.mjs';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    'rate-duration': { type: 'string', default: '30' },
    'endurance-hits': { type: 'string', default: '10000000' },
    repeat: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '100' },
    only: { type: 'string', default: 'throughput,rate,endurance,capacity' },
    receivers: { type: 'string', default: 'nginx,sink' },
    rates: { type: 'string', default: '200,1000,5000' },
    write: { type: 'boolean', default: true },
    'no-write': { type: 'boolean', default: false },
    cli: { type: 'string', default: 'dist/cli.cjs' },
    // The single executable instead of `node CLI` for the generator's runs (the receivers and the
    // reference clients are unchanged).
    bin: { type: 'string' },
    // `--workers 1,2`: the throughput rounds also run `run --workers N` for each N (rows of their own).
    workers: { type: 'string', default: '' },
    // An earlier build measured in the same rounds, right after the run (throughput only): the
    // single executable (--base-bin) or a bundle run with this Node (--base-cli).
    'base-bin': { type: 'string' },
    'base-cli': { type: 'string' },
  },
});
const seconds = Number(flags.duration);
const rateSeconds = Number(flags['rate-duration']);
const enduranceHits = Number(flags['endurance-hits']);
const repeat = Number(flags.repeat);
const concurrency = Number(flags.concurrency);
const only = new Set(flags.only.split(','));
const receivers = flags.receivers.split(',');
const rates = flags.rates.split(',').map(Number);
const write = flags.write && !flags['no-write'];
const workerCounts = flags.workers === '' ? [] : flags.workers.split(',').map(Number);

const cli = join(projectRoot, flags.cli);
const bin = flags.bin ? join(projectRoot, flags.bin) : undefined;
const base = flags['base-bin'] ? { file: join(projectRoot, flags['base-bin']), argv: [] } : flags['base-cli'] ? { file: process.execPath, argv: [join(projectRoot, flags['base-cli'])] } : undefined;
const loadClient = join(projectRoot, 'scripts', 'lib', 'load-client.mjs');
const work = mkdtempSync(join(tmpdir(), 'trafficinator-bench-'));
const CLK_TCK = 100;
const SEED = 'bench';
// Children run without NODE_OPTIONS (a profiler or inspector there would measure the wrong thing).
const env = { ...process.env };
delete env.NODE_OPTIONS;

const log = (line) => process.stderr.write(line + '\n');
const loads = [];
const noteLoad = () => loads.push(loadavg()[0]);
const commands = new Set();

// ---------- processes and /proc ----------

function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]), childCpu: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds of this process's reaped children so far. */
const reapedCpu = () => procStat(process.pid).childCpu / CLK_TCK;

function procKb(pid, field) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds of a live process so far (for receivers, which outlive a measurement). */
const liveCpu = (pids) => pids.reduce((sum, pid) => sum + (procStat(pid)?.cpu ?? 0), 0) / CLK_TCK;

function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => procStat(p)?.ppid === pid);
}

/**
 * Runs a Node child to its end: resolves with its stdout, exact CPU seconds (reaped), peak RSS
 * (VmHWM), wall seconds, and `onTick(pid)` is called every second while it runs.
 */
function measured(args, { onTick, shown, exe } = {}) {
  commands.add(shown ?? `node ${args.map((a) => (a.startsWith(projectRoot) ? a.slice(projectRoot.length + 1) : a)).join(' ')}`);
  const before = reapedCpu();
  const started = performance.now();
  // `--bin`: the generator's runs (args starting with the CLI) go to the single executable.
  // `exe`: another build (--base-bin, --base-cli) for a generator's run.
  const [file, argv] = exe && args[0] === cli ? [exe.file, [...exe.argv, ...args.slice(1)]] : bin && args[0] === cli ? [bin, args.slice(1)] : [process.execPath, args];
  const child = spawn(file, argv, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  let peakKb = 0;
  const sample = () => {
    peakKb = Math.max(peakKb, procKb(child.pid, 'VmHWM') ?? 0);
    onTick?.(child);
  };
  const timer = setInterval(sample, 1000);
  const fast = setInterval(() => (peakKb = Math.max(peakKb, procKb(child.pid, 'VmHWM') ?? 0)), 200);
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearInterval(fast);
      const wall = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 130 && code !== 3) reject(new Error(`${args.join(' ')} exited ${code ?? signal}: ${stderr}`));
      else resolve({ stdout, stderr, cpuSeconds: reapedCpu() - before, peakRssMb: peakKb / 1024, wallSeconds: wall });
    });
  });
}

async function startReceiver(kind) {
  if (kind === 'nginx') {
    const nginx = await startNginx({ log });
    const workers = childrenOf(nginx.pid);
    return { kind, url: nginx.url, pids: workers.length > 0 ? workers : [nginx.pid], stop: nginx.stop, label: 'nginx 204 (1 worker)' };
  }
  const child = spawn(process.execPath, [cli, 'sink', '--port', '0'], { cwd: work, env, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.once('exit', (code) => reject(new Error(`sink exited ${code}`)));
  });
  const base = url.endsWith('/') ? url : url + '/';
  const stop = () =>
    new Promise((resolve) => {
      child.once('close', resolve);
      child.kill('SIGINT');
    });
  return { kind, url: base, pids: [child.pid], stop, label: 'trafficinator sink' };
}

// ---------- the clients ----------

/** Matomo-shaped paths from a dry run of the same model the run sends, for the reference clients. */
async function writePaths() {
  const file = join(work, 'paths.txt');
  const { stdout } = await measured(
    [cli, 'run', '--dry-run', '--max-visits', '3000', '--url', 'http://127.0.0.1:1/matomo.php', '--seed', SEED, '--pause-min', '0', '--pause-max', '0', '--no-randomize-countries'],
    { shown: 'node dist/cli.cjs run --dry-run --max-visits 3000 --seed bench --pause-min 0 --pause-max 0 --no-randomize-countries (paths for the reference clients)' },
  );
  const paths = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => '/matomo.php?' + new URLSearchParams(JSON.parse(line).params).toString().replace(/\+/g, '%20'));
  writeFileSync(file, paths.join('\n') + '\n');
  return { file, count: paths.length, meanLength: Math.round(paths.reduce((s, p) => s + p.length, 0) / paths.length) };
}

async function reference(kind, receiver, pathsFile, secs) {
  const cpuBefore = liveCpu(receiver.pids);
  const r = await measured([loadClient, kind, receiver.url + 'matomo.php', String(concurrency), String(secs), pathsFile], {
    shown: `node scripts/lib/load-client.mjs ${kind} ${receiver.kind === 'nginx' ? 'NGINX' : 'SINK'}/matomo.php ${concurrency} ${secs} PATHS`,
  });
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return {
    client: kind,
    hitsPerSecond: out.requestsPerSecond,
    hits: out.ok,
    failed: out.failed,
    cpuSeconds: r.cpuSeconds,
    wallSeconds: r.wallSeconds,
    measuredSeconds: out.seconds,
    peakRssMb: r.peakRssMb,
    receiverCpuSeconds: liveCpu(receiver.pids) - cpuBefore,
  };
}

function runArgs(receiver, extra) {
  return [cli, 'run', '--url', receiver.url + 'matomo.php', '--seed', SEED, '--no-preflight', '--no-randomize-countries', ...extra];
}

function shownRun(receiver, extra) {
  return `${bin ? flags.bin : 'node dist/cli.cjs'} run --url ${receiver.kind === 'nginx' ? 'NGINX' : 'SINK'}/matomo.php --seed ${SEED} --no-preflight --no-randomize-countries ${extra.join(' ')}`;
}

async function generator(receiver, secs, { workers, exe } = {}) {
  const summaryFile = join(work, `summary-${receiver.kind}.json`);
  const extra = ['--rps', 'max', '--concurrency', String(concurrency), '--pause-min', '0', '--pause-max', '0', '--duration', `${secs}s`];
  if (workers !== undefined) extra.push('--workers', String(workers));
  const cpuBefore = liveCpu(receiver.pids);
  const shown = shownRun(receiver, [...extra, '--summary-json', 'F']);
  const r = await measured([...runArgs(receiver, extra), '--summary-json', summaryFile], {
    exe,
    shown: exe ? shown.replace(/^\S+( dist\/cli\.cjs)?/, flags['base-bin'] ?? `node ${flags['base-cli']}`) : shown,
  });
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  return {
    client: 'trafficinator run',
    hitsPerSecond: s.rate.achievedHitsPerSecond,
    hits: s.hits.ok,
    failed: s.hits.failed,
    cpuSeconds: r.cpuSeconds,
    wallSeconds: r.wallSeconds,
    measuredSeconds: s.rate.windowMs / 1000,
    peakRssMb: r.peakRssMb,
    receiverCpuSeconds: liveCpu(receiver.pids) - cpuBefore,
    p50: s.latencyMs.p50,
    p99: s.latencyMs.p99,
  };
}

// ---------- the three benchmarks ----------

async function throughput(receiver, pathsFile) {
  const rounds = [];
  for (let i = 0; i < repeat; i += 1) {
    // Interleaved so a burst of load from elsewhere spreads over all three clients.
    noteLoad();
    const ac = await reference('autocannon', receiver, pathsFile, seconds);
    log(`  ${receiver.kind} autocannon ${ac.hitsPerSecond.toFixed(0)}/s`);
    const un = await reference('undici', receiver, pathsFile, seconds);
    log(`  ${receiver.kind} undici loop ${un.hitsPerSecond.toFixed(0)}/s`);
    // With a base build, the two builds take turns going first.
    const baseFirst = base && i % 2 === 1 ? await generator(receiver, seconds, { exe: base }) : undefined;
    const run = await generator(receiver, seconds);
    log(`  ${receiver.kind} run ${run.hitsPerSecond.toFixed(0)}/s (${(run.hitsPerSecond / ac.hitsPerSecond).toFixed(2)}x autocannon)`);
    const round = { autocannon: ac, undici: un, run, load: loadavg()[0] };
    for (const w of workerCounts) {
      const threaded = await generator(receiver, seconds, { workers: w });
      log(`  ${receiver.kind} run --workers ${w} ${threaded.hitsPerSecond.toFixed(0)}/s (${(threaded.hitsPerSecond / ac.hitsPerSecond).toFixed(2)}x autocannon)`);
      round[`workers${w}`] = threaded;
    }
    if (base) {
      round.base = baseFirst ?? (await generator(receiver, seconds, { exe: base }));
      log(`  ${receiver.kind} base run ${round.base.hitsPerSecond.toFixed(0)}/s (${(round.base.hitsPerSecond / ac.hitsPerSecond).toFixed(2)}x autocannon)`);
    }
    rounds.push(round);
  }
  return rounds;
}

async function rateAccuracy(receiver) {
  const rows = [];
  for (const pauses of ['0', 'medium']) {
    for (const rps of rates) {
      noteLoad();
      const summaryFile = join(work, 'rate.json');
      const seriesFile = join(work, 'rate.ndjson');
      // Little's law with room: medium visits last about as many seconds as they have hits.
      const c = pauses === '0' ? Math.max(concurrency, rps / 10) : Math.max(concurrency, 2 * rps);
      const extra =
        pauses === '0'
          ? ['--rps', String(rps), '--concurrency', String(c), '--pause-min', '0', '--pause-max', '0', '--duration', `${rateSeconds}s`]
          : ['--preset', 'medium', '--rps', String(rps), '--concurrency', String(c), '--duration', `${rateSeconds}s`];
      const r = await measured([...runArgs(receiver, extra), '--quiet', '--summary-json', summaryFile, '--timeseries', seriesFile], {
        shown: shownRun(receiver, [...extra, '--quiet', '--summary-json', 'F', '--timeseries', 'T']),
      });
      const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
      const fullSeconds = Math.floor(s.rate.windowMs / 1000);
      const perSecond = readFileSync(seriesFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((row) => row.second < fullSeconds)
        .map((row) => row.hitsSent);
      const cvOf = (xs) => {
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) / mean;
      };
      const row = {
        pauses,
        rps,
        concurrency: c,
        ratio: s.rate.ratio,
        achieved: s.rate.achievedHitsPerSecond,
        cv: cvOf(perSecond),
        // Without the start-up seconds: tells a start-up burst from unsteadiness later on.
        cvAfter5s: perSecond.length > 8 ? cvOf(perSecond.slice(5)) : null,
        perSecond,
        minSecond: Math.min(...perSecond),
        maxSecond: Math.max(...perSecond),
        dropped: s.visits.dropped,
        failed: s.hits.failed,
        lagP99: s.scheduleLagMs?.p99 ?? null,
        cpuSeconds: r.cpuSeconds,
        peakRssMb: r.peakRssMb,
      };
      log(`  rate ${rps}/s pauses ${pauses}: ratio ${row.ratio} cv ${(row.cv * 100).toFixed(2)} %`);
      rows.push(row);
    }
  }
  return rows;
}

async function endurance(receiver) {
  noteLoad();
  const seriesFile = join(work, 'endurance.ndjson');
  const summaryFile = join(work, 'endurance.json');
  const extra = ['--rps', 'max', '--concurrency', String(concurrency), '--pause-min', '0', '--pause-max', '0', '--duration', '24h'];
  const samples = [];
  let hits = 0;
  let offset = 0;
  let stopping = false;
  const onTick = (child) => {
    const rss = procKb(child.pid, 'VmRSS');
    if (existsSync(seriesFile)) {
      const text = readFileSync(seriesFile, 'utf8');
      const complete = text.lastIndexOf('\n') + 1;
      for (const line of text.slice(offset, complete).split('\n').filter(Boolean)) hits += JSON.parse(line).hitsSent;
      offset = complete;
    }
    if (rss !== undefined) samples.push({ hits, rssMb: rss / 1024 });
    if (!stopping && hits >= enduranceHits) {
      stopping = true;
      child.kill('SIGINT');
    }
  };
  const r = await measured([...runArgs(receiver, extra), '--quiet', '--summary-json', summaryFile, '--timeseries', seriesFile], {
    onTick,
    shown: shownRun(receiver, [...extra, '--quiet', '--summary-json', 'F', '--timeseries', 'T']) + ` (SIGINT once T counts ${enduranceHits} hits)`,
  });
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const at = (fraction) => samples.find((x) => x.hits >= fraction * enduranceHits) ?? samples.at(-1);
  return {
    hits: s.hits.sent,
    ok: s.hits.ok,
    hitsPerSecond: s.rate.achievedHitsPerSecond,
    seconds: s.durationMs / 1000,
    rss: { start: at(0.02), quarter: at(0.25), middle: at(0.5), threeQuarters: at(0.75), end: samples.at(-1) },
    peakRssMb: r.peakRssMb,
    cpuSeconds: r.cpuSeconds,
  };
}

// ---------- rendering ----------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (n) => Math.round(n).toLocaleString('en-US');
const fix = (n, d = 2) => n.toFixed(d);
const pct = (n) => `${(n * 100).toFixed(2)} %`;

function throughputTable(receiver, rounds) {
  const lines = [
    `#### ${receiver.label}`,
    '',
    '| client | hits/s (median) | x autocannon | CPU s per 100k hits | client CPU (cores) | receiver CPU (cores) | peak RSS |',
    '| ------ | --------------- | ------------ | ------------------- | ------------------ | -------------------- | -------- |',
  ];
  for (const key of ['autocannon', 'undici', 'run', ...workerCounts.map((w) => `workers${w}`), ...(rounds[0].base ? ['base'] : [])]) {
    const xs = rounds.map((r) => r[key]);
    const rps = median(xs.map((x) => x.hitsPerSecond));
    const ratio = median(rounds.map((r) => r[key].hitsPerSecond / r.autocannon.hitsPerSecond));
    const cpu100k = median(xs.map((x) => (x.cpuSeconds / x.hits) * 100_000));
    const clientCores = median(xs.map((x) => x.cpuSeconds / x.wallSeconds));
    const receiverCores = median(xs.map((x) => x.receiverCpuSeconds / x.wallSeconds));
    const name =
      key === 'undici'
        ? 'bare undici loop'
        : key === 'run'
          ? '**trafficinator run**'
          : key.startsWith('workers')
            ? `trafficinator run --workers ${key.slice(7)}`
            : key === 'base'
              ? `run, base build (${flags['base-bin'] ?? flags['base-cli']})`
              : 'autocannon 8';
    lines.push(
      `| ${name} | ${int(rps)} | ${fix(ratio)} | ${fix(cpu100k)} | ${fix(clientCores)} | ${fix(receiverCores)} | ${int(median(xs.map((x) => x.peakRssMb)))} MB |`,
    );
  }
  const each = rounds.map((r) => `${fix(r.run.hitsPerSecond / r.autocannon.hitsPerSecond)}`).join(', ');
  lines.push('', `Run/autocannon ratio per round: ${each}. Latency of the run (last round): p50 ${rounds.at(-1).run.p50} ms, p99 ${rounds.at(-1).run.p99} ms.`);
  if (rounds[0].base) {
    const perRound = (key) => rounds.map((r) => `${fix(r[key].hitsPerSecond / r.autocannon.hitsPerSecond)} / ${fix((r[key].cpuSeconds / r[key].hits) * 100_000)} / ${int(r[key].peakRssMb)} MB`).join('; ');
    lines.push('', `Per round (x autocannon / CPU s per 100k / peak RSS): run ${perRound('run')}; base ${perRound('base')}. Load average after each round: ${rounds.map((r) => r.load.toFixed(1)).join(', ')}.`);
  }
  return lines.join('\n');
}

function render(results, paths) {
  const out = [];
  const now = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  out.push(
    '<!-- bench:run:start (written by `npm run bench`; edits between these markers are overwritten) -->',
    '## Run: throughput, rate accuracy, endurance',
    '',
    `Measured ${now} UTC by \`npm run bench\` (program ${pkg.version}, Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB). Load average (1 min) at the start of each measurement: ${loads.map((l) => l.toFixed(1)).join(', ')}. ` +
      'Everything shares the same CPUs (generator, reference clients, receiver, and whatever else runs on the machine), and the machine is shared: ' +
      'compare only figures from the same run. Reproduce with `npm run bench` (flags: `--duration S`, `--rate-duration S`, `--endurance-hits N`, ' +
      '`--repeat N`, `--only throughput,rate,endurance`, `--receivers nginx,sink`, `--no-write`, `--bin FILE`, `--workers 1,2`).',
    '',
  );
  if (results.throughput) {
    out.push(
      '### Throughput',
      '',
      `\`--rps max\`, pauses 0, concurrency ${concurrency}, ${seconds} s per client, ${repeat} round(s) (medians), the clients interleaved. ` +
        `autocannon and the bare undici loop (scripts/lib/load-client.mjs: ${concurrency} async loops awaiting one \`Pool.request\` each, nothing else) ` +
        `send ${int(paths.count)} Matomo-shaped paths from the run's own dry run (mean ${paths.meanLength} bytes, six \`pf_*\` params per pageview) in turn. ` +
        'CPU is user + system time of the whole client process (from its reaped rusage), per 100k answered hits; "cores" is CPU seconds per wall second, ' +
        'so 1.00 is one core busy the whole time; peak RSS is the VmHWM of the client process.',
      '',
    );
    for (const { receiver, rounds } of results.throughput) out.push(throughputTable(receiver, rounds), '');
  }
  if (results.rate) {
    out.push(
      '### Rate accuracy',
      '',
      `\`--rps N\` for ${rateSeconds} s against nginx, constant spacing. "pauses 0": \`--pause-min 0 --pause-max 0\` with concurrency max(${concurrency}, N / 10); "medium": \`--preset medium\` ` +
        '(pauses 0.5–2 s between pageviews, realism personas) with concurrency 2 × N so no arrival is dropped. Achieved/target is hits sent in the window ' +
        'over the schedule\'s integral (`rate.ratio` of the summary); CV is the standard deviation of the per-second hit counts over their mean ' +
        '(`--timeseries`, the full seconds of the window). Goal: within 1 % of the target, CV under 5 %. "CV from second 5" leaves out the start-up seconds.',
      '',
      '| pauses | target hits/s | concurrency | achieved/target | per-second CV | CV from second 5 | min–max per second | dropped | failed | lag p99 | CPU s | peak RSS |',
      '| ------ | ------------- | ----------- | --------------- | ------------- | ---------------- | ------------------ | ------- | ------ | ------- | ----- | -------- |',
    );
    for (const r of results.rate) {
      out.push(
        `| ${r.pauses} | ${int(r.rps)} | ${int(r.concurrency)} | ${fix(r.ratio, 4)} | ${pct(r.cv)} | ${r.cvAfter5s === null ? 'n/a' : pct(r.cvAfter5s)} | ${int(r.minSecond)}–${int(r.maxSecond)} | ${int(r.dropped)} | ${int(r.failed)} | ${r.lagP99} ms | ${fix(r.cpuSeconds, 1)} | ${int(r.peakRssMb)} MB |`,
      );
    }
    out.push('');
  }
  if (results.endurance) {
    const e = results.endurance;
    const row = (name, x) => `| ${name} | ${int(x.hits)} | ${fix(x.rssMb, 1)} MB |`;
    out.push(
      '### Endurance',
      '',
      `\`--rps max\`, pauses 0, concurrency ${concurrency} against nginx until ${int(enduranceHits)} hits (counted from \`--timeseries\`, then SIGINT); ` +
        `VmRSS sampled once a second. ${int(e.hits)} hits sent (${int(e.ok)} ok) in ${int(e.seconds)} s, ${int(e.hitsPerSecond)} hits/s, ` +
        `${fix((e.cpuSeconds / e.hits) * 100_000)} CPU s per 100k hits.`,
      '',
      '| point | hits sent | VmRSS |',
      '| ----- | --------- | ----- |',
      row('start (2 %)', e.rss.start),
      row('25 %', e.rss.quarter),
      row('middle (50 %)', e.rss.middle),
      row('75 %', e.rss.threeQuarters),
      row('end', e.rss.end),
      '',
      `Peak RSS (VmHWM) ${fix(e.peakRssMb, 1)} MB; end minus start ${fix(e.rss.end.rssMb - e.rss.start.rssMb, 1)} MB.`,
      '',
    );
  }
  out.push('### Commands', '', 'NGINX and SINK stand for the receivers\' loopback URLs, F and T for temporary files.', '', '```sh', ...commands, '```', '<!-- bench:run:end -->');
  return out.join('\n');
}

function writeDoc(section) {
  const file = join(projectRoot, 'docs', 'performance.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- bench:run:start');
  const endMarker = '<!-- bench:run:end -->';
  const end = text.indexOf(endMarker);
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + endMarker.length) : text.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(file, next);
  log(`wrote ${file}`);
}

// ---------- main ----------

if (!existsSync(cli)) throw new Error('dist/cli.cjs is missing: npm run build first');
const results = {};
const onlyCapacity = only.size === 1 && only.has('capacity');
const paths = onlyCapacity ? undefined : await writePaths();
if (onlyCapacity) rmSync(work, { recursive: true, force: true });
if (!onlyCapacity) try {
  for (const kind of receivers) {
    if (!only.has('throughput') && !(kind === 'nginx' && (only.has('rate') || only.has('endurance')))) continue;
    log(`receiver: ${kind}`);
    const receiver = await startReceiver(kind);
    try {
      if (only.has('throughput')) (results.throughput ??= []).push({ receiver, rounds: await throughput(receiver, paths.file) });
      if (kind === 'nginx' && only.has('rate')) results.rate = await rateAccuracy(receiver);
      if (kind === 'nginx' && only.has('endurance')) results.endurance = await endurance(receiver);
    } finally {
      await receiver.stop();
    }
  }
  const section = render(results, paths);
  process.stdout.write(section + '\n');
  writeFileSync(join(tmpdir(), 'trafficinator-bench-last.json'), JSON.stringify(results, null, 2));
  if (write) writeDoc(section);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (only.has('capacity')) {
  const args = [join(projectRoot, 'scripts', 'bench-capacity.mjs'), '--cli', flags.cli, ...(write ? [] : ['--no-write'])];
  const code = await new Promise((resolve) => spawn(process.execPath, args, { env, stdio: 'inherit' }).on('close', resolve));
  if (code !== 0) process.exitCode = 1;
}
