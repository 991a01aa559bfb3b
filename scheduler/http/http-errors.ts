/**
 * An HTTP answer other than 200 that a route decides on purpose (409 airing now, 425 not aired yet,
 * 503 nothing published yet…). InputError → 400 and NotFoundError → 404 come from scheduler/errors.ts.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpProblem';
    this.status = status;
    this.headers = headers;
  }
}
