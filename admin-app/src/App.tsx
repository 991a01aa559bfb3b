import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { I18nProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { localeOf } from './i18n';
import { Header } from './Header';
import { useRoute, type RouteName } from './route';
import { SignIn } from './screens/SignIn';
import { useCan, useSession, type Role } from './session';

/** One chunk per screen: the first paint loads only the shell and the screen asked for. */
const SCREENS: Record<RouteName, { load: ComponentType; role: Role }> = {
  'on-air': { load: lazy(() => import('./screens/OnAir')), role: 'editor' },
  guide: { load: lazy(() => import('./screens/Guide')), role: 'editor' },
  timetables: { load: lazy(() => import('./screens/Timetables')), role: 'editor' },
  publish: { load: lazy(() => import('./screens/Publish')), role: 'editor' },
  suspension: { load: lazy(() => import('./screens/Suspension')), role: 'editor' },
  calendar: { load: lazy(() => import('./screens/Calendar')), role: 'editor' },
  overrides: { load: lazy(() => import('./screens/Overrides')), role: 'editor' },
  catalog: { load: lazy(() => import('./screens/Catalog')), role: 'editor' },
  jobs: { load: lazy(() => import('./screens/Jobs')), role: 'editor' },
  ingest: { load: lazy(() => import('./screens/Ingest')), role: 'editor' },
  audit: { load: lazy(() => import('./screens/Audit')), role: 'editor' },
  tokens: { load: lazy(() => import('./screens/Tokens')), role: 'admin' },
};

export function App() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const route = useRoute();
  const screen = SCREENS[route.name];
  const allowed = useCan(screen.role);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = t('app.title');
  }, [i18n.language, t]);

  return (
    <I18nProvider locale={localeOf(i18n.language)}>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <Header current={session ? route.name : undefined} />
      <main id="main" tabIndex={-1}>
        {!session ? (
          <SignIn />
        ) : !allowed ? (
          <p role="alert">{t('errors.forbidden', { role: t(`roles.${screen.role}`) })}</p>
        ) : (
          <Suspense fallback={<p aria-busy="true">{t('common.loading')}</p>}>
            <screen.load />
          </Suspense>
        )}
      </main>
    </I18nProvider>
  );
}
