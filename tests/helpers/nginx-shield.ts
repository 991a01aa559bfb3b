/**
 * The shipped shield configuration (deploy/nginx/aerial-shield.conf) run by Debian's real nginx for a test or
 * a benchmark: its placeholders filled as envsubst would (README "Behind a CDN: the nginx shield"), wrapped in a
 * minimal main configuration whose pid, logs, temp and cache paths live in a temp dir (`nginx -p DIR -c FILE`),
 * in the foreground (`daemon off`), stopped by the caller.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX = '/usr/sbin/nginx';
export const SHIELD_TEMPLATE = fileURLToPath(new URL('../../deploy/nginx/aerial-shield.conf', import.meta.url));
const PLACEHOLDERS = ['AERIAL_SHIELD_PORT', 'AERIAL_CACHE_DIR', 'AERIAL_EDGES', 'AERIAL_CONTROL_PLANE'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** Why a test needing nginx cannot run here, or undefined when it can. */
export function nginxMissingReason(): string | undefined {
  if (!existsSync(NGINX)) return `${NGINX} is not installed (Debian package nginx; .ci/run installs it)`;
  const version = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  if (version.status !== 0) return `${NGINX} -v failed: ${version.stderr}`;
  return undefined;
}

/** `${NAME}` placeholders replaced as `envsubst '${AERIAL_…}'` does; nginx's own `$variables` untouched. */
export function renderShieldConfig(template: string, values: Record<Placeholder, string>): string {
  let out = template;
  for (const name of PLACEHOLDERS) out = out.split(`\${${name}}`).join(values[name]);
  const left = /\$\{[A-Z_]+\}/.exec(out);
  if (left) throw new Error(`shield template: placeholder ${left[0]} has no value`);
  return out;
}

/** A port free at this instant on 127.0.0.1 (nginx needs it in its configuration before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningShield {
  baseUrl: string;
  dir: string;
  /** nginx's error log so far (for a failing assertion's message). */
  errorLog(): string;
  stop(): Promise<void>;
}

export interface ShieldOptions {
  /** `host:port` of each edge origin. */
  edges: string[];
  controlPlane: string;
  /** nginx worker processes (default 1). */
  workers?: number;
  /** Log `$upstream_cache_status $request_time $uri` per request to `<dir>/access.log` (benchmarks). */
  accessLog?: boolean;
}

function mainConfig(dir: string, shieldConf: string, workers: number, accessLog: boolean): string {
  // Run as root (CI), workers would otherwise switch to `nobody` and could not write the temp dir's caches.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const temp = (name: string) => join(dir, 'temp', name);
  return `${user}worker_processes ${workers};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
${accessLog ? `  log_format timing '$upstream_cache_status $request_time $uri';\n  access_log ${join(dir, 'access.log')} timing;` : '  access_log off;'}
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  include ${shieldConf};
}
`;
}

function waitForPort(port: number, child: ChildProcess, dir: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`nginx exited with ${child.exitCode}: ${readLog(dir)}`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}: ${readLog(dir)}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '(no error log)';
  }
}

/** Renders the shipped configuration for these origins and runs nginx on a free port until stop(). */
export async function startShield(options: ShieldOptions): Promise<RunningShield> {
  const dir = mkdtempSync(join(tmpdir(), 'aerial-shield-'));
  for (const sub of ['cache', 'temp']) mkdirSync(join(dir, sub));
  const edgesFile = join(dir, 'edges.conf');
  writeFileSync(edgesFile, options.edges.map((e) => `server ${e} max_fails=3 fail_timeout=2s;\n`).join(''));
  const port = await freePort();
  const shieldConf = join(dir, 'aerial-shield.conf');
  writeFileSync(
    shieldConf,
    renderShieldConfig(readFileSync(SHIELD_TEMPLATE, 'utf8'), {
      AERIAL_SHIELD_PORT: `127.0.0.1:${port}`,
      AERIAL_CACHE_DIR: join(dir, 'cache'),
      AERIAL_EDGES: edgesFile,
      AERIAL_CONTROL_PLANE: options.controlPlane,
    }),
  );
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, mainConfig(dir, shieldConf, options.workers ?? 1, options.accessLog ?? false));
  const child = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child, dir);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dir,
    errorLog: () => readLog(dir),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM'); // nginx's fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
