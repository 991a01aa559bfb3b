import Blits from '@lightningjs/blits'
import GuideGrid from '../components/GuideGrid.js'
import NavBar from '../components/NavBar.js'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { clock } from '../clock.ts'
import { GUIDE } from '../theme.ts'
import { t } from '../i18n/strings.ts'
import { DETAILS_SETTLE_MS, GuideView, NO_DETAILS } from '../guide/guide-view.ts'
import { navigateToTab, navTabs } from './tabs.js'
/** @import { CellNode, FocusRing, MarkerNode, MoveOutcome, ProgrammeDetails, RowNode } from '../guide/guide-view.ts' */

/** How often the airing states and the now line follow the clock. */
const TICK_MS = 30000

/**
 * Lists are compared by content so an unchanged list is not re-assigned (which would re-evaluate every binding of
 * every item).
 * @param {readonly object[]} current
 * @param {readonly object[]} next
 */
function sameContent(current, next) {
  return current.length === next.length && JSON.stringify(current) === JSON.stringify(next)
}

/**
 * @param {FocusRing} a
 * @param {FocusRing} b
 */
function sameRing(a, b) {
  return a.shown === b.shown && a.x === b.x && a.y === b.y && a.w === b.w
}

/** The programme guide: channels × time, focus moving programme by programme. */
export default Blits.Component('Guide', {
  components: { GuideGrid, NavBar, Spinner },
  template: `
    <Element :inspector-data="{testid: 'page-guide'}">
      <NavBar :tabs="$tabs" />
      <Element x="96" y="150" w="1728" h="200" color="#13283f" :inspector-data="{testid: 'guide-details'}">
        <Text :content="$details.title" size="40" color="#ffffff" x="30" y="22" maxwidth="1660" maxlines="1" :inspector-data="{testid: 'guide-details-title'}" />
        <Text :content="$details.when" size="30" color="#f5b301" x="30" y="84" />
        <Text :content="$details.unit" size="28" color="#a9bdd3" x="30" y="134" maxwidth="1660" maxlines="1" />
      </Element>
      <GuideGrid
        x="96"
        y="380"
        :markers="$markers"
        :rows="$rows"
        :cells="$cells"
        :areaX="$areaX"
        :areaW="$areaW"
        :stripX="$stripX"
        :nowX="$nowX"
        :gridHeight="$gridHeight"
        :focusRow="$focusRow"
        :focusCell="$focusCell"
        :focus="$focusRing"
      />
      <Spinner :visible="$empty" x="96" y="480" :label="$loadingLabel" />
      <Element :show="$detailsOpen" x="360" y="428" w="1200" h="420" color="#13283ff5" :inspector-data="{testid: 'programme-details', shown: $detailsOpen}">
        <Text :content="$opened.state" size="30" color="#f5b301" x="40" y="36" />
        <Text :content="$opened.title" size="44" color="#ffffff" x="40" y="96" maxwidth="1120" maxlines="2" />
        <Text :content="$opened.when" size="32" color="#ffffff" x="40" y="230" />
        <Text :content="$opened.unit" size="30" color="#a9bdd3" x="40" y="290" maxwidth="1120" maxlines="1" />
      </Element>
    </Element>
  `,
  state() {
    return {
      /** Focused NavBar tab, −1 while the grid has the focus. */
      navFocus: -1,
      /**
       * Focus, window and layout of the grid (guide/guide-view.ts). A class instance, which Blits' reactivity leaves
       * as it is (only plain objects and arrays become reactive).
       */
      view: new GuideView(services, clock.nowMs()),
      markers: /** @type {MarkerNode[]} */ ([]),
      rows: /** @type {RowNode[]} */ ([]),
      cells: /** @type {CellNode[]} */ ([]),
      /** Key of the focused row and cell ('' while the tabs have focus), and where the focus ring is. */
      focusRow: '',
      focusCell: '',
      focusRing: /** @type {FocusRing} */ ({ shown: false, x: 0, y: 0, w: 0 }),
      /** The programme area (a clipped viewport) and the time strip's offset under it (see guide/time-grid.ts). */
      areaX: GUIDE.channelColumnW,
      areaW: GUIDE.programmeAreaW,
      stripX: 0,
      /** Strip x of "now", null when now is outside the window. */
      nowX: /** @type {number | null} */ (null),
      gridHeight: 0,
      empty: true,
      detailsOpen: false,
      details: /** @type {ProgrammeDetails} */ ({ ...NO_DETAILS }),
      /**
       * What the details overlay shows: copied from `details` when it opens, so moving focus does not re-rasterise its
       * hidden texts.
       */
      opened: /** @type {ProgrammeDetails} */ ({ ...NO_DETAILS }),
      /** Whether the details panel has shown its first programme (later ones wait for the focus to rest). */
      detailsShown: false,
      /** Whether the first programmes were drawn (marked for bench/tv-app.bench.ts). */
      paintMarked: false,
      titlesTimer: 0,
      detailsTimer: 0,
      unsubscribeGuide: /** @type {(() => void) | undefined} */ (undefined),
    }
  },
  computed: {
    tabs() {
      return navTabs(this.$appState.language, 1, this.navFocus)
    },
    loadingLabel() {
      return t(this.$appState.offline ? 'offlineNoCache' : 'loading', this.$appState.language)
    },
  },
  watch: {
    '$appState.language'() {
      this.layout()
    },
  },
  hooks: {
    ready() {
      // A plain listener, not a watch on appState: with Blits 1.27 a watch callback also re-ran when state it had
      // read changed (setting the focus inside a move re-ran it, re-finding the focus before the move finished).
      this.unsubscribeGuide = services.onGuide(() => this.applyMove(this.view.guideChanged(clock.monotonicMs())))
      this.layout()
      this.$setInterval(() => this.tick(), TICK_MS)
    },
    destroy() {
      this.unsubscribeGuide?.()
    },
  },
  methods: {
    tick() {
      this.view.setNow(clock.nowMs())
      this.layout()
    },
    /**
     * Acts on a move: lays the grid out again, or asks for the guide page a waiting move needs (guide pages
     * arriving call guideChanged(), which makes the move).
     * @param {MoveOutcome} outcome
     */
    applyMove(outcome) {
      if (outcome.wantGuideAroundMs !== undefined) services.wantGuideAround(outcome.wantGuideAroundMs)
      if (outcome.relayout) this.layout()
    },
    /** Recomputes the visible nodes from the focus and the window. */
    layout() {
      const frame = this.view.layout(this.$appState.language, this.navFocus < 0)
      if (!frame) {
        this.empty = true
        return
      }
      this.empty = frame.empty
      if (!sameContent(this.markers, frame.markers)) this.markers = frame.markers
      if (!sameContent(this.rows, frame.rows)) this.rows = frame.rows
      if (!sameContent(this.cells, frame.cells)) this.cells = frame.cells
      this.$clearTimeout(this.titlesTimer)
      if (frame.titlesDeferred) this.titlesTimer = this.$setTimeout(() => this.keyRested(), DETAILS_SETTLE_MS)
      this.focusRow = frame.focusRow
      this.focusCell = frame.focusCell
      if (!sameRing(this.focusRing, frame.focus)) this.focusRing = frame.focus
      this.stripX = frame.stripX
      if (frame.cells.length > 0 && !this.paintMarked) {
        this.paintMarked = true
        // User Timing mark after the frame that draws the first programmes (read by bench/tv-app.bench.ts).
        requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('aerial-guide-painted')))
      }
      this.gridHeight = frame.gridHeight
      this.nowX = frame.nowX
      // The guide pages around the focus (always inside the window) are fetched as it moves; guideChanged() takes
      // them in.
      services.wantGuideAround(frame.lookAtMs)
      this.scheduleDetails()
    },
    keyRested() {
      this.view.releaseHeldKey()
      this.layout()
    },
    /**
     * The details panel's texts are re-rasterised whenever they change; while a key is held they would change
     * on every repeat, so the panel follows the focus once it rests for a moment.
     */
    scheduleDetails() {
      this.$clearTimeout(this.detailsTimer)
      if (!this.detailsShown) {
        this.detailsShown = true
        this.updateDetails()
        return
      }
      this.detailsTimer = this.$setTimeout(() => this.updateDetails(), DETAILS_SETTLE_MS)
    },
    updateDetails() {
      this.details = this.view.details(this.$appState.language)
    },
    /** @param {number} step */
    moveProgramme(step) {
      this.applyMove(this.view.moveProgramme(step, clock.monotonicMs()))
    },
    /** @param {number} step */
    moveTab(step) {
      this.navFocus = Math.max(0, Math.min(3, this.navFocus + step))
    },
    /** @param {number} step */
    horizontal(step) {
      if (this.navFocus >= 0) this.moveTab(step)
      else this.moveProgramme(step)
    },
    /** Up from the first row moves the focus to the tabs. */
    focusUp() {
      if (this.detailsOpen || this.navFocus >= 0) return
      if (this.view.moveRow(-1)) return this.layout()
      this.navFocus = 1
      this.layout()
    },
    /** Down from the tabs moves the focus back to the grid. */
    focusDown() {
      if (this.navFocus < 0) return this.view.moveRow(1) && this.layout()
      this.navFocus = -1
      this.layout()
    },
    pressOk() {
      if (this.navFocus >= 0) return navigateToTab(this, this.navFocus)
      if (this.detailsOpen) return this.closeDetails()
      this.selectFocused()
    },
    goBack() {
      if (this.detailsOpen) return this.closeDetails()
      this.$router.to(services.lastChannelId ? '/live/' + services.lastChannelId : '/')
    },
    closeDetails() {
      this.detailsOpen = false
    },
    selectFocused() {
      const lang = this.$appState.language
      const selection = this.view.select(clock.nowMs(), lang)
      if (!selection) return
      if (selection.kind === 'live') return this.$router.to('/live/' + selection.channelId)
      if (selection.kind === 'catch-up') {
        return this.$router.to('/play', { url: selection.url, heading: selection.heading, lessonId: '' })
      }
      this.$clearTimeout(this.detailsTimer)
      this.updateDetails()
      this.opened = { ...this.details }
      this.detailsOpen = true
    },
  },
  input: {
    left() {
      this.horizontal(-1)
    },
    right() {
      this.horizontal(1)
    },
    up() {
      this.focusUp()
    },
    down() {
      this.focusDown()
    },
    enter() {
      this.pressOk()
    },
    back() {
      this.goBack()
    },
  },
})
