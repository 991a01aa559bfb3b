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
