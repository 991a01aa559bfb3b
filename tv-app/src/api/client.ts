/**
 * The origin's JSON API as the TV app uses it: typed fetches (shapes shared with the server through
 * playlists/guide-json.ts), retries with backoff, and the last good guide kept in localStorage so the
 * box still shows a guide while the origin is unreachable.
 */
import type {
  ChannelJson,
  ChannelsResponse,
  GuideResponse,
  LessonsResponse,
  NoticesResponse,
  LessonJson,
} from '../../../playlists/guide-json.ts';
import { backoffDelay } from './backoff.ts';
import type { GuidePage } from '../guide/guide-pages.ts';

export type { ChannelJson, GuideResponse, LessonJson, NoticesResponse };
export type { GuideProgramme } from '../../../playlists/guide-json.ts';

class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export interface FetchOptions {
  /** Attempts in total (1 = no retry). */
  attempts?: number;
  timeoutMs?: number;
}

/** What the box keeps for offline use: the channels and the guide pages around the time it was saved. */
export interface CachedGuide {
  channels: ChannelJson[];
  pages: GuidePage[];
}

const GUIDE_CACHE_KEY = 'aerial.guide.v2';

export class ApiClient {
  constructor(
    /** Origin base URL, e.g. `http://10.0.0.1:8080` (no trailing slash). */
    readonly baseUrl: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** GET JSON; 5xx and network errors are retried with backoff, 4xx are not (they will not get better). */
  async getJson<T>(path: string, options: FetchOptions = {}): Promise<T> {
    const attempts = options.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.sleep(backoffDelay(attempt - 1, 400, 4_000));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 8_000);
      try {
        const response = await fetch(`${this.baseUrl}${path}`, { signal: controller.signal, cache: 'no-store' });
        if (response.ok) return (await response.json()) as T;
        const error = new ApiError(`${path}: HTTP ${response.status}`, response.status);
        if (response.status < 500) throw error;
        lastError = error;
      } catch (error) {
        if (error instanceof ApiError && error.status !== undefined && error.status < 500) throw error;
        lastError =
          error instanceof ApiError
            ? error
            : new ApiError(`${path}: ${(error as Error).message || 'network error'}`, undefined);
      } finally {
        clearTimeout(timer);
      }
    }
    throw lastError;
  }

  channels(options?: FetchOptions): Promise<ChannelsResponse> {
    return this.getJson('/api/channels', options);
  }

  guide(fromMs: number, toMs: number, options?: FetchOptions): Promise<GuideResponse> {
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    return this.getJson(`/api/guide?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, options);
  }

  lessons(offset: number, limit: number, options?: FetchOptions): Promise<LessonsResponse> {
    return this.getJson(`/api/lessons?offset=${offset}&limit=${limit}`, options);
  }

  /** Every lesson, page by page. */
  async allLessons(options?: FetchOptions): Promise<LessonJson[]> {
    const lessons: LessonJson[] = [];
    for (let offset = 0; ;) {
      const page = await this.lessons(offset, 500, options);
      lessons.push(...page.lessons);
      offset += page.lessons.length;
      if (page.lessons.length === 0 || offset >= page.total) return lessons;
    }
  }

  notices(options?: FetchOptions): Promise<NoticesResponse> {
    return this.getJson('/api/notices', options);
  }

  /** Keeps the guide for offline use; a full or disabled storage only costs the offline guide. */
  saveGuide(guide: CachedGuide): void {
    try {
      this.storage.setItem(GUIDE_CACHE_KEY, JSON.stringify(guide));
    } catch {
      // Storage full or disabled: the guide still works, only offline use loses it.
    }
  }

  cachedGuide(): CachedGuide | undefined {
    try {
      const text = this.storage.getItem(GUIDE_CACHE_KEY);
      if (!text) return undefined;
      const parsed = JSON.parse(text) as CachedGuide;
      return Array.isArray(parsed.channels) &&
        Array.isArray(parsed.pages) &&
        parsed.pages.every((p) => Array.isArray(p?.guide?.channels))
        ? parsed
        : undefined;
    } catch {
      return undefined;
    }
  }
}
