import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a media tool to completion, collecting its output; never throws for a non-zero exit.
 * An abort `signal` terminates the tool (SIGTERM) and rejects with the signal's reason once the process has
 * exited, so the caller can remove what it was writing without racing it.
 */
export function runTool(
  binary: string,
  args: string[],
  onStdout?: (chunk: string) => void,
  signal?: AbortSignal,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const terminate = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', terminate, { once: true });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      onStdout?.(chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the tail: errors are at the end, and a long run's log can be large.
      stderr = (stderr + chunk.toString('utf8')).slice(-64_000);
    });
    child.on('error', reject);
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', terminate);
      if (signal?.aborted) reject(signal.reason);
      else resolvePromise({ code, signal: exitSignal, stdout: Buffer.concat(out), stderr });
    });
  });
}

/** The last few meaningful lines of a tool's stderr, for an error message. */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' | ');
}
