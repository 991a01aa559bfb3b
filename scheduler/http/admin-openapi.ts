import { z } from 'zod';
import { auditQuerySchema } from '../admin/audit.ts';
import { enqueueBodySchema } from '../admin/packaging-queue.ts';
import { previewRequestSchema } from '../admin/schedule-changes.ts';
import {
  calendarSchema,
  channelSchema,
  overrideSchema,
  suspensionSchema,
  weeklyTimetableSchema,
} from '../schedule/channel-document.ts';
import { ERROR_SCHEMAS, errorResponse as error, schemaRef as ref } from './openapi-errors.ts';
import type { OpenApiFragment } from './openapi-fragment.ts';
import { HEALTH_FACT_CODES } from './health.ts';

/**
 * The admin API (/api/admin/…), /metrics and the bearer scheme, as a fragment of /openapi.json.
 * Request bodies are generated from the same zod schemas that validate them, so the document cannot
 * drift from what the server accepts.
 */

/** JSON Schema of a zod schema as input (defaults optional), without the top-level `$schema`. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const json = (description: string, schema: unknown = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: unknown, required = true) => ({ required, content: { 'application/json': { schema } } });
const param = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

/** Every admin operation answers these besides its own. */
const AUTH_ERRORS = {
  '401': error('No token, or an unknown or revoked one (WWW-Authenticate: Bearer)'),
  '403': error('The token lacks the role this route needs'),
};
const WRITE_ERRORS = {
  '400': error('Invalid body: every problem names the field and the reason; nothing was changed'),
  '413': error('Body larger than 1 MB (catalog: 10 MB)'),
  '415': error('Wrong Content-Type'),
};

function op(
  operationId: string,
  summary: string,
  role: 'editor' | 'admin',
  responses: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    operationId,
    tags: ['admin'],
    summary: `${summary} (role: ${role})`,
    security: [{ bearerAuth: [] }],
    ...extra,
    responses: { ...responses, ...AUTH_ERRORS },
  };
}

const SCHEMAS = {
  AdminChannel: jsonSchema(channelSchema),
  AdminWeeklyTimetable: jsonSchema(weeklyTimetableSchema),
  AdminCalendar: jsonSchema(calendarSchema),
  AdminOverride: jsonSchema(overrideSchema),
  AdminSuspensionOrder: {
    ...jsonSchema(suspensionSchema),
    description: '`id` may be left out on POST (made from `from`); name `channels` and/or `regions`',
  },
  AdminPreviewRequest: jsonSchema(previewRequestSchema),
  AdminPackagingJobRequest: jsonSchema(enqueueBodySchema),
  AdminTokenRequest: {
    type: 'object',
    required: ['name', 'role'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, role: { enum: ['editor', 'admin'] } },
    additionalProperties: false,
  },
  AdminPackagingJob: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      lessonId: { type: ['string', 'null'], description: 'The lesson packaged (null: a filler or the slate)' },
      fillerId: {
        type: ['string', 'null'],
        description: 'The filler or slate asset packaged (an upload with assetId)',
      },
      source: { type: ['string', 'null'] },
      ladder: { type: 'string' },
      status: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
      progress: { type: 'number', minimum: 0, maximum: 1 },
      requestedBy: { type: 'string' },
      createdAt: { type: 'integer', description: 'epoch ms' },
      startedAt: { type: ['integer', 'null'] },
      finishedAt: { type: ['integer', 'null'] },
      assetId: { type: ['string', 'null'] },
      error: { type: ['string', 'null'] },
      posterAt: {
        type: ['string', 'null'],
        description: 'Where the poster frame is taken, as asked (30s, 25%); null: the default, 10% in',
      },
    },
  },
  AdminSwitchResult: {
    type: 'object',
    description: 'What a suspension order change republished, per channel',
    properties: {
      order: ref('AdminSuspensionOrder'),
      action: { enum: ['created', 'updated', 'lifted'] },
      nowMs: { type: 'integer' },
      channels: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            channelId: { type: 'string' },
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            firstChangedStartMs: {
              type: 'integer',
              description: 'Start of the first item that differs from what was published',
            },
            versionsWritten: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  date: { type: 'string' },
                  version: { type: 'integer' },
                  timetable: { type: 'string' },
                  notice: { type: 'string' },
                },
              },
            },
            frozenItems: {
              type: 'integer',
              description: "Items of today's day kept because they start before now + guard",
            },
          },
        },
      },
    },
  },
  AdminPreview: {
    type: 'object',
    description:
      'A build preview: per channel-day what a publish at nowMs would change (items added, removed, moved) and the warnings',
    required: ['id', 'createdAt', 'nowMs', 'guardMs', 'request', 'changedDays', 'days'],
    properties: {
      id: { type: 'string' },
      createdAt: { type: 'integer' },
      nowMs: { type: 'integer' },
      guardMs: { type: 'integer' },
      request: {
        type: 'object',
        required: ['channels', 'from', 'days'],
        properties: {
          channels: { type: 'array', items: { type: 'string' } },
          from: { type: 'string', format: 'date' },
          days: { type: 'integer' },
        },
      },
      changedDays: { type: 'integer' },
      days: { type: 'array', items: ref('AdminDayDiff') },
      publishedAt: { type: 'integer' },
    },
  },
  AdminItemRef: {
    type: 'object',
    required: ['id', 'kind', 'title', 'startMs', 'durationMs'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string' },
      title: { type: 'string', description: 'Chinese title' },
      startMs: { type: 'integer' },
      durationMs: { type: 'integer' },
    },
  },
  AdminDayDiff: {
    type: 'object',
    description: 'One channel-day of a preview: what a publish would change against the published version',
    required: ['channelId', 'date', 'outcome', 'publishedVersion', 'timetable', 'frozenItems', 'added', 'removed'],
    properties: {
      channelId: { type: 'string' },
      date: { type: 'string', format: 'date' },
      outcome: { enum: ['new-version', 'unchanged', 'aired'] },
      publishedVersion: { type: 'integer', description: '0: none published' },
      nextVersion: { type: 'integer' },
      timetable: { type: 'string' },
      notice: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
      frozenItems: { type: 'integer', description: 'Items kept because they start before now + guard' },
      added: { type: 'array', items: ref('AdminItemRef') },
      removed: { type: 'array', items: ref('AdminItemRef') },
      moved: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'title', 'fromStartMs', 'toStartMs', 'fromDurationMs', 'toDurationMs'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            fromStartMs: { type: 'integer' },
            toStartMs: { type: 'integer' },
            fromDurationMs: { type: 'integer' },
            toDurationMs: { type: 'integer' },
          },
        },
      },
      warnings: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            slotId: { type: 'string' },
            lessonId: { type: 'string' },
          },
        },
      },
    },
  },
  AdminPublishResult: {
    type: 'object',
    required: ['preview', 'publishedAt', 'written'],
    properties: {
      preview: { type: 'string' },
      publishedAt: { type: 'integer' },
      written: {
        type: 'array',
        items: {
          type: 'object',
          required: ['channelId', 'date', 'version'],
          properties: {
            channelId: { type: 'string' },
            date: { type: 'string', format: 'date' },
            version: { type: 'integer' },
            previousVersion: { type: 'integer' },
          },
        },
      },
    },
  },
  AdminToken: {
    type: 'object',
    required: ['id', 'name', 'role', 'createdAt', 'revokedAt'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      role: { enum: ['editor', 'admin'] },
      createdAt: { type: 'integer' },
      revokedAt: { type: ['integer', 'null'] },
    },
  },
  HealthFacts: {
    type: 'object',
    description:
      'What a check found, as data for a console to word in its language (the detail says it in English). ' +
      'database-writable | database-not-writable {error}; media-readable {path, entries} | media-unreadable ' +
      '{path, error}; horizon-published {channels, days} | horizon-short {short, days}; cron-skipped | ' +
      'cron-zones-unscheduled {zones} | cron-silent {atMs: last run or start} | cron-started {zones, atMs} | ' +
      'cron-last-run {atMs}; preparing {source, items, remaining, total}; an edge origin: store-read | ' +
      'store-not-read | store-failing (serving what it read), on-air {channels, atMs: published until} | ' +
      'off-air {channelIds}',
    required: ['code'],
    properties: {
      code: { enum: [...HEALTH_FACT_CODES] },
      path: { type: 'string' },
      entries: { type: 'integer', minimum: 0 },
      error: { type: 'string', description: "The system's error (code or message), as it said it" },
      channels: { type: 'integer', minimum: 0 },
      days: { type: 'integer', minimum: 1 },
      short: {
        type: 'array',
        items: {
          type: 'object',
          required: ['channelId', 'first', 'last', 'from', 'to'],
          properties: {
            channelId: { type: 'string' },
            first: { type: ['string', 'null'], format: 'date', description: 'First published date (null: none)' },
            last: { type: ['string', 'null'], format: 'date' },
            from: { type: 'string', format: 'date', description: 'The horizon it needs: today…' },
            to: { type: 'string', format: 'date', description: '…to today + days − 1' },
          },
          additionalProperties: false,
        },
      },
      zones: { type: 'array', items: { type: 'string' } },
      channelIds: { type: 'array', items: { type: 'string' } },
      atMs: { type: 'integer', description: 'epoch ms' },
      source: { type: 'string' },
      items: { enum: ['lesson-videos', 'media'] },
      remaining: { type: 'integer', minimum: 0 },
      total: { type: 'integer', minimum: 0 },
    },
    additionalProperties: false,
  },
  HealthReport: {
    type: 'object',
    required: ['status', 'checkedAt', 'checks'],
    properties: {
      status: { enum: ['ok', 'failing'] },
      checkedAt: { type: 'string', format: 'date-time' },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'ok', 'detail', 'facts'],
          properties: {
            name: { enum: ['database', 'media', 'published-horizon', 'cron', 'preparing', 'store'] },
            ok: { type: 'boolean' },
            detail: { type: 'string', description: 'What the check found, in English (for monitoring tools)' },
            facts: ref('HealthFacts'),
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  AdminAuditEntry: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      atMs: { type: 'integer' },
      actor: { type: 'string', description: 'Token name' },
      role: { type: 'string' },
      method: { type: 'string' },
      route: { type: 'string', description: 'Route pattern, e.g. /api/admin/channels/:id' },
      summary: { type: 'string' },
      before: { type: 'array', items: { type: 'string' } },
      after: { type: 'array', items: { type: 'string' } },
    },
  },
};

const auditParameters = Object.entries((jsonSchema(auditQuerySchema).properties ?? {}) as Record<string, unknown>).map(
  ([name, schema]) => ({ name, in: 'query', required: false, schema }),
);

const FRAGMENT: OpenApiFragment = {
  tags: [
    {
      name: 'admin',
      description:
        'Broadcaster operations: Bearer token with role editor (programming) or admin (also channels and tokens). Every mutation is audited.',
    },
  ],
  security: [],
  components: {
    schemas: { ...ERROR_SCHEMAS, ...SCHEMAS },
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'Token from `aerial token create --role editor|admin --name NAME`',
      },
    },
  },
  paths: {
    '/api/admin/channels': {
      get: op('adminListChannels', 'List channels with their timetables', 'editor', {
        '200': json('Channels', {
          type: 'object',
          required: ['channels'],
          properties: { channels: { type: 'array', items: ref('AdminChannel') } },
        }),
      }),
    },
    '/api/admin/channels/{id}': {
      parameters: [param('id', 'Channel id')],
      get: op('adminGetChannel', 'A channel', 'editor', {
        '200': json('Channel', ref('AdminChannel')),
        '404': error('Unknown channel'),
      }),
      put: op(
        'adminPutChannel',
        'Create or replace a channel (timetables included), validated as `aerial channels import`',
        'admin',
        { '200': json('Stored channel', ref('AdminChannel')), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminChannel')) },
      ),
      delete: op('adminDeleteChannel', 'Delete a channel that was never published', 'admin', {
        '200': json('Deleted'),
        '404': error('Unknown channel'),
        '409': error('Published history or suspension orders refer to it'),
      }),
    },
    '/api/admin/channels/{id}/timetables': {
      parameters: [param('id', 'Channel id')],
      get: op('adminListTimetables', 'Names of a channel’s timetables', 'editor', {
        '200': json('Names'),
        '404': error('Unknown channel'),
      }),
    },
    '/api/admin/channels/{id}/timetables/{name}': {
      parameters: [param('id', 'Channel id'), param('name', 'Timetable name: term, holiday, suspension or another')],
      get: op('adminGetTimetable', 'A weekly timetable', 'editor', {
        '200': json('Timetable', ref('AdminWeeklyTimetable')),
        '404': error('Unknown channel or timetable'),
      }),
      put: op(
        'adminPutTimetable',
        'Create or replace a weekly timetable (slots ascending, no overlaps)',
        'editor',
        {
          '200': json('Stored timetable', ref('AdminWeeklyTimetable')),
          '404': error('Unknown channel'),
          ...WRITE_ERRORS,
        },
        { requestBody: body(ref('AdminWeeklyTimetable')) },
      ),
      delete: op('adminDeleteTimetable', 'Delete a timetable (term, holiday and suspension are required)', 'editor', {
        '200': json('Deleted'),
        '400': error('A required timetable'),
        '404': error('Unknown channel or timetable'),
      }),
    },
    '/api/admin/calendars': {
      get: op('adminListCalendars', 'School calendars by region', 'editor', {
        '200': json('Calendars', {
          type: 'object',
          required: ['calendars'],
          properties: { calendars: { type: 'array', items: ref('AdminCalendar') } },
        }),
      }),
    },
    '/api/admin/calendars/{region}': {
      parameters: [param('region', 'Region')],
      get: op('adminGetCalendar', 'A region’s school calendar', 'editor', {
        '200': json('Calendar', ref('AdminCalendar')),
        '404': error('No calendar'),
      }),
      put: op(
        'adminPutCalendar',
        'Create or replace a region’s calendar (terms, holidays, make-up days)',
        'editor',
        { '200': json('Stored calendar', ref('AdminCalendar')), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminCalendar')) },
      ),
      delete: op('adminDeleteCalendar', 'Delete a calendar', 'editor', {
        '200': json('Deleted'),
        '404': error('No calendar'),
      }),
    },
    '/api/admin/overrides': {
      get: op(
        'adminListOverrides',
        'Per-date overrides',
        'editor',
        {
          '200': json('Overrides', {
            type: 'object',
            required: ['overrides'],
            properties: { overrides: { type: 'array', items: ref('AdminOverride') } },
          }),
        },
        { parameters: [{ name: 'channel', in: 'query', required: false, schema: { type: 'string' } }] },
      ),
      post: op(
        'adminCreateOverride',
        'Create an override (replace a slot, or insert a programme, on one date)',
        'editor',
        { '201': json('Created', ref('AdminOverride')), '409': error('The id exists'), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminOverride')) },
      ),
    },
    '/api/admin/overrides/{id}': {
      parameters: [param('id', 'Override id')],
      get: op('adminGetOverride', 'An override', 'editor', {
        '200': json('Override', ref('AdminOverride')),
        '404': error('Unknown override'),
      }),
      put: op(
        'adminPutOverride',
        'Create or replace an override',
        'editor',
        { '200': json('Stored', ref('AdminOverride')), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminOverride')) },
      ),
      delete: op('adminDeleteOverride', 'Delete an override', 'editor', {
        '200': json('Deleted'),
        '404': error('Unknown override'),
      }),
    },
    '/api/admin/suspensions': {
      get: op('adminListSuspensions', 'Class-suspension orders', 'editor', {
        '200': json('Orders', {
          type: 'object',
          required: ['suspensions'],
          properties: { suspensions: { type: 'array', items: ref('AdminSuspensionOrder') } },
        }),
      }),
      post: op(
        'adminCreateSuspension',
        'Class suspension in one call: store the order, then republish every affected channel-day at now (today from now + guard; the airing programme is kept; later days rebuilt); the notice appears in /api/notices, XMLTV and the guide',
        'editor',
        {
          '201': json('What changed per channel', ref('AdminSwitchResult')),
          '409': error('The id exists'),
          ...WRITE_ERRORS,
        },
        { requestBody: body(ref('AdminSuspensionOrder')) },
      ),
    },
    '/api/admin/suspensions/{id}': {
      parameters: [param('id', 'Order id')],
      get: op('adminGetSuspension', 'A suspension order', 'editor', {
        '200': json('Order', ref('AdminSuspensionOrder')),
        '404': error('Unknown order'),
      }),
      put: op(
        'adminPutSuspension',
        'Change an order (dates, channels, regions, notice) and republish both the old and new days',
        'editor',
        { '200': json('What changed', ref('AdminSwitchResult')), '404': error('Unknown order'), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminSuspensionOrder')) },
      ),
      delete: op(
        'adminLiftSuspension',
        'Lift an order: switch its days back (today from now + guard) and republish',
        'editor',
        { '200': json('What changed', ref('AdminSwitchResult')), '404': error('Unknown order') },
      ),
    },
    '/api/admin/catalog/import': {
      post: op(
        'adminImportCatalog',
        'Import a curriculum catalog (CSV with a header row, or JSON), all or nothing; every bad row is reported with its line',
        'editor',
        { '200': json('Import report (added, updated, unchanged ids)'), ...WRITE_ERRORS },
        {
          parameters: [
            {
              name: 'name',
              in: 'query',
              required: false,
              description: 'Label used in messages, e.g. grade3.csv',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/json': { schema: { type: ['object', 'array'] } },
            },
          },
        },
      ),
    },
    '/api/admin/packaging-jobs': {
      get: op(
        'adminListPackagingJobs',
        'Packaging jobs, newest first, with the queue depth and concurrency',
        'editor',
        {
          '200': json('Jobs, newest first, with the queue depth and concurrency', {
            type: 'object',
            required: ['jobs', 'concurrency'],
            properties: {
              jobs: { type: 'array', items: ref('AdminPackagingJob') },
              concurrency: { type: 'integer' },
              queued: { type: 'integer' },
              running: { type: 'integer' },
            },
          }),
        },
        {
          parameters: [
            {
              name: 'status',
              in: 'query',
              required: false,
              schema: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          ],
        },
      ),
      post: op(
        'adminEnqueuePackagingJob',
        'Enqueue the packaging of a lesson (persisted; at most N ffmpeg processes at once)',
        'editor',
        { '202': json('Queued job', ref('AdminPackagingJob')), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminPackagingJobRequest')) },
      ),
    },
    '/api/admin/packaging-jobs/{id}': {
      parameters: [param('id', 'Job id')],
      get: op('adminGetPackagingJob', 'A job’s status and progress', 'editor', {
        '200': json('Job', ref('AdminPackagingJob')),
        '404': error('Unknown job'),
      }),
    },
    '/api/admin/previews': {
      post: op(
        'adminCreatePreview',
        'Build channel-days without publishing; the diff against what is published',
        'editor',
        { '201': json('Preview', ref('AdminPreview')), ...WRITE_ERRORS },
        { requestBody: body(ref('AdminPreviewRequest')) },
      ),
    },
    '/api/admin/previews/{id}': {
      parameters: [param('id', 'Preview id')],
      get: op('adminGetPreview', 'A preview', 'editor', {
        '200': json('Preview', ref('AdminPreview')),
        '404': error('Unknown preview'),
      }),
    },
    '/api/admin/previews/{id}/publish': {
      parameters: [param('id', 'Preview id')],
      post: op('adminPublishPreview', 'Publish exactly what the preview showed', 'editor', {
        '200': json('Day versions written', ref('AdminPublishResult')),
        '404': error('Unknown preview'),
        '409': error(
          'Already published, or the inputs (channel rules, catalog, published days) or the result changed since the preview: preview again',
        ),
      }),
    },
    '/api/admin/audit': {
      get: op(
        'adminListAudit',
        'The audit log, newest first (append-only)',
        'editor',
        {
          '200': json('Entries and nextBefore', {
            type: 'object',
            properties: { entries: { type: 'array', items: ref('AdminAuditEntry') }, nextBefore: { type: 'integer' } },
          }),
          '400': error('Invalid query parameter'),
        },
        { parameters: auditParameters },
      ),
    },
    '/api/admin/tokens': {
      get: op('adminListTokens', 'Tokens (names, roles, dates; never secrets)', 'admin', {
        '200': json('Tokens', {
          type: 'object',
          required: ['tokens'],
          properties: { tokens: { type: 'array', items: ref('AdminToken') } },
        }),
      }),
      post: op(
        'adminCreateToken',
        'Create a token; the secret is in this answer only',
        'admin',
        {
          '201': json('Token and its record', {
            allOf: [
              ref('AdminToken'),
              { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
            ],
          }),
          ...WRITE_ERRORS,
        },
        { requestBody: body(ref('AdminTokenRequest')) },
      ),
    },
    '/api/admin/tokens/{id}': {
      parameters: [param('id', 'Token id or live token name')],
      delete: op('adminRevokeToken', 'Revoke a token', 'admin', {
        '200': json('Revoked token', ref('AdminToken')),
        '404': error('Unknown token'),
      }),
    },
    '/healthz': {
      get: {
        operationId: 'getHealth',
        tags: ['admin'],
        summary:
          'Health: database writable, media directory readable, every channel published through the horizon, nightly cron alive',
        responses: {
          '200': json('Every check passes', ref('HealthReport')),
          '503': json('At least one check fails (each check says why)', ref('HealthReport')),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        tags: ['admin'],
        summary:
          'Prometheus metrics: requests by route and status, playlist latency, build durations, packaging queue depth, last scheduled publish per channel',
        responses: {
          '200': {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
  },
};

/**
 * Path parameters are written once per path above and copied into each operation (the document states them per
 * operation).
 */
function withOperationParameters(fragment: OpenApiFragment): OpenApiFragment {
  const paths: Record<string, unknown> = {};
  type Operation = { parameters?: unknown[] };
  for (const [path, item] of Object.entries(fragment.paths as Record<string, Record<string, Operation>>)) {
    const { parameters, ...operations } = item;
    paths[path] = Object.fromEntries(
      Object.entries(operations).map(([method, operation]) => [
        method,
        parameters
          ? { ...operation, parameters: [...(parameters as unknown[]), ...(operation.parameters ?? [])] }
          : operation,
      ]),
    );
  }
  return { ...fragment, paths };
}

export const ADMIN_OPENAPI: OpenApiFragment = withOperationParameters(FRAGMENT);
