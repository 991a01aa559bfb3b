/**
 * The ingest screen's files and their tus uploads (tus-js-client against /api/admin/uploads). Each file is sent
 * in chunks (a PATCH each, well under the server's request timeout however large the file), retried after
 * network errors, and resumable after a reload: the upload URL is kept in localStorage under a fingerprint of the
 * file and its destination (name, size, date, lesson, role), so dropping the same file again continues from the
 * offset the server acknowledged. When the last byte is stored, the upload's report names the packaging job it
 * became and what the lesson still lacks.
 */
import { useCallback, useRef, useState } from 'react';
import { Upload, type DetailedError } from 'tus-js-client';
import { api, unwrap, type Schemas } from '../api/client';
import { addSample, roleOfFile, type ProgressSample, type UploadRole } from '../ingest-model';
import { useSession } from '../session';

/** 16 MiB: a few seconds per request on a good link, well under the 5-minute request timeout on a slow one. */
export const CHUNK_BYTES = 16 * 1024 * 1024;

export type Phase = 'ready' | 'uploading' | 'paused' | 'done' | 'failed';

export interface FileEntry {
  key: string;
  file: File;
  role: UploadRole;
  lessonId: string | undefined;
  /** The lesson was found in the file name (not chosen by hand). */
  matched: boolean;
  phase: Phase;
  sentBytes: number;
  samples: ProgressSample[];
  /** Bytes the server already had when this upload resumed an earlier one. */
  resumedFromBytes?: number;
  error?: string;
  report?: Schemas['AdminUploadReport'];
}

/** The server's sentence from a failed tus request (the API's JSON error body), else the error's own text. */
function reasonOf(error: Error | DetailedError): string {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (response) {
    try {
      const body = JSON.parse(response.getBody()) as {
        error?: string;
        problems?: { field?: string; reason: string }[];
      };
      const problems = (body.problems ?? []).map((p) => `${p.field ?? '-'}: ${p.reason}`).join('; ');
      return `${response.getStatus()} ${body.error ?? ''}${problems ? ` (${problems})` : ''}`.trim();
    } catch {
      return `${response.getStatus()} ${response.getBody()}`.trim();
    }
  }
  return error.message;
}

export function useUploads(matchOf: (file: File) => Promise<string | undefined>) {
  const { session } = useSession();
  const [entries, setEntries] = useState<FileEntry[]>([]);
  const uploads = useRef(new Map<string, Upload>());
  const update = useCallback((key: string, change: (e: FileEntry) => Partial<FileEntry>) => {
    setEntries((all) => all.map((e) => (e.key === key ? { ...e, ...change(e) } : e)));
  }, []);

  const add = useCallback(
    (files: File[]) => {
      const added = files.map((file): FileEntry => ({
        key: `${file.name}|${file.size}|${file.lastModified}|${Math.random().toString(36).slice(2)}`,
        file,
        role: roleOfFile(file.name),
        lessonId: undefined,
        matched: false,
        phase: 'ready',
        sentBytes: 0,
        samples: [],
      }));
      setEntries((all) => [...all, ...added]);
      for (const entry of added)
        void matchOf(entry.file).then((lessonId) => {
          if (lessonId) update(entry.key, (e) => (e.lessonId ? {} : { lessonId, matched: true }));
        });
    },
    [matchOf, update],
  );

  const finished = useCallback(
    async (key: string, upload: Upload) => {
      const id = decodeURIComponent(upload.url?.split('/').pop() ?? '');
      try {
        const report = await unwrap(api.GET('/api/admin/uploads/{id}', { params: { path: { id } } }));
        update(key, () => ({ phase: 'done', report }));
      } catch (error) {
        update(key, () => ({ phase: 'done', error: error instanceof Error ? error.message : String(error) }));
      }
    },
    [update],
  );

  const start = useCallback(
    async (entry: FileEntry) => {
      if (!session || !entry.lessonId) return;
      const { lessonId, role, file, key } = entry;
      const upload = new Upload(file, {
        endpoint: `${window.location.origin}/api/admin/uploads`,
        chunkSize: CHUNK_BYTES,
        retryDelays: [0, 1000, 3000, 5000, 10_000],
        headers: { Authorization: `Bearer ${session.token}` },
        metadata: { lessonId, role, filename: file.name },
        // The same bytes for another lesson or role are another upload.
        fingerprint: async () => ['aerial-upload', file.name, file.size, file.lastModified, lessonId, role].join('|'),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (sentBytes) =>
          update(key, (e) => ({
            sentBytes,
            samples: addSample(e.samples, { atMs: performance.now(), bytes: sentBytes }),
          })),
        onSuccess: () => void finished(key, upload),
        onError: (error) => update(key, () => ({ phase: 'failed', error: reasonOf(error) })),
        // A resumed upload asks the server how much it has (HEAD → Upload-Offset) before sending the rest.
        onAfterResponse: (request, response) => {
          const offset = request.getMethod() === 'HEAD' ? response.getHeader('Upload-Offset') : undefined;
          if (offset) update(key, () => ({ resumedFromBytes: Number(offset) }));
        },
      });
      uploads.current.set(key, upload);
      update(key, () => ({ phase: 'uploading', error: undefined, samples: [] }));
      const previous = await upload.findPreviousUploads();
      const resumable = previous.find((p) => p.uploadUrl);
      if (resumable) upload.resumeFromPreviousUpload(resumable);
      upload.start();
    },
    [session, update, finished],
  );

  const pause = useCallback(
    (key: string) => {
      void uploads.current.get(key)?.abort();
      update(key, () => ({ phase: 'paused' }));
    },
    [update],
  );
  const resume = useCallback(
    (key: string) => {
      uploads.current.get(key)?.start();
      update(key, () => ({ phase: 'uploading', error: undefined }));
    },
    [update],
  );
  /** Stops an upload and has the server drop its bytes (tus termination); the file leaves the list. */
  const cancel = useCallback(async (key: string) => {
    const upload = uploads.current.get(key);
    uploads.current.delete(key);
    if (upload?.url) await upload.abort(true).catch(() => undefined);
    else await upload?.abort();
    setEntries((all) => all.filter((e) => e.key !== key));
  }, []);
  const setLesson = useCallback(
    (key: string, lessonId: string | undefined) => update(key, () => ({ lessonId, matched: false })),
    [update],
  );
  return { entries, add, start, pause, resume, cancel, setLesson };
}
