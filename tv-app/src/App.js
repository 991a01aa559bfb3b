import Blits from '@lightningjs/blits'
import symbols from '@lightningjs/blits/symbols'
import Live from './pages/Live.js'
import Guide from './pages/Guide.js'
import OnDemand from './pages/OnDemand.js'
import Settings from './pages/Settings.js'
import Player from './pages/Player.js'
import NoticeBanner from './components/NoticeBanner.js'
import OfflineBanner from './components/OfflineBanner.js'
import { services } from './services.ts'
import { noticeKey } from './state/persisted.ts'
import { t, title } from './i18n/strings.ts'
import { actionForCode } from './keys/key-map.ts'
import { showBackdrop } from './backdrop.ts'
/** @import { Backdrop } from './backdrop.ts' */
import { drawOnlyVisibleNodes } from './renderer-fixes.ts'

/**
 * Notices are polled this often (a tiny JSON body; it is also the origin heartbeat); a changed notice shows again even
 * if the previous one was dismissed.
 */
const NOTICE_POLL_MS = 10000

/**
 * Blits 1.27's types lack what its router runs and the app uses (src/router/router.js): the `beforeAll` hook, an
 * empty `transition` and extra route fields (`backdrop`, read in beforeAll). The config is typed here instead.
 * @typedef {{ path: string, component: unknown, backdrop: Backdrop, transition: {}, options?: { inHistory: boolean } }}
 *   AppRoute
 * @type {{ hooks: { beforeAll(to: AppRoute): void }, routes: AppRoute[] }}
 */
const router = {
  hooks: {
    // Each route says what is behind its page (see backdrop.ts). Pages switch at once (`transition: {}`): a
    // fade animates the router's page holder, an invisible node the renderer no longer draws or ticks
    // (see renderer-fixes.ts), and a cross-fade would draw two full pages per frame on a weak box GPU.
    beforeAll(to) {
      showBackdrop(to.backdrop)
    },
  },
  routes: [
    { path: '/', component: Live, backdrop: 'video', transition: {} },
    { path: '/live/:channel', component: Live, backdrop: 'video', transition: {} },
    { path: '/guide', component: Guide, backdrop: 'page', transition: {} },
    { path: '/ondemand', component: OnDemand, backdrop: 'page', transition: {} },
    { path: '/settings', component: Settings, backdrop: 'page', transition: {} },
    { path: '/play', component: Player, backdrop: 'video', transition: {}, options: { inHistory: false } },
  ],
}

export default Blits.Application({
  components: { NoticeBanner, OfflineBanner },
  template: `
    <Element w="1920" h="1080">
      <RouterView w="1920" h="1080" />
      <NoticeBanner
        :visible="$$appState.notice !== null"
        :heading="$noticeHeading"
        :text="$noticeText"
        :hint="$noticeHint"
      />
      <OfflineBanner :visible="$$appState.offline" :message="$offlineMessage" />
    </Element>
  `,
  router: /** @type {any} */ (router),
  computed: {
    noticeHeading() {
      return this.$appState.notice ? this.$appState.notice.title : ''
    },
    noticeText() {
      return this.$appState.notice ? this.$appState.notice.text : ''
    },
    noticeHint() {
      return t('noticeDismiss', this.$appState.language)
    },
    offlineMessage() {
      return t(this.$appState.hasCachedGuide ? 'offline' : 'offlineNoCache', this.$appState.language)
    },
  },
  hooks: {
    ready() {
      drawOnlyVisibleNodes(/** @type {any} */ (this)[symbols.renderer]().root)
      services.onOnlineChange((online) => {
        this.$appState.offline = !online
        this.$appState.hasCachedGuide = services.hasGuide
        if (online) void this.pollNotices()
      })
      services.onGuide(() => {
        this.$appState.hasCachedGuide = true
      })
      services.start()
      void this.pollNotices()
      this.$setInterval(() => void this.pollNotices(), NOTICE_POLL_MS)
    },
  },
  methods: {
    async pollNotices() {
      let notices
      try {
        notices = (await services.api.notices({ attempts: 1, timeoutMs: 5000 })).notices
      } catch {
        // The poll doubles as a heartbeat: the services show the offline state and retry with backoff.
        services.reportReachable(false)
        return
      }
      services.reportReachable(true)
      const active = notices[0]
      if (!active) {
        this.$appState.notice = null
        return
      }
      const key = noticeKey(active)
      if (services.persisted.dismissedNotice() === key) {
        this.$appState.notice = null
        return
      }
      if (this.$appState.notice && this.$appState.notice.key === key) return
      const lang = this.$appState.language
      this.$appState.notice = { key, title: t('noticeTitle', lang), text: title(active.text, lang) }
    },
  },
  input: {
    // The notice banner takes OK before any page: it must be acknowledged, and is never hidden by accident.
    intercept(e) {
      const notice = this.$appState.notice
      if (notice && actionForCode(services.keyMap, e.keyCode) === 'enter') {
        services.persisted.dismissNotice(notice.key)
        this.$appState.notice = null
        return
      }
      return e
    },
  },
})
