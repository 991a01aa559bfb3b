/**
 * The one API client of the console: openapi-fetch typed by the generated `schema.d.ts`, every request
 * carrying the signed-in token. Answers that are not 2xx become an `ApiError` (status + the server's
 * sentence + its field problems); a 401 also tells the session (the token was revoked or is wrong).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let currentToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** Set by the session: the token sent with every request, and what to do when the server refuses it. */
export function configureClient(token: string | undefined, unauthorized?: () => void): void {
  currentToken = token;
  onUnauthorized = unauthorized;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (currentToken) request.headers.set('Authorization', `Bearer ${currentToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized?.();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a 2xx answer, or an ApiError made from the error body. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<Schemas['Error']>;
  throw new ApiError(response.status, body.error ?? response.statusText, body.problems ?? []);
}
