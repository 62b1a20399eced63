import type { Config, ConfigIssue, Target } from '../config/schema.js';
import { redactText } from '../config/redact.js';
import { answerOnce, apiUrlFor, type ApiAnswer } from '../matomo/api.js';
import { matomoVersionRequest, siteRequest, siteUrlsRequest, superUserRequest, usersWithRolesRequest } from '../matomo/reporting.js';
import type { HttpRequest, Outcome } from '../transport/transport.js';
import type { ProbeHttp } from '../transport/probe.js';
import { compareSite, type MatomoSite } from './site-checks.js';

/**
 * Asks each target, before anything is sent, whether it is a Matomo that will accept the plan:
 * the tracker answers like Matomo; with a token, the token works, the sites exist, the token may
 * write to them, and the sites' settings match the configuration (warnings).
 */
export interface TargetReport {
  url: string;
  siteIds: { from: number; to: number };
  reachable: boolean;
  matomoVersion?: string;
  sites: Array<{ idsite: number; name?: string }>;
  access?: 'superuser' | 'admin' | 'write';
}

export interface ProbeResult {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  targets: TargetReport[];
}

export const MATOMO_TRACKER_TEXT = 'This resource is part of Matomo';

export async function probeTargets(
  config: Config,
  options: { http: ProbeHttp; now: number; timeoutMs: number },
): Promise<ProbeResult> {
  const result: ProbeResult = { errors: [], warnings: [], targets: [] };
  for (const [index, target] of config.targets.entries()) {
    const path = config.targets.length === 1 ? 'url' : `targets[${index}].url`;
    await probeTarget(config, target, path, options, result);
  }
  return result;
}

/** One line for an answer that is not the expected one. */
export function networkReason(outcome: Extract<Outcome, { kind: 'error' }>, url: string, timeoutMs: number): string {
  const { host } = new URL(url);
  switch (outcome.errorClass) {
    case 'dns':
      return `cannot resolve ${new URL(url).hostname} (DNS)`;
    case 'refused':
      return `connection refused by ${host} (is Matomo running there?)`;
    case 'tls':
      return `TLS handshake with ${host} failed: ${outcome.message}`;
    case 'timeout':
      return `no answer from ${host} within ${timeoutMs} ms (timeout)`;
    case 'reset':
      return `connection to ${host} was reset`;
    default:
      return `request to ${host} failed: ${outcome.message}`;
  }
}

async function probeTarget(
  config: Config,
  target: Target,
  path: string,
  options: { http: ProbeHttp; now: number; timeoutMs: number },
  result: ProbeResult,
): Promise<void> {
  const report: TargetReport = { url: target.url, siteIds: target.siteIds, reachable: false, sites: [] };
  result.targets.push(report);
  const token = target.tokenAuth;
  const fail = (message: string, hint?: string): void => {
    result.errors.push({ path, message: redactText(message, [token]), ...(hint ? { hint } : {}) });
  };

  const bare = await options.http.send({ method: 'GET', url: target.url, headers: {} });
  if (bare.kind === 'error') return fail(networkReason(bare, target.url, options.timeoutMs));
  if (bare.status !== 200) {
    return fail(`HTTP ${bare.status} from ${target.url}`, 'the URL should be the tracker endpoint, …/matomo.php');
  }
  if (!bare.body.includes(MATOMO_TRACKER_TEXT)) {
    return fail(`${target.url} answers but not like a Matomo tracker`, `expected a page saying "${MATOMO_TRACKER_TEXT}"; is this …/matomo.php?`);
  }
  report.reachable = true;
  if (!token) {
    result.warnings.push({
      path,
      message: 'no token: the site ids and their settings were not checked',
      hint: 'give MATOMO_TOKEN_AUTH or --token-auth-file to check them',
    });
    return;
  }

  const apiUrl = apiUrlFor(target.url);
  const call = (request: HttpRequest): Promise<ApiAnswer> => answerOnce({ transport: options.http }, request);
  const apiFailure = (answer: Extract<ApiAnswer, { ok: false }>): string =>
    answer.status === undefined ? answer.message : `Matomo answered: ${answer.message}`;

  const version = await call(matomoVersionRequest(apiUrl, token));
  if (!version.ok) {
    const hint = version.status === 401 || version.status === 403 ? 'check the token_auth' : undefined;
    return fail(`Reporting API at ${apiUrl}: ${apiFailure(version)}`, hint);
  }
  report.matomoVersion = String(valueOf(version.value));

  const ids = [...new Set([target.siteIds.from, target.siteIds.to])];
  for (const idSite of ids) {
    const answer = await call(siteRequest(apiUrl, idSite, token));
    if (!answer.ok) {
      fail(`site ${idSite}: ${apiFailure(answer)}`, 'check the site id');
      continue;
    }
    const site = answer.value as MatomoSite;
    report.sites.push({ idsite: Number(site.idsite), ...(site.name ? { name: site.name } : {}) });
    let siteUrls: string[] | undefined;
    if (String(site.exclude_unknown_urls ?? '0') !== '0') {
      const urls = await call(siteUrlsRequest(apiUrl, idSite, token));
      if (urls.ok && Array.isArray(urls.value)) siteUrls = urls.value.map(String);
    }
    result.warnings.push(
      ...compareSite(config, site, { now: options.now, path, ...(siteUrls ? { siteUrls } : {}) }),
    );
  }
  if (report.sites.length === 0) return;
  await checkAccess(call, { apiUrl, token }, ids, report, path, result, fail);
}

/**
 * Super user, or a role that may write to each site. A non-admin asking getUsersPlusRole gets only
 * their own user with their role; an admin of the site gets the site's users (and may write).
 */
async function checkAccess(
  call: (request: HttpRequest) => Promise<ApiAnswer>,
  { apiUrl, token }: { apiUrl: string; token: string },
  ids: number[],
  report: TargetReport,
  path: string,
  result: ProbeResult,
  fail: (message: string, hint?: string) => void,
): Promise<void> {
  const superUser = await call(superUserRequest(apiUrl, token));
  if (superUser.ok && valueOf(superUser.value) === true) {
    report.access = 'superuser';
    return;
  }
  for (const idSite of ids) {
    const roles = await call(usersWithRolesRequest(apiUrl, idSite, token));
    if (!roles.ok || !Array.isArray(roles.value)) {
      result.warnings.push({
        path,
        message: `could not confirm the token may write to site ${idSite}`,
        hint: roles.ok ? 'unexpected answer' : roles.message,
      });
      continue;
    }
    const list = roles.value as Array<{ role?: string }>;
    const role = list.length === 1 ? list[0]?.role : 'admin';
    if (role === 'admin' || role === 'write' || role === 'superuser') {
      report.access = role === 'superuser' ? 'superuser' : role;
    } else {
      fail(`the token has ${role ?? 'no'} access to site ${idSite}`, 'it needs write or admin access to send cdt, cip or country');
    }
  }
}

/** Matomo wraps scalar answers as `{"value": ...}`. */
function valueOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
}
