/**
 * Screens are addressed by the URL hash (`#/on-air`, `#/guide?date=2026-12-03`): the origin serves one
 * index.html at /admin/ and every screen is a bookmarkable, back-button-friendly address.
 */
import { useSyncExternalStore } from 'react';

export const ROUTES = [
  'on-air',
  'guide',
  'timetables',
  'publish',
  'suspension',
  'calendar',
  'overrides',
  'catalog',
  'jobs',
  'ingest',
  'audit',
  'tokens',
] as const;
export type RouteName = (typeof ROUTES)[number];

export interface Route {
  name: RouteName;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const name = (ROUTES as readonly string[]).includes(path) ? (path as RouteName) : 'on-air';
  return { name, params: new URLSearchParams(query) };
}

export function href(name: RouteName, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${name}${query ? `?${query}` : ''}`;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}
