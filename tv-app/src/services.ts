/**
 * The app's long-lived, non-visual parts, created once: the API client, persisted state, the player and
 * the loaded guide. Big data (the guide) lives here rather than in Blits' reactive state, which would
 * wrap every programme in a proxy; pages re-read it when onGuide() tells them it changed.
 *
 * The guide is fetched page by page (guide/guide-pages.ts) around where the viewer looks: pages call
 * wantGuideAround() with now (Live) or the focused programme's start (Guide), and one request at a time
 * fetches what is missing there, nearest first. The first request (the channels, then the page of now)
 * goes out before the renderer boots.
 */
import { ApiClient, type ChannelJson, type GuideProgramme } from './api/client.ts';
import { backoffDelay } from './api/backoff.ts';
import { GUIDE_PAGE_MS, GuidePages, pageStartOf } from './guide/guide-pages.ts';
import { PersistedState } from './state/persisted.ts';
import { player } from './player/player-manager.ts';
import { DEFAULT_KEY_MAP, type KeyMap } from './keys/key-map.ts';
import { clock } from './clock.ts';

/**
 * Channels and the guide pages that reach past now are fetched again this often (days are published nightly,
 * republished on suspensions).
 */
const GUIDE_REFRESH_MS = 15 * 60_000;
/** How often the services look for a page to fetch (now moving into the next page, stale pages). */
const GUIDE_TICK_MS = 60_000;
const REQUEST = { attempts: 2, timeoutMs: 8_000 };

type Listener = () => void;

/** The guide pages the offline cache keeps: the page of now and the next. */
function offlinePages(nowMs: number): number[] {
  const nowPage = pageStartOf(nowMs);
  return [nowPage, nowPage + GUIDE_PAGE_MS];
}

class Services {
  api = new ApiClient(location.origin);
  persisted = new PersistedState();
  player = player;
  readonly pages = new GuidePages();
  /** The channel last tuned on Live: the guide opens on its row, Back from the guide returns to it. */
  lastChannelId: string | undefined;
  keyMap: KeyMap = DEFAULT_KEY_MAP;

  private channelList: ChannelJson[] = [];
  private channelsLoadedAtMs = Number.NEGATIVE_INFINITY;
  /** Where the viewer looks: the guide pages around it are fetched first. */
  private centerMs = clock.nowMs();
  /** An instant whose page is wanted too (Live: where the tuned channel's next programme starts). */
  private alsoMs: number | undefined;
  private online: boolean | undefined;
  private onlineListeners = new Set<(online: boolean) => void>();
  private guideListeners = new Set<Listener>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempt = 0;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  /** The running fetch loop, if any: one request at a time, so a slow origin is never asked twice. */
  private syncing: Promise<void> | undefined;
  private cacheRestored = false;

  configure(apiBaseUrl: string, keyMap: KeyMap): void {
    this.api = new ApiClient(apiBaseUrl);
    this.keyMap = keyMap;
  }

  onOnlineChange(listener: (online: boolean) => void): () => void {
    this.onlineListeners.add(listener);
    return () => this.onlineListeners.delete(listener);
  }

  onGuide(listener: Listener): () => void {
    this.guideListeners.add(listener);
    return () => this.guideListeners.delete(listener);
  }

  /** Whether a guide (fetched or from the offline cache) is there to show. */
  get hasGuide(): boolean {
    return this.channelList.length > 0;
  }

  /** Shows the cached guide at once, if any, and starts fetching; index.ts calls it before the renderer boots. */
  prefetch(): void {
    this.restoreCache();
    void this.sync();
  }

  /** Everything prefetch() does, plus the periodic look for pages to fetch. */
  start(): void {
    this.prefetch();
    clearInterval(this.tickTimer);
    this.tickTimer = setInterval(() => void this.sync(), GUIDE_TICK_MS);
  }

  /**
   * The viewer looks at `ms` (Live: now; Guide: the focused programme): fetch the pages around it if they are
   * missing, and the page of `alsoMs` (Live: where the next programme starts, when it is farther away).
   */
  wantGuideAround(ms: number, alsoMs?: number): void {
    this.centerMs = ms;
    this.alsoMs = alsoMs;
    if (this.pages.missingAround(ms, clock.nowMs(), alsoMs).length > 0) void this.sync();
  }

  /** Where a channel's next programme starts when its page is not loaded yet (see GuidePages.nextStartToLoad). */
  nextStartToLoad(channelId: string): number | undefined {
    return this.pages.nextStartToLoad(channelId, clock.nowMs());
  }

  /** Any successful request elsewhere (e.g. notices) ends the offline state; a failed one starts it. */
  reportReachable(reachable: boolean): void {
    if (reachable) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      this.reconnectAttempt = 0;
      this.setOnline(true);
      void this.sync();
    } else {
      this.setOnline(false);
      this.scheduleReconnect();
    }
  }

  channels(): ChannelJson[] {
    return this.channelList;
  }

  programmesOf(channelId: string): GuideProgramme[] {
    return this.pages.programmesOf(channelId);
  }

  private restoreCache(): void {
    if (this.cacheRestored) return;
    this.cacheRestored = true;
    const cached = this.api.cachedGuide();
    if (!cached) return;
    this.channelList = cached.channels;
    // Cached pages count as stale: the first fetch replaces them.
    for (const page of cached.pages) this.pages.put({ ...page, loadedAtMs: Number.NEGATIVE_INFINITY });
    this.pages.evict(this.centerMs, clock.nowMs());
    this.emitGuide();
  }

  /** Fetches, one request at a time, the channels when due and the pages wanted or stale, until none is left. */
  private sync(): Promise<void> {
    this.syncing ??= this.fetchDue().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async fetchDue(): Promise<void> {
    if (this.reconnectTimer !== undefined) return;
    try {
      for (;;) {
        const now = clock.nowMs();
        if (now - this.channelsLoadedAtMs >= GUIDE_REFRESH_MS) {
          this.channelList = (await this.api.channels(REQUEST)).channels;
          this.channelsLoadedAtMs = clock.nowMs();
          this.fetched();
          continue;
        }
        this.pages.evict(this.centerMs, now, GUIDE_REFRESH_MS);
        const startMs =
          this.pages.missingAround(this.centerMs, now, this.alsoMs)[0] ??
          this.pages.stale(this.centerMs, now, GUIDE_REFRESH_MS)[0];
        if (startMs === undefined) return;
        const guide = await this.api.guide(startMs, startMs + GUIDE_PAGE_MS, REQUEST);
        this.pages.put({ startMs, guide, loadedAtMs: clock.nowMs() });
        this.pages.evict(this.centerMs, clock.nowMs(), GUIDE_REFRESH_MS);
        this.fetched();
        // Only a page the offline cache keeps is worth writing it again (a dense page is megabytes of JSON).
        if (offlinePages(clock.nowMs()).includes(startMs)) this.saveCache();
      }
    } catch {
      this.setOnline(false);
      this.scheduleReconnect();
    }
  }

  private fetched(): void {
    this.reconnectAttempt = 0;
    this.setOnline(true);
    this.emitGuide();
  }

  /** Keeps the channels and the pages of now and the next hours for the next time the origin is unreachable. */
  private saveCache(): void {
    const keep = offlinePages(clock.nowMs());
    this.api.saveGuide({
      channels: this.channelList,
      pages: this.pages.list().filter((p) => keep.includes(p.startMs)),
    });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    const delay = backoffDelay(this.reconnectAttempt++, 1_000, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.sync();
    }, delay);
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    for (const listener of this.onlineListeners) listener(online);
  }

  private emitGuide(): void {
    for (const listener of this.guideListeners) listener();
  }
}

export const services = new Services();
