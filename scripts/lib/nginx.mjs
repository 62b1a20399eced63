// A throw-away nginx on 127.0.0.1 for benchmarks: the fastest honest server to aim a load generator
// at (every request answered 204 by one worker), so a benchmark measures the generator, not the
// target. Not used by `npm test`: CI needs no nginx.
//
//   import { startNginx } from './lib/nginx.mjs';
//   const nginx = await startNginx();      // installs Debian's nginx-light first if missing (root)
//   ... load nginx.url ...
//   await nginx.stop();
//
// Run alone, it starts nginx, prints its URL and stops on Ctrl-C: `node scripts/lib/nginx.mjs`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

/** The nginx binary, installed from Debian's packages when missing (needs root and apt-get). */
export function ensureNginx({ log = console.error } = {}) {
  const found = findNginx();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('nginx is not installed; as root: apt-get install -y nginx-light');
  log('installing nginx from Debian packages (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  apt(['update']);
  try {
    apt(['install', '-y', '--no-install-recommends', 'nginx-light']);
  } catch {
    // nginx-light is gone from Debian 13; the plain package serves as well.
    apt(['install', '-y', '--no-install-recommends', 'nginx']);
  }
  const installed = findNginx();
  if (!installed) throw new Error('apt-get installed no nginx binary');
  return installed;
}

function findNginx() {
  for (const path of CANDIDATES) if (existsSync(path)) return path;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A free port on 127.0.0.1, as the kernel hands it out for port 0. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The configuration: one worker, no access log, 204 for everything, keep-alive for load. */
export function nginxConfig({ dir, port, workerConnections = 4096 }) {
  const temp = (name) => join(dir, 'temp', name);
  return `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {
  worker_connections ${workerConnections};
  multi_accept on;
}
http {
  access_log off;
  server_tokens off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen ${HOST}:${port} backlog=4096;
    location / { return 204; }
  }
}
`;
}

/**
 * Starts nginx on a free port of 127.0.0.1 with a generated configuration in a temporary
 * directory. Resolves once the port accepts connections, with its URL and a stop().
 */
export async function startNginx({ log = console.error, workerConnections } = {}) {
  const bin = ensureNginx({ log });
  const dir = mkdtempSync(join(tmpdir(), 'trafficinator-nginx-'));
  mkdirSync(join(dir, 'temp'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ dir, port, workerConnections }));
  const child = spawn(bin, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const failure = exited.then(({ code, signal }) => {
    const errorLog = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    throw new Error(`nginx exited (${code ?? signal}) before listening: ${stderr}${errorLog}`.trim());
  });
  await Promise.race([waitForPort(port), failure]);
  failure.catch(() => {});

  let stopped;
  const stop = () => {
    // SIGQUIT: graceful; the master waits for its worker and removes its pid file.
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return { url: `http://${HOST}:${port}/`, port, pid: child.pid, dir, stop };
}

/** Resolves when a TCP connection to the port succeeds (the readiness signal nginx gives). */
async function waitForPort(port, attempts = 200) {
  for (let i = 0; i < attempts; i += 1) {
    const open = await new Promise((resolveOpen) => {
      const socket = connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolveOpen(true);
      });
      socket.once('error', () => resolveOpen(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on ${HOST}:${port}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const nginx = await startNginx();
  console.log(nginx.url);
  const stop = () => void nginx.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
