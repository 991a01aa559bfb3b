import type { OpenApiFragment } from '../openapi-fragment.ts';
import { errorResponse as error, schemaRef as ref } from '../openapi-errors.ts';

/**
 * Ingest routes as a fragment of /openapi.json: the tus upload endpoints (/api/admin/uploads, tus 1.0.0
 * core + creation, creation-with-upload, termination), an upload's report, the packaging jobs' event stream
 * and the cancel/retry actions.
 */

const AUTH_ERRORS = {
  '401': error('No token, or an unknown or revoked one (WWW-Authenticate: Bearer)'),
  '403': error('The token lacks the role this route needs'),
};
const TUS_RESUMABLE = {
  name: 'Tus-Resumable',
  in: 'header',
  required: true,
  schema: { const: '1.0.0' },
  description: 'tus protocol version',
};
const UPLOAD_ID = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Upload id (last segment of the Location of the creation answer)',
};
const JOB_ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Job id' };
const header = (description: string, schema: unknown = { type: 'string' }) => ({ description, schema });
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });

function op(operationId: string, summary: string, responses: Record<string, unknown>, extra: object = {}) {
  return {
    operationId,
    tags: ['admin'],
    summary: `${summary} (role: editor)`,
    security: [{ bearerAuth: [] }],
    ...extra,
    responses: { ...responses, ...AUTH_ERRORS },
  };
}

const UPLOAD_METADATA =
  'tus Upload-Metadata: comma-separated `key base64(value)` pairs. Keys: `lessonId` (or `assetId` for a ' +
  'filler or the slate), `role` (`source`, `caption:<lang>`, `rendition:<name>`), `filename`. Other keys ' +
  'are ignored (Uppy adds its own). A finished `source` upload becomes a packaging job: for its lesson, or ' +
  'for its `assetId` (the slate when that id is `slate`, else a filler titled by the file name).';

const UPLOADS_PATHS = {
  '/api/admin/uploads': {
    options: {
      operationId: 'tusOptions',
      tags: ['admin'],
      summary: 'tus capability discovery: version, extensions (no token needed)',
      responses: {
        '204': {
          description: 'Supported tus protocol',
          headers: { 'Tus-Version': header('1.0.0'), 'Tus-Extension': header('creation, …, termination') },
        },
      },
    },
    post: op(
      'tusCreateUpload',
      'tus creation: start a resumable upload (optionally with its first bytes: creation-with-upload)',
      {
        '201': {
          description: 'Created; PATCH the bytes to Location',
          headers: { Location: header('/api/admin/uploads/{id}'), 'Upload-Offset': header('Bytes stored') },
        },
        '400': error('Missing or unknown metadata value (the problem names the key), or no Upload-Length'),
        '412': { description: 'Tus-Resumable missing or unsupported' },
        '413': error('Upload-Length over the limit (AERIAL_MAX_UPLOAD_BYTES, default 20 GB); the limit is named'),
        '507': error('Not enough free disk space for Upload-Length; the free space is named'),
      },
      {
        parameters: [
          TUS_RESUMABLE,
          { name: 'Upload-Length', in: 'header', required: true, schema: { type: 'integer', minimum: 0 } },
          {
            name: 'Upload-Metadata',
            in: 'header',
            required: true,
            schema: { type: 'string' },
            description: UPLOAD_METADATA,
          },
        ],
      },
    ),
  },
  '/api/admin/uploads/{id}': {
    head: op(
      'tusUploadOffset',
      'tus: how many bytes the server has (resume from Upload-Offset)',
      {
        '200': {
          description: 'Offset and length',
          headers: { 'Upload-Offset': header('Bytes stored'), 'Upload-Length': header('Total bytes') },
        },
        '404': { description: 'Unknown, finished, or expired (abandoned for 24 h) upload' },
      },
      { parameters: [UPLOAD_ID, TUS_RESUMABLE] },
    ),
    patch: op(
      'tusAppend',
      'tus: append bytes at Upload-Offset; the last ones place the file (a source becomes a packaging job)',
      {
        '204': {
          description: 'Stored',
          headers: {
            'Upload-Offset': header('New offset'),
            'Aerial-Packaging-Job': header('The job a finished source became', { type: 'integer' }),
          },
        },
        '400': error('A finished caption that is not valid WebVTT (file, line, reason)'),
        '404': error('Unknown, finished or expired upload'),
        '409': { description: 'Upload-Offset differs from the server’s (HEAD, then resume)' },
        '415': error('A finished source that is not a usable video (probed by content): the job is failed'),
      },
      {
        parameters: [
          UPLOAD_ID,
          TUS_RESUMABLE,
          { name: 'Upload-Offset', in: 'header', required: true, schema: { type: 'integer' } },
        ],
        requestBody: {
          required: true,
          content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
      },
    ),
    delete: op(
      'tusTerminate',
      'tus termination: abandon an unfinished upload and remove its bytes',
      { '204': { description: 'Removed' }, '404': error('Unknown upload') },
      { parameters: [UPLOAD_ID, TUS_RESUMABLE] },
    ),
    get: op(
      'adminUploadReport',
      'What an upload became (its job) and what its lesson still lacks (not a tus route)',
      { '200': json('Report', ref('AdminUploadReport')), '404': error('Unknown upload') },
      { parameters: [UPLOAD_ID] },
    ),
  },
};

const JOB_ACTION_PATHS = {
  '/api/admin/packaging-jobs/events': {
    get: op(
      'adminPackagingJobEvents',
      'Server-Sent Events of every job: queued and started (lessonId, or fillerId), progress (percent, speed × real time, ETA s), ' +
        'succeeded (assetId, durationS), failed (reason), cancelled. Each event has an id; reconnecting with ' +
        'Last-Event-ID (or ?lastEventId=) replays what was missed; without one the stream starts now',
      {
        '200': {
          description: 'text/event-stream: `id: <n>`, `event: <type>`, `data: {"jobId":…,"atMs":…,…}`',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '400': error('Last-Event-ID is not a whole number'),
      },
      {
        parameters: [
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' } },
        ],
      },
    ),
  },
  '/api/admin/packaging-jobs/{id}/cancel': {
    post: op(
      'adminCancelPackagingJob',
      'Cancel a queued or running job: ffmpeg is stopped, its temp dir removed, the lesson left as it was',
      {
        '200': json('Cancelled job', ref('AdminPackagingJob')),
        '404': error('Unknown job'),
        '409': error('Already finished (or it finished before it could be stopped)'),
      },
      { parameters: [JOB_ID] },
    ),
  },
  '/api/admin/packaging-jobs/{id}/retry': {
    post: op(
      'adminRetryPackagingJob',
      'Re-queue a failed or cancelled job',
      {
        '202': json('Queued job', ref('AdminPackagingJob')),
        '404': error('Unknown job'),
        '409': error('Not failed or cancelled'),
      },
      { parameters: [JOB_ID] },
    ),
  },
};

const UPLOAD_REPORT = {
  type: 'object',
  required: ['id', 'role', 'filename', 'sizeBytes', 'createdAt', 'completedAt', 'jobId', 'missing', 'next'],
  properties: {
    id: { type: 'string' },
    lessonId: { type: ['string', 'null'] },
    assetId: { type: ['string', 'null'] },
    role: { type: 'string' },
    filename: { type: 'string' },
    sizeBytes: { type: 'integer' },
    createdAt: { type: 'integer', description: 'UTC epoch ms' },
    completedAt: { type: ['integer', 'null'] },
    jobId: { type: ['integer', 'null'] },
    missing: {
      type: 'array',
      items: { type: 'string' },
      description: 'Caption languages the catalog lists without a sidecar, or renditions not uploaded yet',
    },
    next: { type: 'string', description: 'What happens next, in a sentence' },
  },
};

/** The uploads and job-action routes of the admin API. */
export function ingestOpenApiFragment(): OpenApiFragment {
  return {
    paths: { ...UPLOADS_PATHS, ...JOB_ACTION_PATHS },
    components: { schemas: { AdminUploadReport: UPLOAD_REPORT } },
  };
}
