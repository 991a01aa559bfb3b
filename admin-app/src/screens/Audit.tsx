/** The audit log (append-only), newest first, filtered by who, what (route) and since when; paged backwards. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Input, Label, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { formatDateTime } from '../format';
import { localeOf } from '../i18n';
import { ErrorNotice } from '../ui';

interface Filters {
  actor: string;
  route: string;
  since: string;
}

export default function Audit() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Filters>({ actor: '', route: '', since: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const audit = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/admin/audit', {
          params: {
            query: {
              limit: 50,
              ...(pageParam ? { before: pageParam } : {}),
              ...(filters.actor ? { actor: filters.actor } : {}),
              ...(filters.route ? { route: filters.route } : {}),
              ...(filters.since ? { since: new Date(filters.since).toISOString() } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextBefore,
  });
  const locale = localeOf(i18n.language);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const entries = audit.data?.pages.flatMap((p) => p.entries ?? []) ?? [];
  const field = (name: keyof Filters, type = 'text') => (
    <TextField value={draft[name]} onChange={(v) => setDraft({ ...draft, [name]: v })} type={type}>
      <Label>{t(`audit.${name}`)}</Label>
      <Input />
    </TextField>
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <Form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        {field('actor')}
        {field('route')}
        {field('since', 'datetime-local')}
        <Button type="submit">{t('audit.filter')}</Button>
      </Form>
      <ErrorNotice error={audit.error} />
      <table aria-labelledby="audit-title">
        <thead>
          <tr>
            <th scope="col">{t('audit.when', { zone })}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.what')}</th>
            <th scope="col">{t('audit.summary')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.atMs ? formatDateTime(e.atMs, zone, locale) : ''}</td>
              <td>
                {e.actor} ({e.role ? t(`roles.${e.role as 'editor' | 'admin'}`) : ''})
              </td>
              <td>
                <code>
                  {e.method} {e.route}
                </code>
              </td>
              <td>{e.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.data && entries.length === 0 && <p>{t('common.none')}</p>}
      {audit.hasNextPage && (
        <Button onPress={() => void audit.fetchNextPage()} isDisabled={audit.isFetchingNextPage}>
          {t('audit.more')}
        </Button>
      )}
    </section>
  );
}
