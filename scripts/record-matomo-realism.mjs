/* global fetch, URLSearchParams */
// `node scripts/record-matomo-realism.mjs --dir D [--site N]`: records what a real Matomo 5.0.2 (the
// harness in ../shared/matomo-harness, instance directory D) makes of the catalogue's user agents
// and of the sink's judged cases, into test/fixtures/matomo-5.0.2/. Loopback only; about 50 hits.
//
//   live-devices.json        every catalogue user agent -> deviceType, operatingSystemName,
//                            browserName as Live.getLastVisitsDetails reports them
//   ua-cases.json            which of a few tool and bot user agents Matomo records
//   tracker-ua-curl-204.*    a single hit with curl's User-Agent (and no `ua`)
//   tracker-order-repeated.* a single order hit reusing a recorded ec_id
//   bulk-order-repeated.*    a bulk whose second request reuses a recorded ec_id
//   bulk-order-twice.*       a bulk with two orders of one new ec_id
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = opt('--dir', process.env.MATOMO_HARNESS_DIR);
if (!dir) {
  console.error('record-matomo-realism: --dir D (the harness instance directory) is required');
  process.exit(2);
}
const site = Number(opt('--site', '1'));
const env = Object.fromEntries(
  readFileSync(`${dir}/env.sh`, 'utf8')
    .split('\n')
    .filter((l) => /^MH_\w+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const base = env.MH_URL.replace(/\/$/, '');
if (!/^http:\/\/127\.\d+\.\d+\.\d+[:/]/.test(`${base}/`)) throw new Error(`not a loopback Matomo: ${base}`);
const token = readFileSync(env.MH_TOKEN_FILE, 'utf8').trim();
const out = fileURLToPath(new URL('../test/fixtures/matomo-5.0.2/', import.meta.url));

// The catalogues are TypeScript: bundle the two data modules and import them from memory.
const bundled = await build({
  stdin: {
    contents:
      "export { devices } from './src/journey/data/devices.ts'; export { userAgents } from './src/journey/data/predecessor.ts';" +
      "export { searchEngines, searchQueries, socialReferrers, referralSites } from './src/journey/data/referrers.ts';",
    resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const data = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const userAgents = [...new Set([...data.devices.map((d) => d.ua), ...data.userAgents])];

const run = Date.now().toString(16).slice(-8);
const visitorId = (kind, i) => `${kind}${run}${i.toString(16).padStart(7, '0')}`;
const nowCdt = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
const VOLATILE = /^(date|server|set-cookie|x-matomo-request-id|content-length|expires|pragma|last-modified|etag|x-powered-by):/i;

// Each visitor gets an address of its own and new_visit: Matomo would otherwise join hits with the
// same fingerprint (address + user agent) into one visit, also across runs of this script on a day.
let addresses = ((Math.floor(Date.now() / 1000) % 250) + 1) << 16;
function hitQuery(extra) {
  addresses += 1;
  const cip = `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
  const p = new URLSearchParams({ idsite: String(site), rec: '1', url: 'https://shop.example.com/realism', send_image: '0', new_visit: '1', cip, cdt: nowCdt(), ...extra });
  return p.toString();
}

async function single(query, userAgent) {
  const res = await fetch(`${base}/matomo.php`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
    body: `${query}&token_auth=${token}`,
  });
  return { res, body: await res.text() };
}

async function bulk(queries) {
  const res = await fetch(`${base}/matomo.php`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'trafficinator-recorder' },
    body: JSON.stringify({ requests: queries.map((q) => `?${q}`), token_auth: token }),
  });
  return { res, body: await res.text() };
}

function save(name, { res, body }) {
  const head = [`HTTP/1.1 ${res.status} ${res.statusText}`];
  for (const [k, v] of res.headers) if (!VOLATILE.test(`${k}:`)) head.push(`${k.replace(/(^|-)\w/g, (c) => c.toUpperCase())}: ${v}`);
  writeFileSync(`${out}${name}.headers`, head.join('\n') + '\n');
  writeFileSync(`${out}${name}.body`, body.replaceAll(token, 'REDACTED_TOKEN'));
}

async function api(method, params) {
  const body = new URLSearchParams({ module: 'API', format: 'JSON', method, idSite: String(site), token_auth: token, ...params });
  const res = await fetch(`${base}/index.php`, { method: 'POST', body });
  return res.json();
}

async function lastVisits(ids) {
  const rows = await api('Live.getLastVisitsDetails', { period: 'day', date: 'today', filter_limit: '1000', doNotFetchActions: '1' });
  if (!Array.isArray(rows)) throw new Error(`Live.getLastVisitsDetails: ${JSON.stringify(rows)}`);
  return new Map(rows.filter((r) => ids.includes(r.visitorId)).map((r) => [r.visitorId, r]));
}

// 1. Devices: one visit per catalogue user agent, sent as Matomo's JavaScript tracker would.
const ids = userAgents.map((_, i) => visitorId('d', i));
for (const [i, ua] of userAgents.entries()) {
  const { res } = await single(hitQuery({ _id: ids[i], ua, action_name: 'realism' }), ua);
  if (res.status !== 204) throw new Error(`device hit ${i}: HTTP ${res.status}`);
}
const seen = await lastVisits(ids);
const devices = userAgents.map((ua, i) => {
  const row = seen.get(ids[i]);
  if (!row) throw new Error(`no visit recorded for ${ua}`);
  return { ua, deviceType: row.deviceType, operatingSystemName: row.operatingSystemName, browserName: row.browserName };
});
writeFileSync(`${out}live-devices.json`, JSON.stringify({ matomo: '5.0.2', recordedBy: 'scripts/record-matomo-realism.mjs', devices }, null, 2) + '\n');

// 1b. Referrers: one visit per referrer URL of the catalogue (each search engine with one query).
const refUrls = [
  ...data.searchEngines.map((e) => e.prefix + encodeURIComponent(data.searchQueries[0]).replaceAll('%20', '+')),
  ...data.socialReferrers.map((r) => r.url),
  ...data.referralSites.map((r) => r.url),
];
const refIds = refUrls.map((_, i) => visitorId('b', i));
for (const [i, urlref] of refUrls.entries()) {
  const { res } = await single(hitQuery({ _id: refIds[i], ua: data.devices[0].ua, urlref, action_name: 'referrer' }), data.devices[0].ua);
  if (res.status !== 204) throw new Error(`referrer hit ${i}: HTTP ${res.status}`);
}
const refSeen = await lastVisits(refIds);
const referrers = refUrls.map((url, i) => {
  const row = refSeen.get(refIds[i]);
  if (!row) throw new Error(`no visit recorded for referrer ${url}`);
  return { url, referrerType: row.referrerType, referrerName: row.referrerName, referrerKeyword: row.referrerKeyword ?? '' };
});
writeFileSync(`${out}live-referrers.json`, JSON.stringify({ matomo: '5.0.2', recordedBy: 'scripts/record-matomo-realism.mjs', referrers }, null, 2) + '\n');

// 2. Tools and bots: which user agents Matomo records (a hit with the header only, no `ua`).
const uaCases = [
  'curl/8.5.0',
  'Wget/1.21.3',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'node-fetch',
  'node',
  'undici',
  'axios/1.7.2',
  'ApacheBench/2.3',
  'k6/0.49.0 (https://k6.io/)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (Linux; Android 13; CUBOT KINGKONG 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
];
const caseIds = uaCases.map((_, i) => visitorId('c', i));
for (const [i, ua] of uaCases.entries()) {
  const answer = await single(hitQuery({ _id: caseIds[i], action_name: 'ua case' }), ua);
  if (i === 0) save('tracker-ua-curl-204', answer);
}
const caseSeen = await lastVisits(caseIds);
const cases = uaCases.map((ua, i) => ({ ua, recorded: caseSeen.has(caseIds[i]) }));
writeFileSync(`${out}ua-cases.json`, JSON.stringify({ matomo: '5.0.2', recordedBy: 'scripts/record-matomo-realism.mjs', sentAs: 'User-Agent header, no ua parameter', cases }, null, 2) + '\n');

// 3. Repeated order ids.
const order = (id, ecId) =>
  hitQuery({ _id: id, idgoal: '0', ec_id: ecId, revenue: '12.50', ec_st: '10.00', ec_tx: '2.50', ec_items: '[["SKU-1","Thing","Stuff",10,1]]' });
const firstOrder = `rec-${run}-1`;
const ua = data.devices[0].ua;
if ((await single(order(visitorId('e', 0), firstOrder), ua)).res.status !== 204) throw new Error('first order not recorded');
save('tracker-order-repeated', await single(order(visitorId('e', 1), firstOrder), ua));
save('bulk-order-repeated', await bulk([hitQuery({ _id: visitorId('e', 2), ua }), order(visitorId('e', 2), firstOrder)]));
const twice = `rec-${run}-2`;
save('bulk-order-twice', await bulk([order(visitorId('e', 3), twice), order(visitorId('e', 4), twice)]));
console.log(`recorded ${devices.length} user agents, ${cases.length} ua cases, 3 order answers into ${out}`);
