import type { Context, Next } from 'koa';
import type Router from '@koa/router';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one origin (its own registry, so several apps in one process — tests — do not
 * clash). Requests are labelled with the matched route pattern, never the raw URL (which would give
 * one series per segment file).
 */

export interface Metrics {
  registry: Registry;
  /** Koa middleware: counts requests by route and status; times playlist answers. */
  middleware: (ctx: Context, next: Next) => Promise<void>;
  /**
   * Counts one answered request by method, route pattern (a bounded set: never a raw URL) and status;
   * times 200 playlist answers. The middleware calls it, and so does the lean hot path (http/hot-path.ts).
   */
  record(method: string, route: string, status: number, seconds: number): void;
  /** `record` for one label set, resolved once (the hot path keeps one per route it answers). */
  recorder(method: string, route: string, status: number): (seconds: number) => void;
  observeBuild(channelId: string, seconds: number): void;
  /** One channel-day of a guide (xmltv, json) was rendered (not served from the rendered-day cache). */
  countGuideRender(kind: string): void;
  /** A scheduled (nightly or catch-up) publish of a channel succeeded at `atMs`. */
  recordScheduledPublish(channelId: string, job: string, atMs: number): void;
  /** Reads the rendered-playlist cache's size at scrape time. */
  setPlaylistCacheSource(read: () => { entries: number; bytes: number }): void;
  /** Reads the packaging queue depth at scrape time. */
  setQueueDepthSource(read: () => { queued: number; running: number }): void;
}

/** The label for a request: the router's pattern, or the static tree it fell into. */
function routeLabel(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (ctx.path.startsWith('/media/')) return '/media/*';
  if (ctx.path === '/tv' || ctx.path.startsWith('/tv/')) return '/tv/*';
  return 'unmatched';
}

function playlistKind(route: string): string | undefined {
  if (!route.endsWith('.m3u8')) return undefined;
  if (route.startsWith('/live/')) return 'live';
  if (route.startsWith('/vod/')) return 'vod';
  return 'other';
}

/** Gauges read at scrape time from sources the app sets later (playlist cache, packaging queue). */
function registerSourceGauges(registry: Registry): Pick<Metrics, 'setPlaylistCacheSource' | 'setQueueDepthSource'> {
  let readCache: () => { entries: number; bytes: number } = () => ({ entries: 0, bytes: 0 });
  new Gauge({
    name: 'aerial_live_playlist_cache_entries',
    help: 'Rendered live and master playlists held until their next segment boundary',
    registers: [registry],
    collect() {
      this.set(readCache().entries);
    },
  });
  new Gauge({
    name: 'aerial_live_playlist_cache_bytes',
    help: 'Bytes the rendered-playlist cache accounts for (bodies and their gzip), bounded',
    registers: [registry],
    collect() {
      this.set(readCache().bytes);
    },
  });
  let readDepth: () => { queued: number; running: number } = () => ({ queued: 0, running: 0 });
  new Gauge({
    name: 'aerial_packaging_queue_depth',
    help: 'Packaging jobs waiting or running',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const depth = readDepth();
      this.set({ state: 'queued' }, depth.queued);
      this.set({ state: 'running' }, depth.running);
    },
  });
  return {
    setPlaylistCacheSource(read) {
      readCache = read;
    },
    setQueueDepthSource(read) {
      readDepth = read;
    },
  };
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'aerial_' });
  const requestCounter = registerRequestCounter(registry);
  const observePlaylist = registerPlaylistSeconds(registry);
  const buildSeconds = new Histogram({
    name: 'aerial_schedule_build_seconds',
    help: 'Time to build one channel-day (previews, publishes, suspension switches, scheduled jobs)',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const lastPublish = new Gauge({
    name: 'aerial_schedule_last_success_timestamp_seconds',
    help: 'When the scheduled publish of a channel last succeeded (epoch seconds), by job (nightly, catch-up)',
    labelNames: ['channel', 'job'] as const,
    registers: [registry],
  });
  const guideRenders = new Counter({
    name: 'aerial_guide_day_renders_total',
    help: 'Channel-days of guides rendered (the rest are served from the rendered-day cache), by guide kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  registerEventLoopLag(registry);
  const sources = registerSourceGauges(registry);

  const recorders = new Map<string, (seconds: number) => void>();
  function recorder(method: string, route: string, status: number): (seconds: number) => void {
    const key = `${method} ${status} ${route}`;
    let found = recorders.get(key);
    if (!found) {
      const count = requestCounter(method, route, status);
      const kind = playlistKind(route);
      const observe = kind && status === 200 ? observePlaylist(kind) : undefined;
      found = observe
        ? (seconds) => {
            count.n++;
            observe(seconds);
          }
        : () => {
            count.n++;
          };
      recorders.set(key, found);
    }
    return found;
  }
  const record = (method: string, route: string, status: number, seconds: number) =>
    recorder(method, route, status)(seconds);

  return {
    registry,
    record,
    recorder,
    async middleware(ctx, next) {
      const started = process.hrtime.bigint();
      try {
        await next();
      } finally {
        record(ctx.method, routeLabel(ctx), ctx.status, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
    countGuideRender: (kind) => guideRenders.inc({ kind }),
    observeBuild(channelId, seconds) {
      buildSeconds.observe({ channel: channelId }, seconds);
    },
    recordScheduledPublish(channelId, job, atMs) {
      lastPublish.set({ channel: channelId, job }, Math.floor(atMs / 1000));
    },
    setPlaylistCacheSource: sources.setPlaylistCacheSource,
    setQueueDepthSource: sources.setQueueDepthSource,
  };
}

/**
 * aerial_http_requests_total{method, route, status}. A request adds one to a plain number (the hot path
 * answers thousands a second: prom-client's per-call label hashing would be most of its metrics cost); the
 * counter takes the increments since the previous scrape when it is collected. The label sets are bounded
 * (HTTP methods, route patterns, statuses), and so is the map.
 */
function registerRequestCounter(registry: Registry): (method: string, route: string, status: number) => { n: number } {
  const pending = new Map<string, { labels: { method: string; route: string; status: string }; n: number }>();
  new Counter({
    name: 'aerial_http_requests_total',
    help: 'HTTP requests by method, matched route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      for (const entry of pending.values()) {
        if (entry.n === 0) continue;
        this.inc(entry.labels, entry.n);
        entry.n = 0;
      }
    },
  });
  return (method, route, status) => {
    const key = `${method} ${status} ${route}`;
    let entry = pending.get(key);
    if (!entry) pending.set(key, (entry = { labels: { method, route, status: String(status) }, n: 0 }));
    return entry;
  };
}

const PLAYLIST_SECONDS = 'aerial_playlist_render_seconds';
const PLAYLIST_SECONDS_HELP = 'Time to answer a playlist request (render from the published days and the clock)';
const PLAYLIST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * aerial_playlist_render_seconds{kind}: a Prometheus histogram (buckets, sum, count) kept in plain numbers
 * per kind (live, vod, other) and handed to the registry in prom-client's format when it is scraped, so an
 * observation is a bucket search and three additions (prom-client's Histogram hashes the labels and makes
 * a closure per call).
 */
function registerPlaylistSeconds(registry: Registry): (kind: string) => (seconds: number) => void {
  const kinds = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const stateOf = (kind: string) => {
    let state = kinds.get(kind);
    if (!state) kinds.set(kind, (state = { buckets: PLAYLIST_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    return state;
  };
  const metric = {
    name: PLAYLIST_SECONDS,
    help: PLAYLIST_SECONDS_HELP,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const [kind, state] of kinds) {
        let cumulative = 0;
        PLAYLIST_BUCKETS.forEach((le, i) => {
          cumulative += state.buckets[i]!;
          values.push({ labels: { le, kind }, value: cumulative, metricName: `${PLAYLIST_SECONDS}_bucket` });
        });
        values.push({ labels: { le: '+Inf', kind }, value: state.count, metricName: `${PLAYLIST_SECONDS}_bucket` });
        values.push({ labels: { kind }, value: state.sum, metricName: `${PLAYLIST_SECONDS}_sum` });
        values.push({ labels: { kind }, value: state.count, metricName: `${PLAYLIST_SECONDS}_count` });
      }
      return Promise.resolve({ name: PLAYLIST_SECONDS, help: PLAYLIST_SECONDS_HELP, type: 'histogram', values });
    },
    reset() {
      for (const state of kinds.values()) {
        state.buckets.fill(0);
        state.sum = 0;
        state.count = 0;
      }
    },
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return (kind) => {
    const state = stateOf(kind);
    return (seconds) => {
      for (let i = 0; i < PLAYLIST_BUCKETS.length; i++) {
        if (seconds <= PLAYLIST_BUCKETS[i]!) {
          state.buckets[i]!++;
          break;
        }
      }
      state.sum += seconds;
      state.count++;
    };
  };
}

/** Resolution of the event-loop delay sampler (ms): finer costs a timer wake-up per interval. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * aerial_event_loop_lag_seconds{quantile="0.5"|"0.99"|"max"}: how late the event loop ran its timers since
 * the previous scrape (perf_hooks.monitorEventLoopDelay; the sampler is reset at each scrape). A p99 above
 * 0.05 means some request held the loop longer than the origin allows (issue 14).
 */
function registerEventLoopLag(registry: Registry): void {
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  delay.enable();
  new Gauge({
    name: 'aerial_event_loop_lag_seconds',
    help: 'Event-loop delay since the previous scrape (p50, p99, max), seconds',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      // The sampler reports the whole timer period; the lag is what exceeds the resolution.
      const lag = (ns: number) => Math.max(0, ns / 1e9 - EVENT_LOOP_RESOLUTION_MS / 1000);
      const seen = delay.count > 0;
      this.set({ quantile: '0.5' }, seen ? lag(delay.percentile(50)) : 0);
      this.set({ quantile: '0.99' }, seen ? lag(delay.percentile(99)) : 0);
      this.set({ quantile: 'max' }, seen ? lag(delay.max) : 0);
      delay.reset();
    },
  });
}

/** GET /metrics: the Prometheus text of `metrics`, never cached (the control plane's and an edge's alike). */
export function registerMetricsRoute(router: Router, metrics: Metrics): void {
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
