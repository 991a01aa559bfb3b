import Blits from '@lightningjs/blits'
import GuideGrid from '../components/GuideGrid.js'
import NavBar from '../components/NavBar.js'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { GUIDE_BACK_MS, GUIDE_AHEAD_MS } from '../guide/guide-pages.ts'
import { t, title, channelName, wallClock, wallClockAt, dateAt } from '../i18n/strings.ts'
import {
  stripCells,
  groupNarrowCells,
  stripX,
  halfHourMarkers,
  floorToHalfHour,
  programmeIndexAt,
  firstVisibleRow,
  windowStartFor,
  windowEndMs,
  focusTimeFor,
  airingState,
} from '../guide/time-grid.ts'
import { navigateToTab, navTabs } from './tabs.js'

const GRID_X = 96
const GRID_Y = 380
const CHANNEL_COLUMN_W = 312
const PROGRAMME_AREA_W = 1416
/** 90 minutes across the programme area. */
const PX_PER_MINUTE = PROGRAMME_AREA_W / 90
const ROW_H = 92
const VISIBLE_ROWS = 6
const MIN_TITLED_CELL_W = 76
/** Programmes narrower than this on the strip (under about a minute) are drawn as one block per run. */
const MIN_DRAWN_CELL_W = 16
/** Quiet time after a focus move before the details panel shows the focused programme (remote auto-repeat is ~30 Hz). */
const DETAILS_SETTLE_MS = 150
/** Moves closer together than this are a held key (remote auto-repeat): cells scrolled in get their titles once it rests. */
const HELD_KEY_MS = 120
/** Moves past the loaded guide pages wait for the page there; at most this many are kept. */
const MAX_PENDING_MOVES = 10

/** Lists are compared by content so an unchanged list is not re-assigned (which would re-evaluate every binding of every item). */
function sameContent(current, next) {
  return current.length === next.length && JSON.stringify(current) === JSON.stringify(next)
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
        :focus="$focus"
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
      navFocus: -1,
      rowFocus: 0,
      firstRow: 0,
      programmeFocus: 0,
      windowStartMs: 0,
      nowMs: Date.now(),
      markers: [],
      rows: [],
      cells: [],
      /** Key of the focused row and cell ('' while the tabs have focus), and where the focus ring is. */
      focusRow: '',
      focusCell: '',
      focus: { shown: false, x: 0, y: 0, w: 0 },
      /** The programme area (a clipped viewport) and the time strip's offset under it (see guide/time-grid.ts). */
      areaX: CHANNEL_COLUMN_W,
      areaW: PROGRAMME_AREA_W,
      stripX: 0,
      /** Strip x of "now", null when now is outside the window. */
      nowX: null,
      gridHeight: 0,
      empty: true,
      detailsOpen: false,
      details: { title: '', when: '', unit: '', state: '' },
      /** What the details overlay shows: copied from `details` when it opens, so moving focus does not re-rasterise its hidden texts. */
      opened: { title: '', when: '', unit: '', state: '' },
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
      this.initialised = false
      this.focusMoved = false
      // A plain listener, not a watch on appState: with Blits 1.27 a watch callback also re-ran when state it had
      // read changed (setting the focus inside a move re-ran it, re-finding the focus before the move finished).
      this.unsubscribeGuide = services.onGuide(() => this.guideChanged())
      this.layout()
      this.$setInterval(() => {
        this.nowMs = Date.now()
        this.layout()
      }, 30000)
    },
    destroy() {
      this.unsubscribeGuide && this.unsubscribeGuide()
    },
  },
  methods: {
    /**
     * A guide page arrived or was refreshed (see ready()). Programme indices shift, so the focus is found again by
     * the time of the programme that had it — or by now, until the viewer moves it (the page of now may come after others).
     */
    guideChanged() {
      const channel = this.channels()[this.rowFocus]
      if (this.initialised && channel) {
        this.programmeFocus = programmeIndexAt(
          services.programmesOf(channel.id),
          this.focusMoved ? (this.focusAtMs ?? this.nowMs) : this.nowMs,
        )
      }
      // A move that waited for this page goes as far as the programmes now loaded allow.
      const pending = this.pendingMove ?? 0
      const count = channel ? services.programmesOf(channel.id).length : 0
      const target = Math.max(0, Math.min(count - 1, this.programmeFocus + pending))
      if (pending !== 0 && target !== this.programmeFocus) {
        this.pendingMove = 0
        this.focusProgramme(target)
      } else {
        this.layout()
      }
    },
    channels() {
      return services.channels()
    },
    scale() {
      return { windowStartMs: this.windowStartMs, widthPx: PROGRAMME_AREA_W, pxPerMinute: PX_PER_MINUTE }
    },
    strip() {
      return { originMs: this.originMs, pxPerMinute: PX_PER_MINUTE }
    },
    initialFocus() {
      const channels = this.channels()
      if (channels.length === 0) return false
      const tuned = channels.findIndex((c) => c.id === services.lastChannelId)
      this.rowFocus = Math.max(0, tuned)
      this.firstRow = firstVisibleRow(this.rowFocus, 0, VISIBLE_ROWS, channels.length)
      this.windowStartMs = floorToHalfHour(this.nowMs)
      // Fixed while the guide is open: cells keep their strip positions whatever the window does.
      this.originMs = floorToHalfHour(this.nowMs - GUIDE_BACK_MS)
      this.programmeFocus = programmeIndexAt(services.programmesOf(channels[this.rowFocus].id), this.nowMs)
      this.initialised = true
      return true
    },
    focusedProgramme() {
      const channel = this.channels()[this.rowFocus]
      return channel ? services.programmesOf(channel.id)[this.programmeFocus] : undefined
    },
    /** Recomputes the visible nodes from the focus and the window. */
    layout() {
      const channels = this.channels()
      if (!this.initialised && !this.initialFocus()) {
        this.empty = true
        return
      }
      this.empty = channels.length === 0
      const lang = this.$appState.language
      const scale = this.scale()
      const strip = this.strip()
      const zone = channels[0] ? channels[0].timezone : 'Asia/Shanghai'
      const markers = halfHourMarkers(scale).map((ms) => ({
        key: 'm' + ms,
        x: stripX(ms, strip),
        label: wallClockAt(ms, zone),
      }))
      const last = Math.min(channels.length, this.firstRow + VISIBLE_ROWS)
      // While a key is held, cells scrolling in wait for their titles (rasterising text is most of what a scroll
      // costs a box); cells already shown keep theirs, so nothing on screen is re-rasterised either way.
      const shownTitles = this.holdingKey ? new Map(this.cells.map((c) => [c.key, c.title])) : undefined
      let titlesDeferred = false
      const titleOf = (key, full) => {
        if (!shownTitles) return full
        const shown = shownTitles.get(key) ?? ''
        if (shown !== full) titlesDeferred = true
        return shown
      }
      const rows = []
      const cells = []
      let focusRow = ''
      let focus = { shown: false, x: 0, y: 0, w: 0, key: '' }
      for (let r = this.firstRow; r < last; r++) {
        const channel = channels[r]
        const y = 48 + (r - this.firstRow) * ROW_H
        const focusedRow = r === this.rowFocus && this.navFocus < 0
        if (focusedRow) focusRow = channel.id
        rows.push({
          key: channel.id,
          y,
          number: String(channel.number),
          name: channelName(channel.name, lang),
        })
        const keep = focusedRow ? this.programmeFocus : -1
        for (const cell of groupNarrowCells(
          stripCells(services.programmesOf(channel.id), scale, strip),
          MIN_DRAWN_CELL_W,
          keep,
          (p) => airingState(p, this.nowMs),
        )) {
          const p = cell.programme
          const key = channel.id + (cell.count > 1 ? '/run/' : '/') + p.id
          const state = airingState(p, this.nowMs)
          const w = Math.max(2, cell.w - 4)
          if (focusedRow && cell.index === this.programmeFocus) focus = { shown: true, x: cell.x, y, w, key }
          cells.push({
            key,
            channel: channel.id,
            programme: p.id,
            state,
            x: cell.x,
            y,
            w,
            textWidth: Math.max(1, w - 24),
            // A cell narrower than about two characters shows no title (its details show when focused).
            count: cell.count,
            title: titleOf(key, w >= MIN_TITLED_CELL_W && cell.count === 1 ? title(p.title, lang) : ''),
            color: state === 'past' ? '#14253a' : state === 'airing' ? '#23507a' : '#1d3a5a',
            textColor: state === 'past' ? '#a9bdd3' : '#ffffff',
          })
        }
      }
      if (!sameContent(this.markers, markers)) this.markers = markers
      if (!sameContent(this.rows, rows)) this.rows = rows
      if (!sameContent(this.cells, cells)) this.cells = cells
      this.$clearTimeout(this.titlesTimer)
      if (titlesDeferred) {
        this.titlesTimer = this.$setTimeout(() => {
          this.holdingKey = false
          this.layout()
        }, DETAILS_SETTLE_MS)
      }
      this.focusRow = focusRow
      this.focusCell = focus.key
      if (
        this.focus.shown !== focus.shown ||
        this.focus.x !== focus.x ||
        this.focus.y !== focus.y ||
        this.focus.w !== focus.w
      ) {
        this.focus = { shown: focus.shown, x: focus.x, y: focus.y, w: focus.w }
      }
      this.stripX = -stripX(this.windowStartMs, strip)
      if (cells.length > 0 && !this.paintMarked) {
        this.paintMarked = true
        // User Timing mark after the frame that draws the first programmes (read by bench/tv-app.bench.ts).
        requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('aerial-guide-painted')))
      }
      this.gridHeight = (last - this.firstRow) * ROW_H
      this.nowX =
        this.nowMs >= this.windowStartMs && this.nowMs <= windowEndMs(scale) ? stripX(this.nowMs, strip) : null
      const focused = this.focusedProgramme()
      if (focused) this.focusAtMs = focused.startMs
      // The guide pages around the focus (always inside the window) are fetched as it moves; guideChanged() takes
      // them in. Before the first programme arrives the focus is now.
      services.wantGuideAround(focused ? focused.startMs : this.nowMs)
      this.scheduleDetails()
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
      const p = this.focusedProgramme()
      const channel = this.channels()[this.rowFocus]
      if (!p || !channel) {
        this.details = { title: '', when: '', unit: '', state: '' }
        return
      }
      const lang = this.$appState.language
      const state = airingState(p, this.nowMs)
      this.details = {
        title: title(p.title, lang),
        when:
          dateAt(p.startMs, channel.timezone) +
          '  ' +
          wallClock(p.start) +
          '–' +
          wallClock(p.end) +
          '   ' +
          channel.number +
          ' ' +
          channelName(channel.name, lang),
        unit: [p.subjectName ? title(p.subjectName, lang) : '', p.unit ? title(p.unit, lang) : '']
          .filter(Boolean)
          .join(' · '),
        state: t(state === 'past' ? 'catchUp' : state === 'airing' ? 'now' : 'upcoming', lang),
      }
    },
    /** Moves focus to programme `index` of the focused row, scrolling the window as needed. */
    focusProgramme(index) {
      const at = performance.now()
      this.holdingKey = at - (this.lastMoveAt ?? Number.NEGATIVE_INFINITY) < HELD_KEY_MS
      this.lastMoveAt = at
      const programmes = services.programmesOf(this.channels()[this.rowFocus].id)
      const earliest = this.nowMs - GUIDE_BACK_MS
      if (index < 0 || index >= programmes.length) {
        // Past the loaded pages: the move waits for the page there (if the guide reaches that far) instead of being lost.
        const edgeMs = index < 0 ? (programmes[0]?.startMs ?? this.nowMs) - 1 : (programmes.at(-1)?.endMs ?? this.nowMs)
        if (programmes.length > 0 && edgeMs > earliest && edgeMs < this.nowMs + GUIDE_AHEAD_MS) {
          this.pendingMove = Math.max(
            -MAX_PENDING_MOVES,
            Math.min(MAX_PENDING_MOVES, (this.pendingMove ?? 0) + (index < 0 ? -1 : 1)),
          )
          services.wantGuideAround(edgeMs)
        }
        return
      }
      const p = programmes[index]
      if (p.endMs <= earliest) return
      this.focusMoved = true
      this.programmeFocus = index
      const latestStart = floorToHalfHour(programmes[programmes.length - 1].endMs)
      this.windowStartMs = windowStartFor(p, this.scale(), earliest, latestStart)
      this.layout()
    },
    moveRow(step) {
      const channels = this.channels()
      const target = this.rowFocus + step
      if (target < 0 || target >= channels.length) return false
      const at = focusTimeFor(this.focusedProgramme(), this.scale())
      this.rowFocus = target
      this.focusMoved = true
      this.pendingMove = 0
      this.firstRow = firstVisibleRow(target, this.firstRow, VISIBLE_ROWS, channels.length)
      this.programmeFocus = programmeIndexAt(services.programmesOf(channels[target].id), at)
      this.layout()
      return true
    },
    selectFocused() {
      const p = this.focusedProgramme()
      const channel = this.channels()[this.rowFocus]
      if (!p || !channel) return
      const state = airingState(p, Date.now())
      if (state === 'airing') {
        this.$router.to('/live/' + channel.id)
      } else if (state === 'past') {
        this.$router.to('/play', { url: p.catchUpUrl, heading: title(p.title, this.$appState.language), lessonId: '' })
      } else {
        this.$clearTimeout(this.detailsTimer)
        this.updateDetails()
        this.opened = { ...this.details }
        this.detailsOpen = true
      }
    },
  },
  input: {
    left() {
      if (this.navFocus >= 0) return (this.navFocus = Math.max(0, this.navFocus - 1))
      this.focusProgramme(this.programmeFocus - 1)
    },
    right() {
      if (this.navFocus >= 0) return (this.navFocus = Math.min(3, this.navFocus + 1))
      this.focusProgramme(this.programmeFocus + 1)
    },
    up() {
      if (this.detailsOpen || this.navFocus >= 0) return
      if (!this.moveRow(-1)) {
        this.navFocus = 1
        this.layout()
      }
    },
    down() {
      if (this.navFocus >= 0) {
        this.navFocus = -1
        this.layout()
        return
      }
      this.moveRow(1)
    },
    enter() {
      if (this.navFocus >= 0) return navigateToTab(this, this.navFocus)
      if (this.detailsOpen) return (this.detailsOpen = false)
      this.selectFocused()
    },
    back() {
      if (this.detailsOpen) return (this.detailsOpen = false)
      this.$router.to(services.lastChannelId ? '/live/' + services.lastChannelId : '/')
    },
  },
})
