import { MAX_WARNING_DAYS } from '../../admin/build-warnings.ts';
import type { OpenApiFragment } from '../openapi-fragment.ts';
import { errorResponse as error, schemaRef as ref } from '../openapi-errors.ts';

/** `GET /api/admin/build-warnings` as a fragment of /openapi.json. */

const epochMs = { type: 'integer', description: 'UTC epoch ms' };

const SCHEMAS = {
  AdminBuildWarning: {
    type: 'object',
    description: 'A problem the schedule build met and worked around (filler, slate or skip)',
    required: ['code', 'message'],
    properties: {
      code: {
        enum: [
          'overrun',
          'lesson-not-packaged',
          'volume-ended',
          'course-ended',
          'rerun-missing',
          'asset-missing',
          'slot-skipped',
        ],
      },
      message: { type: 'string' },
      slotId: { type: 'string' },
      lessonId: { type: 'string' },
    },
  },
  AdminPublishedDayWarnings: {
    type: 'object',
    description: 'The published version of a broadcast day that airs, and the warnings of the build that made it',
    required: ['date', 'version', 'publishedAtMs', 'startMs', 'endMs', 'warnings', 'waiting'],
    properties: {
      date: { type: 'string', description: 'Broadcast day (YYYY-MM-DD, channel zone)' },
      version: { type: 'integer', minimum: 1 },
      publishedAtMs: epochMs,
      startMs: epochMs,
      endMs: epochMs,
      warnings: { type: 'array', items: ref('AdminBuildWarning') },
      waiting: {
        type: 'integer',
        minimum: 0,
        description:
          'Warnings that media being prepared explains (lesson-not-packaged, rerun-missing, slot-skipped), counted ' +
          'here and left out of `warnings`: while it is (see `preparing`), and in day versions published before ' +
          'it completed; 0 otherwise',
      },
    },
  },
  AdminPreparingFacts: {
    type: 'object',
    description:
      'What is still being prepared while the service already serves, as facts a console words in its language: ' +
      'who prepares it, what its items are, how many are left of how many',
    required: ['source', 'items', 'remaining', 'total'],
    properties: {
      source: { type: 'string', description: 'Who prepares it (`sample`: the staged start of `aerial sample`)' },
      items: {
        type: 'string',
        enum: ['lesson-videos', 'media'],
        description: '`lesson-videos`: their slots air the slate until each is packaged; `media`: other media',
      },
      remaining: { type: 'integer', minimum: 0 },
      total: { type: 'integer', minimum: 0 },
    },
  },
  AdminChannelBuildWarnings: {
    type: 'object',
    required: ['channelId', 'timezone', 'lastPublishedAtMs', 'days'],
    properties: {
      channelId: { type: 'string' },
      timezone: { type: 'string', description: 'IANA zone of the channel' },
      lastPublishedAtMs: { type: ['integer', 'null'], description: 'When the channel was last published' },
      days: { type: 'array', items: ref('AdminPublishedDayWarnings') },
    },
  },
};

export function buildWarningsOpenApiFragment(): OpenApiFragment {
  return {
    components: { schemas: SCHEMAS },
    paths: {
      '/api/admin/build-warnings': {
        get: {
          operationId: 'adminBuildWarnings',
          tags: ['admin'],
          summary:
            'Warnings from the last build: per channel, the published days not yet ended (the one on air first) ' +
            'with their build warnings, and when the channel was last published (role: editor)',
          security: [{ bearerAuth: [] }],
          parameters: [
            {
              name: 'days',
              in: 'query',
              required: false,
              description: 'How many days per channel, from the one on air',
              schema: { type: 'integer', minimum: 1, maximum: MAX_WARNING_DAYS, default: 3 },
            },
          ],
          responses: {
            '200': {
              description: 'Per channel, in channel-number order',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['preparing', 'preparingFacts', 'channels'],
                    properties: {
                      preparing: {
                        type: ['string', 'null'],
                        description:
                          'What is still being prepared while the service already serves, as /healthz says it ' +
                          '(an English sentence, e.g. the sample lesson videos of a staged start), or null',
                      },
                      preparingFacts: {
                        description: 'The same as facts for a console to word (null when nothing is prepared)',
                        oneOf: [ref('AdminPreparingFacts'), { type: 'null' }],
                      },
                      channels: { type: 'array', items: ref('AdminChannelBuildWarnings') },
                    },
                  },
                },
              },
            },
            '400': error('Invalid query parameter (the problem names it)'),
            '401': error('No token, or an unknown or revoked one (WWW-Authenticate: Bearer)'),
            '403': error('The token lacks the role this route needs'),
          },
        },
      },
    },
  };
}
