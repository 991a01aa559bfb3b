/**
 * A searchable lesson picker (ComboBox): what is typed searches the whole catalog (packaged or not) by id, title
 * or teacher through GET /api/admin/catalog/lessons; the choice is a lesson id.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

export type CatalogLesson = { id: string; titleZh: string; titleEn?: string; status?: string };

/** Lessons matching `q` (id, title, teacher), first `limit` in textbook order. */
export function useCatalogSearch(q: string, limit = 20) {
  return useQuery({
    queryKey: ['catalog-search', q, limit],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/lessons', { params: { query: { ...(q ? { q } : {}), limit } } })),
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

const title = (l: CatalogLesson, language: string) => (language === 'en' && l.titleEn ? l.titleEn : l.titleZh);

export function LessonPicker(props: {
  label: string;
  value: string | undefined;
  onChange(id: string | undefined): void;
}) {
  const { t, i18n } = useTranslation();
  const [input, setInput] = useState(props.value ?? '');
  // After a choice the input shows "id · title": search by the id part only.
  const q = input.split(' · ')[0]!.trim();
  const lessons = useCatalogSearch(q);
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
        <ListBox<CatalogLesson> renderEmptyState={() => <p>{t('ingest.noLesson')}</p>}>
          {(l) => (
            <ListBoxItem id={l.id} textValue={`${l.id} · ${title(l, i18n.language)}`}>
              {l.id} · {title(l, i18n.language)}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
