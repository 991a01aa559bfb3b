/**
 * The app's long-lived, non-visual parts, created once: the API client, persisted state, the player and
 * the loaded guide. Big data (the guide) lives here rather than in Blits' reactive state, which would
 * wrap every programme in a proxy; pages read it when `appState.guideVersion` changes.
 */
import { ApiClient, type CachedGuide, type ChannelJson, type GuideProgramme } from './api/client.ts';
import { backoffDelay } from './api/backoff.ts';
import { mergeSlateRuns } from './guide/time-grid.ts';
import { PersistedState } from './state/persisted.ts';
import { player } from './player/player-manager.ts';
import { DEFAULT_KEY_MAP, type KeyMap } from './keys/key-map.ts';

const HOUR_MS = 3_600_000;
/** The guide covers 24 h back (catch-up) and 3 days ahead (whatever is published of them). */
export const GUIDE_BACK_MS = 24 * HOUR_MS;
export const GUIDE_AHEAD_MS = 72 * HOUR_MS;
/**
 * The first request asks for a few hours around now only: that is what the guide and Live open on, and the
 * full span (4 days × every channel, over a megabyte of JSON) takes the origin and a slow box a second to
 * produce and parse. The full span is requested right after.
 */
const FIRST_BACK_MS = 2 * HOUR_MS;
const FIRST_AHEAD_MS = 4 * HOUR_MS;
/** A guide older than this is refreshed (new days are published nightly). */
const GUIDE_REFRESH_MS = 15 * 60_000;

export interface LoadedGuide {
  channels: ChannelJson[];
  /** Programmes per channel id, sorted by start. */
  programmes: Map<string, GuideProgramme[]>;
  savedAtMs: number;
  fromCache: boolean;
}

function toLoaded(cached: CachedGuide, fromCache: boolean): LoadedGuide {
  const programmes = new Map<string, GuideProgramme[]>();
  for (const row of cached.guide.channels) programmes.set(row.channelId, mergeSlateRuns([...row.programmes].sort((a, b) => a.startMs - b.startMs)));
  return { channels: cached.channels, programmes, savedAtMs: cached.savedAtMs, fromCache };
}

type Listener = () => void;

class Services {
  api = new ApiClient(location.origin);
  persisted = new PersistedState();
  player = player;
  guide: LoadedGuide | undefined;
  /** The channel last tuned on Live: the guide opens on its row, Back from the guide returns to it. */
  lastChannelId: string | undefined;
  private onlineListeners = new Set<(online: boolean) => void>();
  private guideListeners = new Set<Listener>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempt = 0;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  /** The first, short guide request, started by prefetch() while the renderer boots. */
  private firstLoad: Promise<CachedGuide> | undefined;

  keyMap: KeyMap = DEFAULT_KEY_MAP;

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

  /**
   * Starts the first (short) guide request; index.ts calls it before launching the renderer, start() awaits it.
   * Not when a guide is cached: that one is shown at once and the full span is requested.
   */
  prefetch(): void {
    if (this.firstLoad || this.api.hasCachedGuide()) return;
    const now = Date.now();
    this.firstLoad = this.api.loadGuide(now - FIRST_BACK_MS, now + FIRST_AHEAD_MS, now, { attempts: 2, timeoutMs: 6_000 });
    // Handled in start(); this only keeps an early failure from being reported as unhandled meanwhile.
    this.firstLoad.catch(() => undefined);
  }

  /** Loads the guide; on failure falls back to the cached one and retries with backoff until the origin answers. */
  async start(): Promise<void> {
    const cached = this.api.cachedGuide();
    if (cached && !this.guide) {
      this.guide = toLoaded(cached, true);
      this.emitGuide();
    } else {
      this.prefetch();
    }
    const first = this.firstLoad;
    this.firstLoad = undefined;
    // After a failed short load the reconnect timer retries with the full span.
    if (first === undefined || (await this.apply(first))) await this.refresh();
    clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => void this.refresh(), GUIDE_REFRESH_MS);
  }

  async refresh(): Promise<boolean> {
    const now = Date.now();
    return this.apply(this.api.loadGuide(now - GUIDE_BACK_MS, now + GUIDE_AHEAD_MS, now, { attempts: 2, timeoutMs: 6_000 }));
  }

  /** Takes a guide load's outcome: the guide on success, the offline state and retries on failure. */
  private async apply(load: Promise<CachedGuide>): Promise<boolean> {
    try {
      const fresh = await load;
      this.guide = toLoaded(fresh, false);
      this.reconnectAttempt = 0;
      this.emitOnline(true);
      this.emitGuide();
      return true;
    } catch {
      this.emitOnline(false);
      this.scheduleReconnect();
      return false;
    }
  }

  /** Any successful request elsewhere (e.g. notices) also ends the offline state quickly. */
  reportReachable(reachable: boolean): void {
    if (reachable && this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      void this.refresh();
    } else if (!reachable) {
      this.emitOnline(false);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    const delay = backoffDelay(this.reconnectAttempt++, 1_000, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.refresh();
    }, delay);
  }

  private emitOnline(online: boolean): void {
    for (const listener of this.onlineListeners) listener(online);
  }

  private emitGuide(): void {
    for (const listener of this.guideListeners) listener();
  }

  channels(): ChannelJson[] {
    return this.guide?.channels ?? [];
  }

  programmesOf(channelId: string): GuideProgramme[] {
    return this.guide?.programmes.get(channelId) ?? [];
  }
}

export const services = new Services();
