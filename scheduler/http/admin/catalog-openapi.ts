import { MAX_BROWSE_LIMIT } from '../../admin/catalog-browse.ts';
import type { OpenApiFragment } from '../openapi-fragment.ts';
import { errorResponse as error, schemaRef as ref } from '../openapi-errors.ts';

/** The editor's catalog routes as a fragment of /openapi.json: browse with packaging state, the course tree, export. */

const AUTH_ERRORS = {
  '401': error('No token, or an unknown or revoked one (WWW-Authenticate: Bearer)'),
  '403': error('The token lacks the role this route needs'),
};
const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });
const query = (name: string, description: string, schema: unknown) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

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

const text = { type: 'string' };
const count = { type: 'integer', minimum: 0 };
const named = {
  type: 'object',
  required: ['zh'],
  properties: { zh: text, en: text },
};

const SCHEMAS = {
  AdminCatalogLesson: {
    type: 'object',
    description: 'A catalog lesson (the fields of a catalog file) with its packaging state',
    required: ['id', 'grade', 'subject', 'edition', 'volume', 'unit', 'unitTitleZh', 'lesson', 'titleZh', 'status'],
    properties: {
      id: text,
      grade: { type: 'integer', minimum: 1, maximum: 12 },
      subject: text,
      edition: text,
      volume: { type: 'integer', minimum: 1 },
      unit: { type: 'integer', minimum: 1 },
      unitTitleZh: text,
      unitTitleEn: text,
      lesson: { type: 'integer', minimum: 1 },
      titleZh: text,
      titleEn: text,
      teacher: text,
      durationS: { type: 'number' },
      captions: { type: 'array', items: text },
      source: { type: 'string', description: 'Source video path on the server' },
      status: { enum: ['registered', 'packaged', 'failed'] },
      failureReason: { type: 'string', description: 'Why the last packaging failed' },
      assetId: text,
    },
  },
  AdminCatalogVolume: {
    type: 'object',
    description: 'One volume of a course (grade, subject, edition) and its lessons by packaging state',
    required: [
      'grade',
      'subject',
      'subjectName',
      'edition',
      'editionName',
      'volume',
      'volumeName',
      'lessons',
      'registered',
      'packaged',
      'failed',
    ],
    properties: {
      grade: { type: 'integer' },
      subject: text,
      subjectName: named,
      edition: text,
      editionName: named,
      volume: { type: 'integer' },
      volumeName: named,
      lessons: count,
      registered: count,
      packaged: count,
      failed: count,
    },
  },
};

/** A GET answering `{ [key]: [{ id, title, durationMs }] }`: packaged assets of one kind, by id. */
const assetListPath = (operationId: string, summary: string, key: string, description: string) => ({
  get: op(operationId, summary, {
    '200': json(description, {
      type: 'object',
      required: [key],
      properties: {
        [key]: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'title', 'durationMs'],
            properties: { id: text, title: named, durationMs: count },
          },
        },
      },
    }),
  }),
});

const FILLERS_PATH = assetListPath(
  'adminCatalogFillers',
  'Packaged filler assets, for filler slots and overrides',
  'fillers',
  'Fillers by id',
);

const CARDS_PATH = assetListPath(
  'adminCatalogCards',
  'Packaged stills for off-air slots (`card`): the slate and the off-air cards',
  'cards',
  'Cards by id',
);

export function catalogOpenApiFragment(): OpenApiFragment {
  return {
    components: { schemas: SCHEMAS },
    paths: {
      '/api/admin/catalog/lessons': {
        get: op(
          'adminBrowseCatalog',
          'Every catalog lesson, packaged or not, with its packaging state and failure reason, in textbook order',
          {
            '200': json('A page of lessons and the number matching', {
              type: 'object',
              required: ['lessons', 'total', 'offset', 'limit'],
              properties: {
                lessons: { type: 'array', items: ref('AdminCatalogLesson') },
                total: count,
                offset: count,
                limit: count,
              },
            }),
            '400': error('Invalid query parameter (the problem names it)'),
          },
          {
            parameters: [
              query('grade', 'Grade 1–12', { type: 'integer', minimum: 1, maximum: 12 }),
              query('subject', 'Subject code, e.g. math', text),
              query('edition', 'Edition code, e.g. pep', text),
              query('volume', 'Volume (1 = 上册, 2 = 下册)', { type: 'integer', minimum: 1 }),
              query('status', 'Packaging state', { enum: ['registered', 'packaged', 'failed'] }),
              query('q', 'Substring of the id, titles, unit titles or teacher', { type: 'string', maxLength: 100 }),
              query('offset', 'Lessons to skip', { type: 'integer', minimum: 0, default: 0 }),
              query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: MAX_BROWSE_LIMIT, default: 100 }),
            ],
          },
        ),
      },
      '/api/admin/catalog/volumes': {
        get: op('adminCatalogVolumes', 'The course tree: every volume of every course with packaging counts', {
          '200': json('Volumes by grade, subject (guide order), edition and volume', {
            type: 'object',
            required: ['volumes'],
            properties: { volumes: { type: 'array', items: ref('AdminCatalogVolume') } },
          }),
        }),
      },
      '/api/admin/catalog/fillers': FILLERS_PATH,
      '/api/admin/catalog/cards': CARDS_PATH,
      '/api/admin/catalog/export': {
        get: op(
          'adminExportCatalog',
          'The whole catalog as a download (Content-Disposition: attachment) that the import takes back',
          {
            '200': {
              description: 'Catalog file',
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/json': { schema: { type: 'object' } },
              },
            },
            '400': error('Invalid format'),
          },
          { parameters: [query('format', 'File format', { enum: ['csv', 'json'], default: 'json' })] },
        ),
      },
    },
  };
}
