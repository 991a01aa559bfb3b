/**
 * The one owner of playback: a full-screen <video> under the (transparent) Lightning canvas, driven by
 * hls.js, or natively where MSE is missing. Pages ask it to play a URL and to stop; it recovers what
 * hls.js can recover (network → startLoad, media → recoverMediaError) and reports what it cannot.
 * Leaving a screen calls stop(), which destroys hls.js and removes the <video>, so zapping does not grow memory.
 *
 * Subtitles: the stream's WebVTT tracks (EXT-X-MEDIA TYPE=SUBTITLES) become text tracks of the <video>. With
 * subtitles on, the track of the app language is selected (else Chinese, else the first), in mode 'hidden': its
 * cues load and become active with playback, but the browser does not draw them — the page draws the active
 * cue text (onCaption) with the app's own font above its overlays, because the <video> lies under the canvas
 * and a box's browser may have no CJK font for native cue rendering. With subtitles off no track is selected
 * (hls.js loads none) and onCaption('') clears the text. setSubtitles() applies a change to the current stream.
 */
import Hls, { ErrorDetails, ErrorTypes, Events, type ErrorData } from 'hls.js';
import { captionText, pickSubtitleTrack } from './subtitles.ts';

export interface SubtitleChoice {
  /** Subtitles shown at all (the persisted setting). */
  subtitles: boolean;
  /** Preferred caption language: the app language (BCP 47, e.g. 'zh'). Chinese is the fallback. */
  subtitleLanguage?: string;
}

export interface PlayOptions extends SubtitleChoice {
  /** Seconds into a VOD stream to start at (resume); ignored for live. */
  startPositionS?: number;
  live: boolean;
}

export interface PlayerListener {
  /** A fatal error that recovery could not fix: explain it on screen. */
  onFatalError?(reason: string): void;
  /** Recovery in progress (e.g. network retry): optional status line. */
  onRecovering?(reason: string): void;
  onPlaying?(): void;
  /** The caption text to show now ('' = none): changes as cues start and end, and when subtitles are toggled. */
  onCaption?(text: string): void;
}

/**
 * How a stream is played: hls.js over MSE, the device's own HLS, or not at all. Mirrored on the <video> as
 * `data-engine`.
 */
export type PlaybackEngine = 'hls.js' | 'native' | 'none';

/** Live back buffer and forward buffer bounds (seconds): the box has little memory. */
const BACK_BUFFER_S = 30;
const MAX_NETWORK_RECOVERIES = 6;
const MAX_MEDIA_RECOVERIES = 2;

class PlayerManager {
  private video: HTMLVideoElement | undefined;
  private hls: Hls | undefined;
  private listener: PlayerListener = {};
  private networkRecoveries = 0;
  private mediaRecoveries = 0;
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Incremented per play(): late callbacks of a previous stream are ignored. */
  private session = 0;
  private chosenEngine: PlaybackEngine = 'none';
  private subtitleChoice: SubtitleChoice = { subtitles: false };
  private shownCaption = '';

  constructor(private readonly host: HTMLElement = document.body) {}

  get element(): HTMLVideoElement | undefined {
    return this.video;
  }

  get currentTime(): number {
    return this.video?.currentTime ?? 0;
  }

  get duration(): number {
    const d = this.video?.duration ?? 0;
    return Number.isFinite(d) ? d : 0;
  }

  /** The engine the last play() chose. */
  get engine(): PlaybackEngine {
    return this.chosenEngine;
  }

  get active(): boolean {
    return this.video !== undefined;
  }

  /** The caption text on screen now ('' when subtitles are off or no cue is active). */
  get caption(): string {
    return this.shownCaption;
  }

  /**
   * Turns subtitles on or off (and picks the language) for the stream playing now; the next play() takes its
   * own options. Pages call it when the setting changes while a stream plays.
   */
  setSubtitles(choice: SubtitleChoice): void {
    this.subtitleChoice = { ...choice };
    this.applySubtitles();
  }

  play(url: string, options: PlayOptions, listener: PlayerListener = {}): void {
    this.stop();
    const session = ++this.session;
    this.listener = listener;
    this.networkRecoveries = 0;
    this.mediaRecoveries = 0;
    this.subtitleChoice = {
      subtitles: options.subtitles,
      ...(options.subtitleLanguage ? { subtitleLanguage: options.subtitleLanguage } : {}),
    };
    this.shownCaption = '';
    const video = this.createVideo();
    video.addEventListener('playing', () => session === this.session && this.listener.onPlaying?.());
    this.watchTextTracks(video, session);

    this.chosenEngine = Hls.isSupported()
      ? 'hls.js'
      : video.canPlayType('application/vnd.apple.mpegurl')
        ? 'native'
        : 'none';
    video.dataset.engine = this.chosenEngine;
    if (this.chosenEngine === 'hls.js') {
      const hls = new Hls({
        backBufferLength: BACK_BUFFER_S,
        maxBufferLength: 30,
        maxMaxBufferLength: 60,
        liveSyncDurationCount: 3,
        startPosition: options.live ? -1 : (options.startPositionS ?? 0),
        enableWorker: true,
        lowLatencyMode: false,
      });
      this.hls = hls;
      // The page draws the cues: the selected track is 'hidden' (cues active, nothing drawn natively).
      hls.subtitleDisplay = false;
      // hls.js announces the tracks, then applies its own choice (none: no track is DEFAULT=YES); choose after it.
      hls.on(Events.SUBTITLE_TRACKS_UPDATED, () =>
        queueMicrotask(() => session === this.session && this.applySubtitles()),
      );
      hls.on(Events.ERROR, (_event, data) => session === this.session && this.handleError(data));
      hls.on(Events.FRAG_BUFFERED, () => {
        // A buffered fragment means recovery worked: later failures get a fresh budget.
        this.networkRecoveries = 0;
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      hls.on(Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
    } else if (this.chosenEngine === 'native') {
      video.src = url;
      if (!options.live && options.startPositionS) {
        video.addEventListener('loadedmetadata', () => (video.currentTime = options.startPositionS!), { once: true });
      }
      video.addEventListener(
        'error',
        () => session === this.session && this.listener.onFatalError?.(video.error?.message || 'media error'),
      );
      void video.play().catch(() => undefined);
    } else {
      this.listener.onFatalError?.('this device cannot play HLS');
    }
  }

  /** Selects the caption track the choice asks for (hls.js or the native player's text tracks), or none. */
  private applySubtitles(): void {
    const video = this.video;
    if (!video) return;
    const { subtitles, subtitleLanguage } = this.subtitleChoice;
    if (this.hls) {
      const index = subtitles
        ? pickSubtitleTrack(
            this.hls.subtitleTracks.map((t) => t.lang),
            subtitleLanguage,
          )
        : -1;
      if (this.hls.subtitleTrack !== index) this.hls.subtitleTrack = index;
      // hls.js turns a newly selected track to 'showing' when subtitleDisplay is on; keep it drawn by the page.
      this.hls.subtitleDisplay = false;
    } else {
      const tracks = [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
      const index = subtitles
        ? pickSubtitleTrack(
            tracks.map((t) => t.language),
            subtitleLanguage,
          )
        : -1;
      tracks.forEach((track, i) => {
        const mode: TextTrackMode = i === index ? 'hidden' : 'disabled';
        if (track.mode !== mode) track.mode = mode;
      });
    }
    this.updateCaption();
  }

  /** Follows the <video>'s text tracks: cues becoming active or inactive, tracks added or switched. */
  private watchTextTracks(video: HTMLVideoElement, session: number): void {
    const onCueChange = () => session === this.session && this.updateCaption();
    video.textTracks.addEventListener('addtrack', (event) => {
      (event as TrackEvent).track?.addEventListener('cuechange', onCueChange);
      if (session === this.session && !this.hls) this.applySubtitles();
    });
    video.textTracks.addEventListener('change', onCueChange);
  }

  private updateCaption(): void {
    const video = this.video;
    const text = video && this.subtitleChoice.subtitles ? captionText(video.textTracks) : '';
    if (text === this.shownCaption) return;
    this.shownCaption = text;
    this.listener.onCaption?.(text);
  }

  /** Destroys hls.js and removes the <video>: nothing of the stream stays in memory. */
  stop(): void {
    this.session++;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.hls?.destroy();
    this.hls = undefined;
    if (this.video) {
      this.video.pause();
      this.video.removeAttribute('src');
      this.video.load();
      this.video.remove();
      this.video = undefined;
    }
    if (this.shownCaption !== '') this.listener.onCaption?.('');
    this.shownCaption = '';
    this.listener = {};
  }

  private createVideo(): HTMLVideoElement {
    const video = document.createElement('video');
    video.setAttribute('playsinline', '');
    video.autoplay = true;
    video.style.cssText =
      'position:fixed;left:0;top:0;width:100vw;height:100vh;object-fit:contain;background:#000;z-index:0';
    this.host.insertBefore(video, this.host.firstChild);
    this.video = video;
    return video;
  }

  private handleError(data: ErrorData): void {
    const hls = this.hls;
    if (!hls || !data.fatal) return;
    // hls.js already retried by its own policy; a playlist the origin refuses (404: no such channel or
    // recording) will not come back by retrying for another half minute, so say so now.
    const status = data.response?.code ?? 0;
    const refused =
      status >= 400 &&
      status < 500 &&
      (data.details === ErrorDetails.MANIFEST_LOAD_ERROR || data.details === ErrorDetails.LEVEL_LOAD_ERROR);
    if (refused) {
      const listener = this.listener;
      this.stop();
      listener.onFatalError?.(`HTTP ${status} (${data.details})`);
      return;
    }
    if (data.type === ErrorTypes.NETWORK_ERROR && this.networkRecoveries < MAX_NETWORK_RECOVERIES) {
      const attempt = this.networkRecoveries++;
      this.listener.onRecovering?.(data.details);
      // Back off so a dead origin is not hammered; startLoad resumes from where loading stopped.
      this.recoveryTimer = setTimeout(() => this.hls === hls && hls.startLoad(), Math.min(8_000, 500 * 2 ** attempt));
      return;
    }
    if (data.type === ErrorTypes.MEDIA_ERROR && this.mediaRecoveries < MAX_MEDIA_RECOVERIES) {
      if (this.mediaRecoveries++ > 0) hls.swapAudioCodec();
      this.listener.onRecovering?.(data.details);
      hls.recoverMediaError();
      return;
    }
    const reason = `${data.type}: ${data.details}`;
    const listener = this.listener;
    this.stop();
    listener.onFatalError?.(reason);
  }
}

/** One player for the whole app. */
export const player = new PlayerManager();
