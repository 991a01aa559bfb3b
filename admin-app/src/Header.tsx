import { Button, ToggleButton, ToggleButtonGroup, type Key } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from './i18n';
import { leaveThen } from './leave-guard';
import { href, ROUTES, type RouteName } from './route';
import { useSession } from './session';

const ADMIN_ONLY: ReadonlySet<string> = new Set(['tokens']);

export function Header({ current }: { current: RouteName | undefined }) {
  const { t, i18n } = useTranslation();
  const { session, signOut } = useSession();
  const routes = ROUTES.filter((r) => session?.role === 'admin' || !ADMIN_ONLY.has(r));
  return (
    <header className="top">
      <span className="brand">{t('app.title')}</span>
      {session && current && (
        <nav aria-label={t('nav.label')}>
          <ul>
            {routes.map((r) => (
              <li key={r}>
                <a href={href(r)} aria-current={r === current ? 'page' : undefined}>
                  {t(`nav.${camel(r)}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="tools">
        <ToggleButtonGroup
          aria-label={t('app.language')}
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[i18n.language]}
          onSelectionChange={(keys: Set<Key>) => setLanguage([...keys][0] as Language)}
        >
          {LANGUAGES.map((l) => (
            <ToggleButton key={l} id={l} lang={l}>
              {l === 'en' ? 'English' : '中文'}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {session && (
          <>
            <span className="role">{t('app.role', { role: t(`roles.${session.role}`) })}</span>
            <Button onPress={() => leaveThen(signOut)}>{t('app.signOut')}</Button>
          </>
        )}
      </div>
    </header>
  );
}

const camel = (route: string) => route.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
