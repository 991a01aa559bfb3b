/** One thing wrong with some input: where it is (file:line, field path) and why it is rejected. */
export interface Problem {
  /** e.g. `catalog.csv:14` or `channels[2]`; omitted when the input has no position. */
  where?: string;
  field?: string;
  reason: string;
}

export function formatProblem(p: Problem): string {
  const at = [p.where, p.field].filter(Boolean).join(' ');
  return at ? `${at}: ${p.reason}` : p.reason;
}

/** Bad input (file, argument, body). Nothing was changed. CLI exit code 2, HTTP 4xx. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(summary: string, problems: Problem[] = []) {
    super(problems.length ? `${summary}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}` : summary);
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** The command line itself is wrong (unknown command or option, missing argument). CLI exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something that exists was asked for and is not there (unknown lesson, channel…). CLI exit 2, HTTP 404. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The request contradicts the current state (already exists, already published, still in use). HTTP 409. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The input is larger than this service accepts; `limitBytes` names the limit. HTTP 413. */
export class PayloadTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(message: string, limitBytes: number) {
    super(message);
    this.name = 'PayloadTooLargeError';
    this.limitBytes = limitBytes;
  }
}

/** The input is of a type this service does not take (wrong content type, not a video container). HTTP 415. */
export class UnsupportedMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaError';
  }
}

/** Not enough room to store the input; `freeBytes` names what is left. HTTP 507. */
export class InsufficientStorageError extends Error {
  readonly freeBytes: number;
  constructor(message: string, freeBytes: number) {
    super(message);
    this.name = 'InsufficientStorageError';
    this.freeBytes = freeBytes;
  }
}
