import { WEEKDAYS } from '../../schedule/channel-document.ts';
import type { OpenApiFragment } from '../openapi-fragment.ts';
import { errorResponse as error } from '../openapi-errors.ts';

/** `GET /api/admin/guide/why` as a fragment of /openapi.json. */

const epochMs = { type: 'integer', description: 'UTC epoch ms' };

const SCHEMAS = {
  AdminAiringWhy: {
    type: 'object',
    description: 'What produced the programme airing at an instant: a weekly-template slot, an override, or a gap fill',
    required: ['channelId', 'date', 'version', 'itemId', 'kind', 'startMs', 'endMs', 'source', 'template', 'weekday'],
    properties: {
      channelId: { type: 'string' },
      date: { type: 'string', description: 'Broadcast day (YYYY-MM-DD, channel zone) of the published version' },
      version: { type: 'integer', minimum: 1 },
      itemId: { type: 'string', description: 'Airing id (the guide programme id)' },
      kind: { enum: ['lesson', 'rerun', 'filler', 'slate', 'programme'] },
      startMs: epochMs,
      endMs: epochMs,
      source: {
        enum: ['slot', 'override', 'gap'],
        description: 'slot: the template slot slotId; override: the override overrideId; gap: break/filler fill',
      },
      template: { type: 'string', description: 'Weekly template the build used (term, holiday, suspension…)' },
      weekday: { enum: [...WEEKDAYS] },
      slotId: { type: 'string' },
      overrideId: { type: 'string' },
      overrideAction: { enum: ['replace', 'insert'] },
      replacedSlotId: { type: 'string', description: 'The template slot a replace override replaced' },
      suspensionOrderId: { type: 'string', description: 'The class-suspension order that chose the template' },
    },
  },
};

export function airingWhyOpenApiFragment(): OpenApiFragment {
  return {
    components: { schemas: SCHEMAS },
    paths: {
      '/api/admin/guide/why': {
        get: {
          operationId: 'adminAiringWhy',
          tags: ['admin'],
          summary:
            'Why is this airing: the timetable slot (template, weekday, slot id), override or gap fill that produced ' +
            'the programme a channel airs at an instant, in its latest published version (role: editor)',
          security: [{ bearerAuth: [] }],
          parameters: [
            { name: 'channel', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
            {
              name: 'at',
              in: 'query',
              required: true,
              description: 'Instant (UTC epoch ms), e.g. a guide programme startMs',
              schema: { type: 'integer', minimum: 0 },
            },
          ],
          responses: {
            '200': {
              description: 'The airing and what produced it',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/AdminAiringWhy' } } },
            },
            '400': error('Missing or invalid query parameter (the problem names it)'),
            '401': error('No token, or an unknown or revoked one (WWW-Authenticate: Bearer)'),
            '403': error('The token lacks the role this route needs'),
            '404': error('Unknown channel, or nothing published at that instant'),
          },
        },
      },
    },
  };
}
