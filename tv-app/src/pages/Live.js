import Blits from '@lightningjs/blits'
import InfoBanner from '../components/InfoBanner.js'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { clock } from '../clock.ts'
import { t, channelName, wallClockAt } from '../i18n/strings.ts'
import { nowNext, channelIndexForNumber, zapIndex } from '../live/now-next.ts'
import { digitHandlers } from '../keys/digit-input.js'

/** The info banner stays this long after a tune or OK. */
const BANNER_MS = 6000
/** Typed digits tune after this pause. */
const DIGIT_TIMEOUT_MS = 1500

/** Full-screen live TV: the video shows through the transparent canvas; only overlays are drawn here. */
export default Blits.Component('Live', {
  components: { InfoBanner, Spinner },
  template: `
    <Element :inspector-data="{testid: 'page-live'}">
      <InfoBanner
        :visible="$bannerVisible"
        :channelLabel="$channelLabel"
        :clock="$clock"
        :nowLabel="$labels.now"
        :nowTitle="$info.nowTitle"
        :nowTimes="$info.nowTimes"
        :nextLabel="$labels.next"
        :nextTitle="$info.nextTitle"
        :nextTimes="$info.nextTimes"
        :progress="$info.progress"
        :hint="$labels.hint"
      />
      <Element :show="$typed !== ''" x="1560" y="80" w="264" h="120" color="#0b1a2bdd" :inspector-data="{testid: 'digit-entry', shown: $typed !== ''}">
        <Text :content="$typed" size="80" color="#f5b301" x="30" y="12" />
      </Element>
      <Element :show="$captionShown" x="960" :y="$captionY" :w="$captionW" :h="$captionH" mount="{x: 0.5}" color="#000000b0" :inspector-data="{testid: 'subtitle', shown: $captionShown}" />
      <Text :content="$caption" size="44" color="#ffffff" x="200" :y="$captionY + 16" maxwidth="1520" maxlines="2" align="center" @loaded="$captionLoaded" :inspector-data="{testid: 'subtitle-text'}" />
      <Spinner :visible="$waiting" x="96" y="80" :label="$recovering ? $labels.reconnecting : $labels.loading" />
      <Element :show="$recovering" :inspector-data="{testid: 'player-recovering', shown: $recovering}" />
      <Element :show="$error !== ''" x="96" y="400" w="1728" h="200" color="#5a1010ee" :inspector-data="{testid: 'player-error', shown: $error !== ''}">
        <Text :content="$error" size="36" color="#ffffff" x="40" y="40" maxwidth="1640" maxlines="3" />
      </Element>
    </Element>
  `,
  props: ['channel'],
  state() {
    return {
      channelIndex: -1,
      channelLabel: '',
      bannerVisible: false,
      typed: '',
      waiting: true,
      /** hls.js lost the stream and the player is retrying (network backoff or media recovery). */
      recovering: false,
      error: '',
      /** Text of the active caption cue ('' = none, or subtitles off). */
      caption: '',
      /** Size of the drawn caption text (the band behind it follows it). */
      captionSize: { w: 0, h: 0 },
      clock: '',
      info: { nowTitle: '', nowTimes: '', nextTitle: '', nextTimes: '', progress: 0 },
      bannerTimer: 0,
      digitTimer: 0,
      unsubscribeGuide: /** @type {(() => void) | undefined} */ (undefined),
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
      return this.bannerVisible ? 540 : 880
    },
    captionW() {
      return this.captionSize.w + 80
    },
    captionH() {
      return this.captionSize.h + 32
    },
    labels() {
      const lang = this.$appState.language
      return {
        now: t('now', lang),
        next: t('next', lang),
        loading: t('loading', lang),
        reconnecting: t('reconnecting', lang),
        hint: t('liveHint', lang),
      }
    },
  },
  hooks: {
    ready() {
      this.unsubscribeGuide = services.onGuide(() => {
        if (this.channelIndex < 0) this.tuneInitial()
        else this.refreshInfo()
      })
      this.tuneInitial()
      this.$setInterval(() => this.refreshInfo(), 1000)
    },
    destroy() {
      this.unsubscribeGuide?.()
      services.player.stop()
    },
  },
  methods: {
    /** @param {{ w: number, h: number }} dimensions */
    captionLoaded(dimensions) {
      this.captionSize = { w: dimensions.w, h: dimensions.h }
    },
    tuneInitial() {
      const channels = services.channels()
      if (channels.length === 0) return
      let index = channels.findIndex((c) => c.id === this.channel)
      if (index < 0) index = channels.findIndex((c) => c.id === services.lastChannelId)
      if (index < 0 && this.$appState.myGrade)
        index = channels.findIndex((c) => c.grades.includes(this.$appState.myGrade))
      this.tune(Math.max(0, index))
    },
    /** @param {number} index */
    tune(index) {
      const channel = services.channels()[index]
      if (!channel) return
      this.channelIndex = index
      services.lastChannelId = channel.id
      this.channelLabel = channel.number + '  ' + channelName(channel.name, this.$appState.language)
      this.error = ''
      this.waiting = true
      this.recovering = false
      this.caption = ''
      services.player.play(
        channel.streamUrl,
        { live: true, subtitles: this.$appState.subtitles, subtitleLanguage: this.$appState.language },
        {
          onCaption: (text) => (this.caption = text),
          onPlaying: () => {
            this.waiting = false
            this.recovering = false
          },
          onRecovering: () => {
            this.waiting = true
            this.recovering = true
          },
          onFatalError: (reason) => {
            this.waiting = false
            this.recovering = false
            this.error = t('playbackError', this.$appState.language, { reason })
          },
        },
      )
      this.showBanner()
    },
    showBanner() {
      this.refreshInfo()
      this.bannerVisible = true
      this.$clearTimeout(this.bannerTimer)
      this.bannerTimer = this.$setTimeout(() => (this.bannerVisible = false), BANNER_MS)
    },
    refreshInfo() {
      const channel = services.channels()[this.channelIndex]
      if (!channel) return
      const now = clock.nowMs()
      // The pages around now, and the one where the next programme starts (after a night off air, hours away).
      services.wantGuideAround(now, services.nextStartToLoad(channel.id))
      this.clock = wallClockAt(now, channel.timezone)
      if (!this.bannerVisible && this.info.nowTitle !== '') return
      this.info = nowNext(services.programmesOf(channel.id), now, this.$appState.language)
    },
    /** @param {number} step */
    zap(step) {
      this.tune(zapIndex(this.channelIndex, step, services.channels().length))
    },
    /** @param {number} d */
    typeDigit(d) {
      if (this.typed.length >= 3) this.typed = ''
      this.typed = this.typed + d
      this.$clearTimeout(this.digitTimer)
      this.digitTimer = this.$setTimeout(() => {
        const index = channelIndexForNumber(services.channels(), this.typed)
        this.typed = ''
        if (index >= 0) this.tune(index)
      }, DIGIT_TIMEOUT_MS)
    },
  },
  input: {
    up() {
      this.zap(1)
    },
    channelUp() {
      this.zap(1)
    },
    down() {
      this.zap(-1)
    },
    channelDown() {
      this.zap(-1)
    },
    enter() {
      this.showBanner()
    },
    back() {
      // Stop now rather than when the router destroys the page after its transition.
      services.player.stop()
      this.$router.to('/guide')
    },
    ...digitHandlers(),
  },
})
