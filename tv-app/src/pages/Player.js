import Blits from '@lightningjs/blits'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { clock } from '../clock.ts'
import { t, clockDuration } from '../i18n/strings.ts'

/** How often the position of an on-demand lesson is saved for resume. */
const SAVE_EVERY_MS = 3000
const OVERLAY_MS = 5000

/** Full-screen playback of an on-demand lesson (resumable) or a catch-up airing. */
export default Blits.Component('Player', {
  components: { Spinner },
  template: `
    <Element w="1920" h="1080" :inspector-data="{testid: 'page-player'}">
      <Element :show="$overlay" x="96" y="820" w="1728" h="180" color="#0b1a2bdd" :inspector-data="{testid: 'player-overlay', shown: $overlay}">
        <Text :content="$heading" size="40" color="#ffffff" x="36" y="24" maxwidth="1400" maxlines="1" :inspector-data="{testid: 'player-title'}" />
        <Text :content="$positionText" size="30" color="#a9bdd3" x="1420" y="30" :inspector-data="{testid: 'player-position'}" />
        <Element x="36" y="110" w="1656" h="10" color="#2b4a6b">
          <Element :w="1656 * $progress" h="10" color="#f5b301" />
        </Element>
      </Element>
      <Element :show="$captionShown" x="960" :y="$captionY" :w="$captionW" :h="$captionH" mount="{x: 0.5}" color="#000000b0" :inspector-data="{testid: 'subtitle', shown: $captionShown}" />
      <Text :content="$caption" size="44" color="#ffffff" x="200" :y="$captionY + 16" maxwidth="1520" maxlines="2" align="center" @loaded="$captionLoaded" :inspector-data="{testid: 'subtitle-text'}" />
      <Spinner :visible="$waiting" x="96" y="80" :label="$loadingLabel" />
      <Element :show="$error !== ''" x="96" y="400" w="1728" h="200" color="#5a1010ee" :inspector-data="{testid: 'player-error', shown: $error !== ''}">
        <Text :content="$error" size="36" color="#ffffff" x="40" y="40" maxwidth="1640" maxlines="3" />
      </Element>
    </Element>
  `,
  props: ['url', 'heading', 'lessonId'],
  state() {
    return {
      overlay: true,
      waiting: true,
      error: '',
      positionText: '',
      progress: 0,
      caption: '',
      captionSize: { w: 0, h: 0 },
      overlayTimer: 0,
    }
  },
  computed: {
    /**
     * The band behind the caption: shown while there is a caption, sized to its drawn text (the text itself is always
     * mounted, so it renders).
     */
    captionShown() {
      return this.caption !== '' && this.captionSize.w > 0
    },
    captionY() {
      return this.overlay ? 660 : 880
    },
    captionW() {
      return this.captionSize.w + 80
    },
    captionH() {
      return this.captionSize.h + 32
    },
    loadingLabel() {
      return t('loading', this.$appState.language)
    },
  },
  hooks: {
    ready() {
      const startPositionS = this.lessonId ? services.persisted.resumePosition(this.lessonId) : 0
      services.player.play(
        this.url,
        { live: false, startPositionS, subtitles: this.$appState.subtitles, subtitleLanguage: this.$appState.language },
        {
          onCaption: (text) => (this.caption = text),
          onPlaying: () => (this.waiting = false),
          onFatalError: (reason) => {
            this.waiting = false
            this.error = t('playbackError', this.$appState.language, { reason })
          },
        },
      )
      this.showOverlay()
      this.$setInterval(() => this.tick(), 500)
      this.$setInterval(() => this.saveResume(), SAVE_EVERY_MS)
    },
    destroy() {
      this.saveResume()
      services.player.stop()
    },
  },
  methods: {
    /** The caption band shows once its text is drawn, sized to it. */
    /** @param {{ w: number, h: number }} dimensions */
    captionLoaded(dimensions) {
      this.captionSize = { w: dimensions.w, h: dimensions.h }
    },
    tick() {
      const position = services.player.currentTime
      const duration = services.player.duration
      this.positionText = clockDuration(position) + (duration > 0 ? ' / ' + clockDuration(duration) : '')
      this.progress = duration > 0 ? Math.min(1, position / duration) : 0
    },
    saveResume() {
      if (!this.lessonId || !services.player.active) return
      services.persisted.saveResumePosition(
        this.lessonId,
        services.player.currentTime,
        services.player.duration,
        clock.nowMs(),
      )
    },
    showOverlay() {
      this.overlay = true
      this.$clearTimeout(this.overlayTimer)
      this.overlayTimer = this.$setTimeout(() => (this.overlay = false), OVERLAY_MS)
    },
    /** @param {number} seconds */
    seekBy(seconds) {
      const video = services.player.element
      if (!video) return
      video.currentTime = Math.max(0, Math.min(services.player.duration || Infinity, video.currentTime + seconds))
      this.showOverlay()
    },
  },
  input: {
    enter() {
      const video = services.player.element
      if (video?.paused) void video.play()
      else video?.pause()
      this.showOverlay()
    },
    left() {
      this.seekBy(-10)
    },
    right() {
      this.seekBy(10)
    },
    back() {
      this.saveResume()
      services.player.stop()
      this.$router.back()
    },
  },
})
