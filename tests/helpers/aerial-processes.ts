import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openDb, type Db } from '../../scheduler/store/db.ts';

/**
 * Real `aerial` processes for the workers tests (control plane, workers, `aerial package`), each in its own process
 * group so that a test can kill one as a machine dies (the process and its ffmpeg), and the rest at the end.
 */
export interface Proc {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** SIGKILL to the whole process group: the process, its ffmpeg, as if the machine died. */
  killHard: () => Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface AerialProcesses {
  start(args: string[]): Proc;
  /** SIGKILL to every process group still running. */
  killAll(): void;
  /** Each process started: its arguments, exit code and the end of its output (printed when a test fails). */
  report(): string;
}

/** Starts `aerial --data <dataDir> …` processes with `env` added to this process's environment. */
export function aerialProcesses(dataDir: string, env: NodeJS.ProcessEnv = {}): AerialProcesses {
  const children = new Set<ChildProcess>();
  const started: Array<{ args: string[]; child: ChildProcess; output: () => string }> = [];
  return {
    start(args) {
      const child = spawn(process.execPath, [join(process.cwd(), 'bin/aerial.js'), '--data', dataDir, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, LOG_LEVEL: 'info', ...env },
      });
      children.add(child);
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
      child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      started.push({ args, child, output: () => output });
      return {
        child,
        output: () => output,
        exited,
        async killHard() {
          process.kill(-child.pid!, 'SIGKILL');
          await exited;
          children.delete(child);
        },
      };
    },
    report() {
      return started
        .map(
          ({ args, child, output }) =>
            `--- aerial ${args.join(' ')} (exit ${child.exitCode ?? child.signalCode ?? 'running'})\n` +
            output().slice(-4000),
        )
        .join('\n');
    },
    killAll() {
      for (const child of children) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      children.clear();
    },
  };
}

export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (v: T) => boolean,
  what: string,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The queue options both tests give every process: short locks and retry delays. */
const TEST_QUEUE_TIMING = ['--lock-seconds', '20', '--retries', '2', '--retry-delay', '1'];

/** `aerial serve --queue` on a free port; resolves once it serves. */
export async function startControlPlane(
  procs: AerialProcesses,
  queueUrl: string,
  storeUrl: string,
): Promise<{ proc: Proc; baseUrl: string }> {
  const proc = procs.start([
    ...['serve', '--port', '0', '--host', '127.0.0.1', '--queue', queueUrl, '--store', storeUrl],
    ...TEST_QUEUE_TIMING,
  ]);
  const line = await waitFor(() => /serving on (http:\/\/\S+)/.exec(proc.output()), Boolean, 'the control plane');
  return { proc, baseUrl: line![1]! };
}

/** `aerial worker` (one job at a time) with its own work dir; resolves once it takes jobs. */
export async function startWorker(
  procs: AerialProcesses,
  queueUrl: string,
  storeUrl: string,
  workDir: string,
): Promise<Proc & { dir: string }> {
  const proc = procs.start([
    ...['worker', '--queue', queueUrl, '--store', storeUrl, '--concurrency', '1', '--work-dir', workDir],
    ...TEST_QUEUE_TIMING,
  ]);
  await waitFor(
    () => proc.output().includes('taking packaging jobs') || proc.child.exitCode !== null,
    Boolean,
    'a worker',
  );
  if (!proc.output().includes('taking packaging jobs')) throw new Error(`the worker did not start: ${proc.output()}`);
  return { ...proc, dir: workDir };
}

/** The log lines of `procs` about the control plane's job `id` with message `msg`. */
export function jobLines(procs: Proc[], id: number, msg: string): string[] {
  return procs
    .flatMap((p) => p.output().split('\n'))
    .filter((l) => l.includes(`"msg":"${msg}"`) && l.includes(`"job":${id},`));
}

/** Which worker logged that it is packaging the control plane's job `id`. */
export function runnerOf<P extends Proc>(workers: P[], id: number): P | undefined {
  return workers.find((w) => jobLines([w], id, 'packaging').length > 0);
}

export type AdminApi = (
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; json: any }>;

/** Calls to a control plane's admin API with a bearer token. */
export function adminApi(token: string): AdminApi {
  return async (baseUrl, method, path, body) => {
    const res = await fetch(`${baseUrl}/api/admin${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: await res.json() };
  };
}

/** `use` with the data directory's database open (another process keeps writing to it), closed after. */
export function withDataDirDb<T>(dataDir: string, use: (db: Db) => T): T {
  const db = openDb(dataDir);
  try {
    return use(db);
  } finally {
    db.close();
  }
}
