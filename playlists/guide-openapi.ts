import { CHANNEL_ID_SOURCE } from './ids.ts';
/**
 * OpenAPI 3.1 fragments for the guide JSON routes (bodies built by `guide-json.ts`). The route owner merges
 * `GUIDE_OPENAPI.paths` and `GUIDE_OPENAPI.components.schemas` into `/openapi.json`. Schemas are JSON Schema
 * 2020-12 (the OpenAPI 3.1 dialect); `additionalProperties: false` so a response that drifts from the
 * document fails validation (tests validate real `guide-json.ts` output against these with Ajv).
 */

const localizedText = {
  type: 'object',
  required: ['zh'],
  properties: { zh: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
  additionalProperties: false,
} as const;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;
const absoluteUrl = { type: 'string', format: 'uri', pattern: '^https?://' } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const localDateTime = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 with the channel’s UTC offset at that instant',
} as const;
const epochMs = { type: 'integer', description: 'UTC epoch milliseconds' } as const;

const guideChannelProperties = {
  id: { type: 'string', pattern: CHANNEL_ID_SOURCE },
  number: { type: 'integer', minimum: 1 },
  name: ref('LocalizedText'),
  logo: absoluteUrl,
  timezone: { type: 'string', description: 'IANA time zone' },
  group: { type: 'string', enum: ['小学', '初中', '高中'] },
  grades: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 12 }, minItems: 1 },
} as const;

const lessonProperties = {
  id: { type: 'string' },
  grade: { type: 'integer', minimum: 1, maximum: 12 },
  subject: { type: 'string' },
  subjectName: ref('LocalizedText'),
  edition: { type: 'string' },
  volume: { type: 'integer', minimum: 1 },
  unit: { type: 'integer', minimum: 1 },
  unitTitle: ref('LocalizedText'),
  lesson: { type: 'integer', minimum: 1 },
  title: ref('LocalizedText'),
  teacher: { type: 'string' },
  durationS: { type: 'number', exclusiveMinimum: 0 },
  captions: { type: 'array', items: { type: 'string' } },
  poster: ref('Poster'),
  vodUrl: absoluteUrl,
} as const;

const schemas = {
  LocalizedText: localizedText,
  Poster: {
    type: 'object',
    description: 'A frame of the lesson, 16:9 JPEG, immutable: `small` 480×270 (tiles), `large` 1280×720 (details)',
    required: ['small', 'large'],
    properties: { small: absoluteUrl, large: absoluteUrl },
    additionalProperties: false,
  },
  Channel: {
    type: 'object',
    required: [
      'id',
      'number',
      'name',
      'timezone',
      'group',
      'grades',
      'streamUrl',
      'calendarUrl',
      'timetableUrl',
      'epgUrl',
    ],
    properties: {
      ...guideChannelProperties,
      streamUrl: absoluteUrl,
      calendarUrl: absoluteUrl,
      timetableUrl: absoluteUrl,
      epgUrl: absoluteUrl,
    },
    additionalProperties: false,
  },
  ChannelsResponse: {
    type: 'object',
    required: ['channels'],
    properties: { channels: { type: 'array', items: ref('Channel') } },
    additionalProperties: false,
  },
  Programme: {
    type: 'object',
    required: ['id', 'kind', 'title', 'startMs', 'endMs', 'start', 'end', 'catchUpUrl'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string', enum: ['lesson', 'rerun', 'filler', 'slate', 'programme'] },
      title: ref('LocalizedText'),
      unit: ref('LocalizedText'),
      subject: { type: 'string' },
      subjectName: ref('LocalizedText'),
      lessonId: { type: 'string' },
      volume: { type: 'integer', minimum: 1 },
      unitNumber: { type: 'integer', minimum: 1 },
      lessonNumber: { type: 'integer', minimum: 1 },
      startMs: epochMs,
      endMs: epochMs,
      start: localDateTime,
      end: localDateTime,
      catchUpUrl: absoluteUrl,
      poster: ref('Poster'),
    },
    additionalProperties: false,
  },
  ChannelGuide: {
    type: 'object',
    required: ['channelId', 'timezone', 'programmes'],
    properties: {
      channelId: { type: 'string' },
      timezone: { type: 'string' },
      preparing: {
        type: 'array',
        items: isoDate,
        description:
          'Broadcast dates of the listed days still being prepared: some slots air the slate until their ' +
          "lesson's media is packaged (the day is republished as it lands). Absent when none is.",
      },
      programmes: { type: 'array', items: ref('Programme') },
    },
    additionalProperties: false,
  },
  GuideResponse: {
    type: 'object',
    required: ['from', 'to', 'channels'],
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      channels: { type: 'array', items: ref('ChannelGuide') },
    },
    additionalProperties: false,
  },
  Lesson: {
    type: 'object',
    required: [
      'id',
      'grade',
      'subject',
      'subjectName',
      'edition',
      'volume',
      'unit',
      'unitTitle',
      'lesson',
      'title',
      'captions',
      'vodUrl',
    ],
    properties: lessonProperties,
    additionalProperties: false,
  },
  LessonsResponse: {
    type: 'object',
    required: ['total', 'offset', 'limit', 'lessons'],
    properties: {
      total: { type: 'integer', minimum: 0 },
      offset: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 500 },
      lessons: { type: 'array', items: ref('Lesson') },
    },
    additionalProperties: false,
  },
  Notice: {
    type: 'object',
    required: ['orderId', 'text', 'channels', 'firstDate', 'lastDate'],
    properties: {
      orderId: { type: 'string' },
      text: ref('LocalizedText'),
      channels: { type: 'array', items: { type: 'string' } },
      firstDate: isoDate,
      lastDate: isoDate,
    },
    additionalProperties: false,
  },
  NoticesResponse: {
    type: 'object',
    required: ['notices'],
    properties: { notices: { type: 'array', items: ref('Notice') } },
    additionalProperties: false,
  },
} as const;

const json = (schema: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
});

const badRequest = { description: 'Invalid query parameter (the body names the parameter and the reason)' };

export const GUIDE_OPENAPI = {
  paths: {
    '/api/channels': {
      get: {
        operationId: 'listChannels',
        summary: 'Channels with their stream, guide, calendar and timetable URLs',
        responses: { '200': json('ChannelsResponse', 'Channels by number') },
      },
    },
    '/api/guide': {
      get: {
        operationId: 'getGuide',
        summary: 'Programmes overlapping [from, to) per channel',
        parameters: [
          {
            name: 'from',
            in: 'query',
            required: false,
            description: 'Start, ISO 8601 date-time (default now)',
            schema: { type: 'string', format: 'date-time' },
          },
          {
            name: 'to',
            in: 'query',
            required: false,
            description: 'End, ISO 8601 date-time, after from (default from + 24 h)',
            schema: { type: 'string', format: 'date-time' },
          },
          {
            name: 'channels',
            in: 'query',
            required: false,
            description: 'Comma-separated channel ids (default all)',
            schema: { type: 'string' },
          },
        ],
        responses: { '200': json('GuideResponse', 'The guide'), '400': badRequest },
      },
    },
    '/api/lessons': {
      get: {
        operationId: 'listLessons',
        summary: 'Catalog lessons in textbook order, filtered and paged',
        parameters: [
          { name: 'grade', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 12 } },
          { name: 'subject', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'edition', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'q',
            in: 'query',
            required: false,
            description: 'Text in the title or unit title',
            schema: { type: 'string' },
          },
          { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        ],
        responses: { '200': json('LessonsResponse', 'A page of lessons'), '400': badRequest },
      },
    },
    '/api/lessons/{id}': {
      get: {
        operationId: 'getLesson',
        summary: 'One lesson',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': json('Lesson', 'The lesson'), '404': { description: 'No such lesson' } },
      },
    },
    '/api/notices': {
      get: {
        operationId: 'listNotices',
        summary: 'Notices (e.g. class-suspension orders) of published days that have not ended',
        responses: { '200': json('NoticesResponse', 'Active notices') },
      },
    },
  },
  components: { schemas },
} as const;
