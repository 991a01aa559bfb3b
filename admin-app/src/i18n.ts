/**
 * Every string of the console goes through i18next: zh-CN by default, English on request (the choice is
 * remembered in localStorage). React Aria's widgets follow the same locale through I18nProvider.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'aerial.admin.lang';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : 'zh-CN';
}

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  void i18next.changeLanguage(language);
}

/** The locale of dates and numbers for a language ('en' → 'en-US'). */
export const localeOf = (language: string): string => (language === 'en' ? 'en-US' : 'zh-CN');

/** Text in the current language from a `{ zh, en }` pair of the API. */
export function pick(text: { zh: string; en?: string } | undefined, language: string): string {
  if (!text) return '';
  return language === 'en' && text.en ? text.en : text.zh;
}
