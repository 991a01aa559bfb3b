/**
 * Ingest: drop lesson videos, caption sidecars (`*.vtt`) or pre-encoded renditions (`*.360p.mp4`); each file is
 * matched to a lesson by the id in its name, or one is chosen by hand (searchable), then uploaded with tus
 * (resumable, with progress and speed). A finished source becomes a packaging job, followed live (cancel, retry);
 * a packaged lesson plays here (hls.js, loaded on demand).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Button, DropZone, FileTrigger, Label, ProgressBar, Text } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { formatBytes, matchLesson, speedOf } from '../ingest-model';
import { localeOf } from '../i18n';
import { ErrorNotice } from '../ui';
import { JobCard, useLiveJobs, type LiveJobs } from './live-jobs';
import { LessonPicker } from './LessonPicker';
import { Player } from './Player';
import { useUploads, type FileEntry } from './use-uploads';
import './ingest.css';

/** The longest word of a file name (split at `.`, `_` and spaces): what the catalog is searched for. */
const searchWord = (name: string) =>
  name
    .split(/[._\s]+/)
    .filter((w) => w.length >= 3)
    .sort((a, b) => b.length - a.length)[0];

export default function Ingest() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const jobs = useLiveJobs();
  const matchOf = useCallback(
    async (file: File) => {
      const word = searchWord(file.name);
      if (!word) return undefined;
      const page = await queryClient.fetchQuery({
        queryKey: ['catalog-search', word, 50],
        queryFn: () => unwrap(api.GET('/api/admin/catalog/lessons', { params: { query: { q: word, limit: 50 } } })),
        staleTime: 60_000,
      });
      return matchLesson(
        file.name,
        page.lessons.map((l) => l.id),
      );
    },
    [queryClient],
  );
  const uploads = useUploads(matchOf);
  const add = (files: File[]) => {
    uploads.add(files);
    jobs.refresh();
  };

  return (
    <section aria-labelledby="ingest-title">
      <h1 id="ingest-title">{t('ingest.title')}</h1>
      <p>{t('ingest.intro')}</p>
      <DropZone
        className="react-aria-DropZone drop"
        aria-label={t('ingest.dropLabel')}
        getDropOperation={() => 'copy'}
        onDrop={async (event) => {
          const files = await Promise.all(
            event.items.filter((i) => i.kind === 'file').map((i) => (i as { getFile(): Promise<File> }).getFile()),
          );
          add(files);
        }}
      >
        <Text slot="label">{t('ingest.drop')}</Text>{' '}
        <FileTrigger allowsMultiple onSelect={(list) => list && add([...list])}>
          <Button>{t('ingest.choose')}</Button>
        </FileTrigger>
      </DropZone>
      <ErrorNotice error={jobs.error} />
      <p role="status" className="sr-only">
        {jobs.live ? t('jobs.live') : t('jobs.connecting')}
      </p>
      <ul className="uploads" aria-label={t('ingest.files')}>
        {uploads.entries.map((entry) => (
          <FileRow key={entry.key} entry={entry} uploads={uploads} jobs={jobs} />
        ))}
      </ul>
    </section>
  );
}

function FileRow({
  entry,
  uploads,
  jobs,
}: {
  entry: FileEntry;
  uploads: ReturnType<typeof useUploads>;
  jobs: LiveJobs;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const { file, phase } = entry;
  const percent = file.size ? (entry.sentBytes / file.size) * 100 : 100;
  const speed = speedOf(entry.samples);
  const jobId = entry.report?.jobId ?? undefined;
  const job = jobId === undefined ? undefined : jobs.jobs?.find((j) => j.id === jobId);
  const [playing, setPlaying] = useState(false);
  const roleText = entry.role.startsWith('caption:')
    ? t('ingest.roles.caption', { language: entry.role.slice(8) })
    : entry.role.startsWith('rendition:')
      ? t('ingest.roles.rendition', { rendition: entry.role.slice(10) })
      : t('ingest.roles.source');
  return (
    <li className="card upload" data-file={file.name} data-phase={phase}>
      <h2>{file.name}</h2>
      <p>
        {formatBytes(file.size, locale)} · {roleText}
        {entry.matched && entry.lessonId && <> · {t('ingest.matched', { lesson: entry.lessonId })}</>}
      </p>
      {phase === 'ready' || phase === 'failed' ? (
        <LessonPicker
          label={t('ingest.lesson', { file: file.name })}
          value={entry.lessonId}
          onChange={(id) => uploads.setLesson(entry.key, id)}
        />
      ) : (
        <p>{t('ingest.forLesson', { lesson: entry.lessonId })}</p>
      )}
      {(phase === 'uploading' || phase === 'paused') && (
        <ProgressBar value={percent} aria-label={t('ingest.progressOf', { file: file.name })}>
          <Label>
            {t('ingest.progress', {
              percent: Math.floor(percent),
              sent: formatBytes(entry.sentBytes, locale),
              total: formatBytes(file.size, locale),
            })}
            {speed !== undefined && phase === 'uploading' && (
              <> · {t('ingest.speed', { speed: formatBytes(speed, locale) })}</>
            )}
            {phase === 'paused' && <> · {t('ingest.paused')}</>}
          </Label>
          <div className="bar">
            <div className="fill" style={{ width: `${percent}%` }} />
          </div>
        </ProgressBar>
      )}
      {entry.resumedFromBytes !== undefined && entry.resumedFromBytes > 0 && (
        <p>{t('ingest.resumed', { sent: formatBytes(entry.resumedFromBytes, locale) })}</p>
      )}
      {entry.error && (
        <p role="alert" className="failing">
          {t('ingest.failed', { reason: entry.error })}
        </p>
      )}
      <div className="actions">
        {(phase === 'ready' || phase === 'failed') && (
          <Button isDisabled={!entry.lessonId} onPress={() => void uploads.start(entry)}>
            {t('ingest.upload', { file: file.name })}
          </Button>
        )}
        {phase === 'uploading' && (
          <Button onPress={() => uploads.pause(entry.key)}>{t('ingest.pause', { file: file.name })}</Button>
        )}
        {phase === 'paused' && (
          <Button onPress={() => uploads.resume(entry.key)}>{t('ingest.resume', { file: file.name })}</Button>
        )}
        {phase !== 'done' && (
          <Button onPress={() => void uploads.cancel(entry.key)}>{t('ingest.remove', { file: file.name })}</Button>
        )}
      </div>
      {entry.report && (
        <p data-report>
          {entry.report.jobId !== null ? t('ingest.becameJob', { id: entry.report.jobId }) : t('ingest.stored')}
          {entry.report.missing.length > 0 && <> · {t('ingest.missing', { what: entry.report.missing.join(', ') })}</>}
        </p>
      )}
      {job && (
        <ul className="jobs">
          <JobCard job={job} jobs={jobs}>
            {job.status === 'succeeded' && job.lessonId && (
              <Button onPress={() => setPlaying((p) => !p)}>
                {playing ? t('ingest.stop') : t('ingest.play', { lesson: job.lessonId })}
              </Button>
            )}
          </JobCard>
        </ul>
      )}
      {playing && job?.lessonId && (
        <Player
          src={`/vod/lessons/${encodeURIComponent(job.lessonId)}/master.m3u8`}
          label={t('ingest.playerLabel', { lesson: job.lessonId })}
        />
      )}
    </li>
  );
}
