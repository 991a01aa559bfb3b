import Blits from '@lightningjs/blits'
import NavBar from '../components/NavBar.js'
import Rail from '../components/Rail.js'
import Spinner from '../components/Spinner.js'
import { services } from '../services.ts'
import { t, title, clockDuration } from '../i18n/strings.ts'
import { BROWSE_RAILS, OnDemandLibrary } from '../ondemand/library.ts'
import { COLORS } from '../theme.ts'
import { railWindow } from '../guide/time-grid.ts'
import { navigateToTab, navTabs } from './tabs.js'
/** @import { LessonJson } from '../api/client.ts' */
/** @import { RailId } from '../ondemand/library.ts' */

/** @typedef {{ key: string, label: string, sub: string, lesson?: LessonJson }} RailItem */
/**
 * @typedef {{ key: RailId, y: number, title: string, titleColor: string, inspector: Record<string, string>,
 *   tiles: object[] }} RailNode
 */

const TILE_W = 262
const TILE_GAP = 20
const VISIBLE_TILES = 6
const RAIL_H = 150
const RAILS_Y = 140

/** Browse grade → subject → unit → lesson; the "continue watching" rail resumes where the viewer stopped. */
export default Blits.Component('OnDemand', {
  components: { NavBar, Rail, Spinner },
  template: `
    <Element w="1920" h="1080" :inspector-data="{testid: 'page-ondemand'}">
      <NavBar :tabs="$tabs" />
      <Rail
        :for="rail in $rails"
        key="$rail.key"
        x="96"
        :y="$rail.y"
        :title="$rail.title"
        :tiles="$rail.tiles"
        :titleColor="$rail.titleColor"
        :inspector="$rail.inspector"
      />
      <Spinner :visible="$loading" x="96" y="300" :label="$loadingLabel" />
      <Element :show="$details.title !== ''" x="96" y="890" w="1728" h="136" color="#13283f" :inspector-data="{testid: 'lesson-details', shown: $details.title !== ''}">
        <Text :content="$details.title" size="34" color="#ffffff" x="30" y="16" maxwidth="1100" maxlines="1" :inspector-data="{testid: 'lesson-details-title'}" />
        <Text :content="$details.meta" size="26" color="#a9bdd3" x="30" y="72" maxwidth="1100" maxlines="1" />
        <Text :content="$details.action" size="28" color="#f5b301" x="1160" y="46" maxwidth="540" maxlines="1" :inspector-data="{testid: 'lesson-details-action'}" />
      </Element>
    </Element>
  `,
  state() {
    return {
      navFocus: -1,
      loading: true,
      railFocus: 0,
      // Rebuilt by refresh() from the plain (non-reactive) catalog data on every focus move.
      rails: /** @type {RailNode[]} */ ([]),
      details: { title: '', meta: '', action: '' },
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
      return this.railIds().map((id, r) => {
        const items = this.itemsOf(id)
        const active = r === this.railFocus && this.navFocus < 0
        const focus = Math.min(this.library.focusOf[id], Math.max(0, items.length - 1))
        const { first, last } = railWindow(focus, this.library.firstOf[id], VISIBLE_TILES, items.length)
        this.library.firstOf[id] = first
        return {
          key: id,
          y: RAILS_Y + r * RAIL_H,
          title: titles[id],
          titleColor: active ? COLORS.focus : COLORS.textDim,
          inspector: { testid: 'rail', rail: id, active: String(active) },
          tiles: items.slice(first, last).map((item, i) => ({
            key: item.key,
            x: i * (TILE_W + TILE_GAP),
            w: TILE_W,
            label: item.label,
            sub: item.sub,
            color: active && first + i === focus ? COLORS.focus : COLORS.cell,
            textColor: active && first + i === focus ? COLORS.textOnFocus : COLORS.text,
            // The chosen grade/subject/unit stays marked while focus is on a lower rail.
            underlineColor: first + i === focus ? COLORS.focus : COLORS.cell,
            inspector: { testid: 'tile', rail: id, item: item.key, focused: String(active && first + i === focus) },
          })),
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
        this.details = { title: '', meta: '', action: '' }
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
