import Blits from '@lightningjs/blits'
import NavBar from '../components/NavBar.js'
import SettingsList from '../components/SettingsList.js'
import { services } from '../services.ts'
import { t } from '../i18n/strings.ts'
import { COLORS } from '../theme.ts'
import { navigateToTab, navTabs } from './tabs.js'

/**
 * @typedef {{ key: string, y: number, label: string, value: string, color: string, textColor: string,
 *   inspector: Record<string, string> }} SettingsRow
 */

/** @type {readonly ('myGrade' | 'subtitles' | 'language')[]} */
const ROWS = ['myGrade', 'subtitles', 'language']

/** My grade (tuned at start), subtitles, language: Left/Right change the focused row; saved at once. */
export default Blits.Component('Settings', {
  components: { NavBar, SettingsList },
  template: `
    <Element w="1920" h="1080" color="#0b1a2b" :inspector-data="{testid: 'page-settings', input: $takesKeys ? 'true' : 'false'}">
      <NavBar :tabs="$tabs" />
      <SettingsList x="96" :rows="$rows" />
      <Text content="◀ ▶" size="30" color="#a9bdd3" x="1230" :y="$hintY" />
    </Element>
  `,
  state() {
    // `rows` is rebuilt by refreshRows() and rendered by SettingsList (its inspector-data then reaches the DOM mirror).
    // takesKeys: the router has handed this page the keys (a tick after drawing it; Blits' own hasFocus is set before).
    return { rowFocus: 0, navFocus: -1, takesKeys: false, rows: /** @type {SettingsRow[]} */ ([]) }
  },
  computed: {
    tabs() {
      return navTabs(this.$appState.language, 3, this.navFocus)
    },
    hintY() {
      return 230 + this.rowFocus * 120
    },
  },
  methods: {
    buildRows() {
      const lang = this.$appState.language
      const s = this.$appState
      const values = {
        myGrade: s.myGrade ? t('gradeN', lang, { n: s.myGrade }) : '—',
        subtitles: t(s.subtitles ? 'on' : 'off', lang),
        language: s.language === 'en' ? 'English' : '中文',
      }
      return ROWS.map((key, i) => {
        const focused = i === this.rowFocus && this.navFocus < 0
        return {
          key,
          y: 200 + i * 120,
          label: t(key, lang),
          value: values[key],
          color: focused ? COLORS.focus : COLORS.panel,
          textColor: focused ? COLORS.textOnFocus : COLORS.text,
          inspector: {
            testid: 'settings-row',
            setting: key,
            choice: String(key === 'myGrade' ? s.myGrade : s[key]),
            focused: String(focused),
          },
        }
      })
    },
    refreshRows() {
      this.rows = this.buildRows()
    },
    /** @param {number} step */
    change(step) {
      const s = this.$appState
      const key = ROWS[this.rowFocus]
      // Grades 1–12 cycle; from "not set" Right picks 1 and Left picks 12.
      if (key === 'myGrade') s.myGrade = (((s.myGrade || (step > 0 ? 0 : 1)) - 1 + step + 12) % 12) + 1
      if (key === 'subtitles') s.subtitles = !s.subtitles
      if (key === 'language') s.language = s.language === 'zh' ? 'en' : 'zh'
      services.persisted.saveSettings({
        ...(s.myGrade ? { myGrade: s.myGrade } : {}),
        subtitles: s.subtitles,
        language: s.language,
      })
      // The next playback reads the setting; a stream still playing takes it at once.
      if (services.player.active) services.player.setSubtitles({ subtitles: s.subtitles, subtitleLanguage: s.language })
      this.refreshRows()
    },
  },
  hooks: {
    ready() {
      this.refreshRows()
    },
    focus() {
      this.takesKeys = true
    },
    unfocus() {
      this.takesKeys = false
    },
  },
  watch: {
    rowFocus() {
      this.refreshRows()
    },
    navFocus() {
      this.refreshRows()
    },
  },
  input: {
    up() {
      if (this.navFocus >= 0) return
      if (this.rowFocus === 0) this.navFocus = 3
      else this.rowFocus--
    },
    down() {
      if (this.navFocus >= 0) this.navFocus = -1
      else this.rowFocus = Math.min(ROWS.length - 1, this.rowFocus + 1)
    },
    left() {
      if (this.navFocus >= 0) return (this.navFocus = Math.max(0, this.navFocus - 1))
      this.change(-1)
    },
    right() {
      if (this.navFocus >= 0) return (this.navFocus = Math.min(3, this.navFocus + 1))
      this.change(1)
    },
    enter() {
      if (this.navFocus >= 0) return navigateToTab(this, this.navFocus)
      this.change(1)
    },
    back() {
      this.$router.to('/guide')
    },
  },
})
