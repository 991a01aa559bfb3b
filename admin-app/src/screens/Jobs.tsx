/**
 * Packaging jobs with live progress: the list (GET /api/admin/packaging-jobs) is refreshed by the job event
 * stream (Server-Sent Events, read with fetch so that the token goes in the Authorization header, resumed
 * from the last event id after a drop); progress events move the bars without a refetch. Cancel a queued or
 * running job, retry a failed or cancelled one (both audited).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Label, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useSession } from '../session';
import { ErrorNotice } from '../ui';

interface JobEvent {
  id: number;
  type: string;
  data: { jobId?: number; percent?: number };
}

/** Splits an SSE text buffer into complete events; returns them and the unfinished rest. */
export function parseSse(buffer: string): { events: JobEvent[]; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: JobEvent[] = [];
  for (const block of blocks) {
    const fields = Object.fromEntries(
      block
        .split('\n')
        .filter((line) => line && !line.startsWith(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    ) as Record<string, string>;
    if (fields.id && fields.event && fields.data)
      events.push({ id: Number(fields.id), type: fields.event, data: JSON.parse(fields.data) as JobEvent['data'] });
  }
  return { events, rest };
}

function useJobEvents(onEvent: (event: JobEvent) => void): boolean {
  const { session } = useSession();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!session) return;
    const abort = new AbortController();
    let lastId: number | undefined;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const response = await fetch('/api/admin/packaging-jobs/events', {
            headers: {
              Authorization: `Bearer ${session.token}`,
              ...(lastId ? { 'Last-Event-ID': String(lastId) } : {}),
            },
            signal: abort.signal,
          });
          if (!response.ok || !response.body) throw new Error(String(response.status));
          setLive(true);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            const parsed = parseSse(buffer + chunk.value);
            buffer = parsed.rest;
            for (const event of parsed.events) {
              lastId = event.id;
              onEvent(event);
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        setLive(false);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    void run();
    return () => abort.abort();
  }, [session, onEvent]);
  return live;
}

export default function Jobs() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState<Record<number, number>>({});
  const jobs = useQuery({
    queryKey: ['jobs'],
    queryFn: () => unwrap(api.GET('/api/admin/packaging-jobs', { params: { query: { limit: 50 } } })),
  });
  const [onEvent] = useState(() => (event: JobEvent) => {
    const jobId = event.data.jobId;
    if (event.type === 'progress' && jobId !== undefined && typeof event.data.percent === 'number') {
      setPercent((p) => ({ ...p, [jobId]: event.data.percent! }));
    } else {
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    }
  });
  const live = useJobEvents(onEvent);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['jobs'] });
  const cancel = useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/api/admin/packaging-jobs/{id}/cancel', { params: { path: { id: String(id) } } })),
    onSuccess: refresh,
  });
  const retry = useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/api/admin/packaging-jobs/{id}/retry', { params: { path: { id: String(id) } } })),
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">{t('jobs.title')}</h1>
      <p role="status">{live ? t('jobs.live') : t('jobs.connecting')}</p>
      <ErrorNotice error={jobs.error ?? cancel.error ?? retry.error} />
      {jobs.data && jobs.data.jobs.length === 0 && <p>{t('common.none')}</p>}
      <ul className="jobs">
        {jobs.data?.jobs.map((job) => {
          const id = job.id!;
          const value = job.status === 'running' ? (percent[id] ?? (job.progress ?? 0) * 100) : undefined;
          return (
            <li key={id} className="card" data-job={id}>
              <strong>{t('jobs.job', { id, lesson: job.lessonId ?? job.fillerId })}</strong> ·{' '}
              <span data-status>{t(`jobs.status.${job.status ?? 'queued'}`)}</span>
              {value !== undefined && (
                <ProgressBar value={value}>
                  <Label>{t('jobs.progress', { percent: Math.round(value) })}</Label>
                  <div className="bar">
                    <div className="fill" style={{ width: `${value}%` }} />
                  </div>
                </ProgressBar>
              )}
              {job.error && <p className="failing">{job.error}</p>}
              {(job.status === 'queued' || job.status === 'running') && (
                <Button onPress={() => cancel.mutate(id)}>{t('jobs.cancel', { id })}</Button>
              )}
              {(job.status === 'failed' || job.status === 'cancelled') && (
                <Button onPress={() => retry.mutate(id)}>{t('jobs.retry', { id })}</Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
