import type { Command } from 'commander';
import { parseDuration } from '../../config/duration.js';
import { loadConfig } from '../../config/load.js';
import { redactConfig } from '../../config/redact.js';
import type { ConfigIssue } from '../../config/schema.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { TargetReport } from '../../probe/probe.js';
import { systemClock } from '../../time/clock.js';
import { environmentNotice, flagsLayerFromCommand, formatIssue } from '../config-options.js';
import type { Io } from '../../io.js';

/** The body of `validate`, imported only when the command runs. */
export async function runValidate(io: Io, cmd: Command): Promise<number> {
  const opts = cmd.opts<{ json?: boolean; skipConnection?: boolean; probeTimeout: string }>();
  const timeoutMs = parseDuration(opts.probeTimeout);
  if (timeoutMs === undefined || timeoutMs <= 0) {
    throw new UsageError(`--probe-timeout: "${opts.probeTimeout}" is not a duration (write e.g. 5s, 1500ms)`);
  }
  const now = systemClock.now();
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  const errors: ConfigIssue[] = [...resolved.errors];
  const warnings: ConfigIssue[] = [...resolved.warnings];
  let targets: TargetReport[] = [];
  let probed = false;
  if (errors.length === 0 && resolved.config) {
    const { tryLoadWorkload } = await import('../workload.js');
    errors.push(...(await tryLoadWorkload(io, resolved.config, resolved.config.seed ?? 0)).issues);
  }
  if (errors.length === 0 && resolved.config && !opts.skipConnection) {
    // The network stack (undici) loads only when a target is contacted: --skip-connection starts faster.
    const [{ probeHttp }, { probeTargets }] = await Promise.all([import('../../transport/probe.js'), import('../../probe/probe.js')]);
    const http = probeHttp({ timeoutMs, signal: io.signal });
    try {
      const probe = await probeTargets(resolved.config, { http, now, timeoutMs });
      errors.push(...probe.errors);
      warnings.push(...probe.warnings);
      targets = probe.targets;
      probed = true;
    } finally {
      await http.close();
    }
  }
  const valid = errors.length === 0;
  if (opts.json) {
    const result = {
      valid,
      errors,
      warnings,
      connection: probed ? 'checked' : 'skipped',
      targets,
      ...(resolved.config ? { config: redactConfig(resolved.config) } : {}),
    };
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    // Problems on stderr, like every other command; the verdict and the targets stay on stdout.
    for (const e of errors) io.stderr.write(`error: ${formatIssue(e)}\n`);
    for (const w of warnings) io.stderr.write(`warning: ${formatIssue(w)}\n`);
    for (const t of targets) if (t.reachable) io.stdout.write(`${describeTarget(t)}\n`);
    io.stdout.write(
      valid
        ? `configuration valid${probed ? '' : ' (connection not checked)'}${warnings.length ? `, ${warnings.length} warning(s)` : ''}\n`
        : `configuration invalid: ${errors.length} error(s); nothing was sent\n`,
    );
  }
  return valid ? ExitCode.ok : ExitCode.usage;
}

function describeTarget(t: TargetReport): string {
  const sites = t.sites.map((s) => `${s.idsite}${s.name ? ` "${s.name}"` : ''}`).join(', ');
  const parts = [`target ${t.url}: Matomo${t.matomoVersion ? ` ${t.matomoVersion}` : ''} answers`];
  if (sites) parts.push(`site ${sites}`);
  if (t.access) parts.push(`token access: ${t.access}`);
  return parts.join('; ');
}
