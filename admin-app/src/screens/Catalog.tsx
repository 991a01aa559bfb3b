/**
 * Catalog: browse every lesson, packaged or not (grade → subject → edition → volume, then units), search by
 * title, id or teacher, filter by packaging state and read why a packaging failed. Import a CSV or JSON file
 * (all or nothing: every bad row is listed by line and field, and nothing changes); export the catalog as a
 * download that the import takes back.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FileTrigger, Form, Input, Label, SearchField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import {
  chooseLevel,
  courseChoices,
  groupByUnit,
  importRequest,
  problemRows,
  type Choice,
  type CourseFilter,
} from '../catalog-model';
import { pick } from '../i18n';
import { ErrorNotice } from '../ui';
import './programming.css';

type Lesson = Schemas['AdminCatalogLesson'];
type Status = Lesson['status'];
const STATUSES: Status[] = ['registered', 'packaged', 'failed'];

export default function Catalog() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">{t('catalog.title')}</h1>
      <p>{t('catalog.intro')}</p>
      <ImportExport />
      <Browse />
    </section>
  );
}

function Browse() {
  const { t, i18n } = useTranslation();
  const [course, setCourse] = useState<CourseFilter>({});
  const [status, setStatus] = useState<Status | ''>('');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const volumes = useQuery({
    queryKey: ['catalog-volumes'],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/volumes')),
  });
  const filter = { ...course, ...(status ? { status } : {}), ...(q ? { q } : {}) };
  const lessons = useQuery({
    queryKey: ['catalog-lessons', filter],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/lessons', { params: { query: { ...filter, limit: 500 } } })),
  });
  const choices = courseChoices(volumes.data?.volumes ?? [], course);
  const name = (c: Choice<string | number>) => (c.name ? pick(c.name, i18n.language) : String(c.key));
  const level = <K extends keyof CourseFilter>(
    key: K,
    options: Choice<string | number>[],
    label: (c: Choice<string | number>) => string,
  ) => (
    <div className="field narrow">
      <label htmlFor={`catalog-${key}`}>{t(`catalog.levels.${key}`)}</label>
      <select
        id={`catalog-${key}`}
        value={course[key] === undefined ? '' : String(course[key])}
        disabled={options.length === 0}
        onChange={(e) => {
          const raw = e.target.value;
          const value = raw === '' ? undefined : key === 'grade' || key === 'volume' ? Number(raw) : raw;
          setCourse(chooseLevel(course, key, value));
        }}
      >
        <option value="">{t('catalog.all')}</option>
        {options.map((c) => (
          <option key={String(c.key)} value={String(c.key)}>
            {label(c)} ({t('catalog.count', { lessons: c.lessons, failed: c.failed })})
          </option>
        ))}
      </select>
    </div>
  );
  const groups = groupByUnit(lessons.data?.lessons ?? []);
  const names = new Map<string, { zh: string; en?: string }>();
  for (const v of volumes.data?.volumes ?? []) {
    names.set(`subject:${v.subject}`, v.subjectName);
    names.set(`edition:${v.edition}`, v.editionName);
    names.set(`volume:${v.grade}/${v.volume}`, v.volumeName);
  }
  const named = (key: string, fallback: string | number) => {
    const found = names.get(key);
    return found ? pick(found, i18n.language) : String(fallback);
  };
  return (
    <>
      <h2 id="catalog-browse">{t('catalog.browse')}</h2>
      <ErrorNotice error={volumes.error ?? lessons.error} />
      <div className="form inline" role="group" aria-labelledby="catalog-browse">
        {level('grade', choices.grades, (c) => t('catalog.grade', { n: c.key }))}
        {level('subject', choices.subjects, name)}
        {level('edition', choices.editions, name)}
        {level('volume', choices.volumes, name)}
        <div className="field narrow">
          <label htmlFor="catalog-status">{t('catalog.status')}</label>
          <select id="catalog-status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
            <option value="">{t('catalog.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`catalog.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Form
          className="form inline"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
          }}
        >
          <SearchField value={draft} onChange={setDraft} onClear={() => setQ('')}>
            <Label>{t('catalog.search')}</Label>
            <Input />
          </SearchField>
          <Button type="submit">{t('catalog.find')}</Button>
        </Form>
      </div>
      {lessons.data && (
        <p role="status" data-total={lessons.data.total}>
          {lessons.data.total > lessons.data.lessons.length
            ? t('catalog.showing', { shown: lessons.data.lessons.length, total: lessons.data.total })
            : t('catalog.found', { count: lessons.data.total })}
        </p>
      )}
      {groups.map((g) => {
        const id = `unit-${g.key.replace(/\W+/g, '-')}`;
        return (
          <div key={g.key} className="unit">
            <h3 id={id}>
              {t('catalog.unitHeading', {
                grade: g.grade,
                subject: named(`subject:${g.subject}`, g.subject),
                edition: named(`edition:${g.edition}`, g.edition),
                volume: named(`volume:${g.grade}/${g.volume}`, g.volume),
                unit: g.unit,
                title: pick(g.title, i18n.language),
              })}
            </h3>
            <table aria-labelledby={id}>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.lesson')}</th>
                  <th scope="col">{t('catalog.lessonTitle')}</th>
                  <th scope="col">{t('catalog.id')}</th>
                  <th scope="col">{t('catalog.teacher')}</th>
                  <th scope="col">{t('catalog.status')}</th>
                </tr>
              </thead>
              <tbody>
                {g.lessons.map((l) => (
                  <tr key={l.id} data-lesson={l.id}>
                    <td>{l.lesson}</td>
                    <td>{i18n.language === 'en' && l.titleEn ? l.titleEn : l.titleZh}</td>
                    <td>
                      <code>{l.id}</code>
                    </td>
                    <td>{l.teacher ?? ''}</td>
                    <td className={`status-${l.status}`}>
                      {t(`catalog.statuses.${l.status}`)}
                      {l.failureReason && <span className="reason">: {l.failureReason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

function ImportExport() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const importing = useMutation({
    mutationFn: async (chosen: File) => {
      const { contentType, name } = importRequest(chosen.name);
      const text = await chosen.text();
      return unwrap(
        api.POST('/api/admin/catalog/import', {
          params: { query: { name } },
          body: text as never,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'Content-Type': contentType },
        }),
      ) as Promise<{ file: string; lessons: number; added: string[]; updated: string[]; unchanged: string[] }>;
    },
    onSuccess: () =>
      queryClient
        .invalidateQueries({ queryKey: ['catalog-volumes'] })
        .then(() => queryClient.invalidateQueries({ queryKey: ['catalog-lessons'] })),
  });
  const exporting = useMutation({ mutationFn: download });
  const failed = importing.error instanceof ApiError ? importing.error : undefined;
  const rows = failed ? problemRows(failed.problems) : [];
  return (
    <>
      <h2>{t('catalog.import')}</h2>
      <p>{t('catalog.importIntro')}</p>
      <div className="form inline">
        <FileTrigger
          acceptedFileTypes={['.csv', '.json', 'text/csv', 'application/json']}
          onSelect={(files) => {
            const chosen = files?.[0];
            if (!chosen) return;
            setFile(chosen);
            importing.reset();
          }}
        >
          <Button>{t('catalog.chooseFile')}</Button>
        </FileTrigger>
        <span data-file>{file ? file.name : t('catalog.noFile')}</span>
        <Button isDisabled={!file || importing.isPending} onPress={() => file && importing.mutate(file)}>
          {importing.isPending ? t('catalog.importing') : t('catalog.importButton')}
        </Button>
      </div>
      {importing.isSuccess && (
        <p role="status" className="ok">
          {t('catalog.imported', {
            file: importing.data.file,
            lessons: importing.data.lessons,
            added: importing.data.added.length,
            updated: importing.data.updated.length,
            unchanged: importing.data.unchanged.length,
          })}
        </p>
      )}
      {failed && rows.length > 0 ? (
        <div role="alert" className="error">
          <p>{t('catalog.rejected', { message: failed.message })}</p>
          <table aria-label={t('catalog.problems')}>
            <thead>
              <tr>
                <th scope="col">{t('catalog.line')}</th>
                <th scope="col">{t('catalog.field')}</th>
                <th scope="col">{t('catalog.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-problem-line={r.line}>
                  <td>{r.line || t('catalog.wholeFile')}</td>
                  <td>{r.field && <code>{r.field}</code>}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <ErrorNotice error={importing.error} />
      )}
      <h2>{t('catalog.export')}</h2>
      <div className="form inline">
        <Button isDisabled={exporting.isPending} onPress={() => exporting.mutate('csv')}>
          {t('catalog.exportCsv')}
        </Button>
        <Button isDisabled={exporting.isPending} onPress={() => exporting.mutate('json')}>
          {t('catalog.exportJson')}
        </Button>
      </div>
      <ErrorNotice error={exporting.error} />
    </>
  );
}

/** Fetches the export with the token (a plain link would carry none) and hands it to the browser as a download. */
async function download(format: 'csv' | 'json'): Promise<void> {
  const text = await unwrap(api.GET('/api/admin/catalog/export', { params: { query: { format } }, parseAs: 'text' }));
  const blob = new Blob([text as string], { type: format === 'csv' ? 'text/csv' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `catalog.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
