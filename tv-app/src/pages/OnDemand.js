import Blits from '@lightningjs/blits'
import NavBar from '../components/NavBar.js'
import Rail from '../components/Rail.js'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { t, title, clockDuration } from '../i18n/strings.ts'
import { BROWSE_RAILS, OnDemandLibrary } from '../ondemand/library.ts'
import { COLORS } from '../theme.ts'
import { railWindow } from '../guide/time-grid.ts'
import { placeRails, RAILS } from '../ondemand/rail-layout.ts'
import { navigateToTab, navTabs } from './tabs.js'
/** @import { LessonJson } from '../api/client.ts' */
/** @import { RailId } from '../ondemand/library.ts' */

/** @typedef {{ key: string, label: string, sub: string, lesson?: LessonJson }} RailItem */
/**
 * @typedef {{ key: RailId, y: number, alpha: number, title: string, titleColor: string,
 *   inspector: Record<string, string>, tiles: object[], posterTiles: object[] }} RailNode
 */

const VISIBLE_TILES = 6

/** Browse grade → subject → unit → lesson; the "continue watching" rail resumes where the viewer stopped. */
export default Blits.Component('OnDemand', {
  components: { NavBar, Rail, Spinner },
  template: `
    <Element w="1920" h="1080" :inspector-data="{testid: 'page-ondemand', input: $takesKeys ? 'true' : 'false'}">
      <NavBar :tabs="$tabs" />
      <Rail
        :for="rail in $rails"
        key="$rail.key"
        x="96"
        :y="$rail.y"
        :alpha="$rail.alpha"
        :title="$rail.title"
        :tiles="$rail.tiles"
        :posterTiles="$rail.posterTiles"
        :titleColor="$rail.titleColor"
        :inspector="$rail.inspector"
      />
      <Spinner :visible="$loading" x="96" y="300" :label="$loadingLabel" />
      <Element :show="$details.title !== ''" x="96" y="888" w="1728" h="176" color="#13283f" :inspector-data="{testid: 'lesson-details', shown: $details.title !== ''}">
        <Element :show="$details.poster !== ''" x="8" y="8" w="284" h="160" :src="$details.poster" :inspector-data="{testid: 'lesson-details-poster', src: $details.poster}" />
        <Text :content="$details.title" size="34" color="#ffffff" :x="$details.textX" y="30" maxwidth="1100" maxlines="1" :inspector-data="{testid: 'lesson-details-title'}" />
        <Text :content="$details.meta" size="26" color="#a9bdd3" :x="$details.textX" y="92" maxwidth="1100" maxlines="1" />
        <Text :content="$details.action" size="28" color="#f5b301" x="1360" y="66" maxwidth="340" maxlines="1" :inspector-data="{testid: 'lesson-details-action'}" />
      </Element>
    </Element>
  `,
  state() {
    return {
      navFocus: -1,
      // Keys reach this page (the router hands focus over a tick after the page is drawn; keys before go nowhere).
      takesKeys: false,
      loading: true,
      railFocus: 0,
      // Rebuilt by refresh() from the plain (non-reactive) catalog data on every focus move.
      rails: /** @type {RailNode[]} */ ([]),
      details: { title: '', meta: '', action: '', poster: '', textX: 30 },
      /** The catalog and where each rail stands (not reactive, see ondemand/library.ts). */
      library: new OnDemandLibrary(),
    }
  },
  computed: {
    tabs() {
      return navTabs(this.$appState.language, 2, this.navFocus)
    },
    loadingLabel() {
      return t('loading', this.$appState.language)
    },
  },
  hooks: {
    ready() {
      void this.load()
    },
    focus() {
      this.takesKeys = true
    },
    unfocus() {
      this.takesKeys = false
    },
  },
  methods: {
    async load() {
      let lessons
      try {
        lessons = await services.api.allLessons({ attempts: 3 })
      } catch {
        services.reportReachable(false)
        this.$setTimeout(() => this.load(), 5000)
        return
      }
      this.library.load(lessons)
      const mine = this.library.tree.findIndex((g) => g.grade === this.$appState.myGrade)
      this.library.focusOf.grades = Math.max(0, mine)
      this.loading = false
      this.railFocus = 0
      this.refresh()
    },
    continueLessons() {
      return services.persisted.resumePoints().flatMap((point) => {
        const lesson = this.library.byId.get(point.lessonId)
        return lesson ? [{ point, lesson }] : []
      })
    },
    railIds() {
      /** @type {RailId[]} */
      const ids = []
      if (this.continueLessons().length > 0) ids.push('continue')
      if (this.library.tree.length > 0) ids.push(...BROWSE_RAILS)
      return ids
    },
    selection() {
      const grade = this.library.tree[this.library.focusOf.grades]
      const subject = grade ? grade.subjects[this.library.focusOf.subjects] : undefined
      const unit = subject ? subject.units[this.library.focusOf.units] : undefined
      return { grade, subject, unit }
    },
    /**
     * @param {RailId} id
     * @returns {RailItem[]}
     */
    itemsOf(id) {
      const lang = this.$appState.language
      const { grade, subject, unit } = this.selection()
      if (id === 'continue') {
        return this.continueLessons().map(({ point, lesson }) => ({
          key: 'c' + lesson.id,
          label: title(lesson.title, lang),
          sub: clockDuration(point.positionS) + (point.durationS ? ' / ' + clockDuration(point.durationS) : ''),
          lesson,
        }))
      }
      if (id === 'grades')
        return this.library.tree.map((g) => ({ key: 'g' + g.grade, label: t('gradeN', lang, { n: g.grade }), sub: '' }))
      if (id === 'subjects')
        return grade ? grade.subjects.map((s) => ({ key: s.key, label: title(s.name, lang), sub: '' })) : []
      if (id === 'units') {
        return subject
          ? subject.units.map((u) => ({
              key: u.key,
              label: t('unitN', lang, { n: u.unit }),
              sub: title(u.title, lang),
            }))
          : []
      }
      return unit
        ? unit.lessons.map((l) => ({
            key: l.id,
            label: title(l.title, lang),
            sub: t('lessonN', lang, { n: l.lesson }),
            lesson: l,
          }))
        : []
    },
    /**
     * A rail's tiles in view: lessons with a poster as picture tiles, everything else as text tiles.
     * @param {RailId} id
     * @param {RailItem[]} items
     * @param {boolean} active
     */
    tilesOf(id, items, active) {
      const focus = Math.min(this.library.focusOf[id], Math.max(0, items.length - 1))
      const { first, last } = railWindow(focus, this.library.firstOf[id], VISIBLE_TILES, items.length)
      this.library.firstOf[id] = first
      const tiles = items.slice(first, last).map((item, i) => {
        const focused = active && first + i === focus
        return {
          key: item.key,
          x: i * (RAILS.tileW + RAILS.tileGap),
          w: RAILS.tileW,
          label: item.label,
          sub: item.sub,
          poster: item.lesson && item.lesson.poster ? item.lesson.poster.small : '',
          color: focused ? COLORS.focus : COLORS.cell,
          textColor: focused ? COLORS.textOnFocus : COLORS.text,
          // The chosen grade/subject/unit stays marked while focus is on a lower rail.
          underlineColor: first + i === focus ? COLORS.focus : COLORS.cell,
          inspector: { testid: 'tile', rail: id, item: item.key, focused: String(focused) },
        }
      })
      return { tiles: tiles.filter((x) => !x.poster), posterTiles: tiles.filter((x) => x.poster) }
    },
    buildRails() {
      if (!this.library.tree) return []
      const lang = this.$appState.language
      const titles = {
        continue: t('continueWatching', lang),
        grades: t('grades', lang),
        subjects: t('subjects', lang),
        units: t('units', lang),
        lessons: t('lessons', lang),
      }
      const rails = this.railIds().map((id, r) => {
        const active = r === this.railFocus && this.navFocus < 0
        return { id, active, ...this.tilesOf(id, this.itemsOf(id), active) }
      })
      const places = placeRails(
        rails.map((rail) => rail.posterTiles.length > 0),
        this.railFocus,
      )
      return rails.map(({ id, active, tiles, posterTiles }, r) => {
        const place = places[r] ?? { y: 0, shown: false }
        return {
          key: id,
          y: place.y,
          alpha: place.shown ? 1 : 0,
          title: titles[id],
          titleColor: active ? COLORS.focus : COLORS.textDim,
          inspector: { testid: 'rail', rail: id, active: String(active), shown: String(place.shown) },
          tiles,
          posterTiles,
        }
      })
    },
    focusedLesson() {
      const id = this.railIds()[this.railFocus]
      if (id !== 'continue' && id !== 'lessons') return undefined
      const item = this.itemsOf(id)[this.library.focusOf[id]]
      return item ? item.lesson : undefined
    },
    refresh() {
      this.rails = this.buildRails()
      const lang = this.$appState.language
      const lesson = this.focusedLesson()
      if (!lesson) {
        this.details = { title: '', meta: '', action: '', poster: '', textX: 30 }
        return
      }
      const resumeAt = services.persisted.resumePosition(lesson.id)
      const meta = [
        title(lesson.subjectName, lang) +
          ' · ' +
          t('unitN', lang, { n: lesson.unit }) +
          ' ' +
          title(lesson.unitTitle, lang),
        lesson.teacher ? t('teacher', lang) + ' ' + lesson.teacher : '',
        lesson.durationS
          ? t('duration', lang) + ' ' + Math.round(lesson.durationS / 60) + ' ' + t('minutes', lang)
          : '',
      ]
      this.details = {
        title: title(lesson.title, lang),
        meta: meta.filter(Boolean).join('   '),
        action: resumeAt > 0 ? t('resumeAt', lang, { t: clockDuration(resumeAt) }) : t('play', lang),
        poster: lesson.poster ? lesson.poster.large : '',
        textX: lesson.poster ? 320 : 30,
      }
    },
    /** @param {number} step */
    moveInRail(step) {
      const ids = this.railIds()
      const id = ids[this.railFocus]
      if (!id) return
      const count = this.itemsOf(id).length
      const next = this.library.focusOf[id] + step
      if (next < 0 || next >= count) return
      this.library.focusOf[id] = next
      // A new grade/subject/unit restarts the rails below it.
      const order = BROWSE_RAILS
      for (const below of order.slice(order.indexOf(id) + 1)) {
        if (order.indexOf(id) < 0) break
        this.library.focusOf[below] = 0
        this.library.firstOf[below] = 0
      }
      this.refresh()
    },
  },
  input: {
    left() {
      if (this.navFocus >= 0) return (this.navFocus = Math.max(0, this.navFocus - 1))
      this.moveInRail(-1)
    },
    right() {
      if (this.navFocus >= 0) return (this.navFocus = Math.min(3, this.navFocus + 1))
      this.moveInRail(1)
    },
    up() {
      if (this.navFocus >= 0) return
      if (this.railFocus === 0) this.navFocus = 2
      else this.railFocus--
      this.refresh()
    },
    down() {
      if (this.navFocus >= 0) this.navFocus = -1
      else this.railFocus = Math.min(this.railIds().length - 1, this.railFocus + 1)
      this.refresh()
    },
    enter() {
      if (this.navFocus >= 0) return navigateToTab(this, this.navFocus)
      const lesson = this.focusedLesson()
      if (lesson) {
        this.$router.to('/play', {
          url: lesson.vodUrl,
          heading: title(lesson.title, this.$appState.language),
          lessonId: lesson.id,
        })
        return
      }
      // OK on a grade/subject/unit goes down to the next rail.
      this.railFocus = Math.min(this.railIds().length - 1, this.railFocus + 1)
      this.refresh()
    },
    back() {
      this.$router.to('/guide')
    },
  },
})
