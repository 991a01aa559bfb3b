/**
 * Packaging jobs kept current by the job event stream, shared by the jobs screen and the ingest screen: the
 * list (GET /api/admin/packaging-jobs) is refreshed by the Server-Sent Events of
 * /api/admin/packaging-jobs/events (read with fetch so that the token goes in the Authorization header, resumed
 * from the last event id after a drop); progress events move the bars without a refetch. A job's card offers
 * cancel (queued or running) and retry (failed or cancelled); both are audited by the API.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Label, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useSession } from '../session';

export type Job = Schemas['AdminPackagingJob'];

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

export interface LiveJobs {
  jobs: Job[] | undefined;
  error: unknown;
  /** The event stream is connected. */
  live: boolean;
  /** Percent of running jobs from the progress events (newer than the list). */
  percent: Record<number, number>;
  cancel(id: number): void;
  retry(id: number): void;
  /** The list is refetched (e.g. after an upload made a job). */
  refresh(): void;
}

export function useLiveJobs(): LiveJobs {
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState<Record<number, number>>({});
  const list = useQuery({
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
  return {
    jobs: list.data?.jobs,
    error: list.error ?? cancel.error ?? retry.error,
    live,
    percent,
    cancel: (id) => cancel.mutate(id),
    retry: (id) => retry.mutate(id),
    refresh,
  };
}

/** One job: what it packages, its state, a progress bar while it runs, its failure reason, cancel or retry. */
export function JobCard({ job, jobs, children }: { job: Job; jobs: LiveJobs; children?: ReactNode }) {
  const { t } = useTranslation();
  const id = job.id!;
  const value = job.status === 'running' ? (jobs.percent[id] ?? (job.progress ?? 0) * 100) : undefined;
  return (
    <li className="card" data-job={id}>
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
        <Button onPress={() => jobs.cancel(id)}>{t('jobs.cancel', { id })}</Button>
      )}
      {(job.status === 'failed' || job.status === 'cancelled') && (
        <Button onPress={() => jobs.retry(id)}>{t('jobs.retry', { id })}</Button>
      )}
      {children}
    </li>
  );
}
