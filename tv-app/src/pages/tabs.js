import { t } from '../i18n/strings.ts'
import { services } from '../services.ts'

/** The NavBar tabs, in order: Live, Guide, On demand, Settings. */
export function tabLabels(language) {
  return [t('live', language), t('guide', language), t('onDemand', language), t('settings', language)]
}

export function navigateToTab(component, index) {
  const paths = [services.lastChannelId ? '/live/' + services.lastChannelId : '/', '/guide', '/ondemand', '/settings']
  component.$router.to(paths[index])
}
