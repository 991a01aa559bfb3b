import { t } from '../i18n/strings.ts'
import { services } from '../services.ts'
import { COLORS } from '../theme.ts'
/** @import { Language } from '../i18n/strings.ts' */

/**
 * The NavBar tabs, in order: Live, Guide, On demand, Settings; `focusIndex` −1 = focus is on the page.
 * @param {Language} language
 * @param {number} current
 * @param {number} focusIndex
 */
export function navTabs(language, current, focusIndex) {
  const labels = [t('live', language), t('guide', language), t('onDemand', language), t('settings', language)]
  return labels.map((label, i) => {
    const focused = i === focusIndex
    return {
      key: 'tab' + i,
      label,
      x: 240 + i * 230,
      w: 210,
      color: focused ? COLORS.focus : i === current ? COLORS.cellAiring : COLORS.panel,
      textColor: focused ? COLORS.textOnFocus : COLORS.text,
      inspector: { testid: 'nav-tab', index: i, focused: String(focused), current: String(i === current) },
    }
  })
}

/**
 * @param {{ $router: { to(path: string): unknown } }} component
 * @param {number} index
 */
export function navigateToTab(component, index) {
  const paths = [services.lastChannelId ? '/live/' + services.lastChannelId : '/', '/guide', '/ondemand', '/settings']
  component.$router.to(paths[index] ?? '/')
}
