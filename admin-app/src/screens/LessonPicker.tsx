/**
 * A searchable lesson picker (ComboBox): what is typed searches the catalog by id, title or teacher through
 * GET /api/admin/catalog/lessons (every lesson, or only packaged ones: what a schedule can air); an option reads
 * "title · id", and the choice is a lesson id. Used by Ingest (any lesson) and Overrides (packaged lessons).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';

type CatalogLesson = Schemas['AdminCatalogLesson'];

/** Lessons matching `q` (id, title, teacher), first `limit` in textbook order; only packaged ones if asked. */
function useCatalogSearch(q: string, options: { limit?: number; packagedOnly?: boolean } = {}) {
  const { limit = 20, packagedOnly = false } = options;
  return useQuery({
    queryKey: ['catalog-search', q, limit, packagedOnly],
    queryFn: () =>
      unwrap(
        api.GET('/api/admin/catalog/lessons', {
          params: { query: { ...(q ? { q } : {}), ...(packagedOnly ? { status: 'packaged' as const } : {}), limit } },
        }),
      ),
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

const title = (l: CatalogLesson, language: string) => (language === 'en' && l.titleEn ? l.titleEn : l.titleZh);

/** What the search asks for: after a choice the input holds an option's "title · id"; its id finds it. */
export const searchText = (text: string) => (text.includes(' · ') ? text.split(' · ').at(-1)! : text).trim();

export function LessonPicker(props: {
  label: string;
  value: string | undefined;
  onChange(id: string | undefined): void;
  /** Only lessons that are packaged (what an override or a timetable can air). */
  packagedOnly?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [input, setInput] = useState(props.value ?? '');
  const lessons = useCatalogSearch(searchText(input), { packagedOnly: props.packagedOnly });
  const items: CatalogLesson[] = lessons.data?.lessons ?? [];
  return (
    <ComboBox
      className="react-aria-ComboBox lesson-picker"
      items={items}
      inputValue={input}
      onInputChange={setInput}
      selectedKey={props.value ?? null}
      onSelectionChange={(key) => props.onChange(key === null ? undefined : String(key))}
      defaultFilter={() => true}
      menuTrigger="focus"
    >
      <Label>{props.label}</Label>
      <div className="combo">
        <Input />
        <Button aria-label={t('ingest.showLessons')}>▾</Button>
      </div>
      <Popover className="react-aria-Popover lesson-popover">
        <ListBox<CatalogLesson>
          renderEmptyState={() => <p>{lessons.isFetching ? t('common.loading') : t('ingest.noLesson')}</p>}
        >
          {(l) => (
            <ListBoxItem id={l.id} textValue={`${title(l, i18n.language)} · ${l.id}`}>
              {title(l, i18n.language)} · {l.id}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
