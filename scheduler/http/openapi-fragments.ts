import { CHANNEL_ID_SOURCE } from '../../playlists/ids.ts';
import { GUIDE_OPENAPI } from '../../playlists/guide-openapi.ts';
import { ADMIN_OPENAPI } from './admin-openapi.ts';
import { airingWhyOpenApiFragment } from './admin/airing-why-openapi.ts';
import { buildWarningsOpenApiFragment } from './admin/build-warnings-openapi.ts';
import { catalogOpenApiFragment } from './admin/catalog-openapi.ts';
import { ingestOpenApiFragment } from './admin/ingest-openapi.ts';
import type { OpenApiFragment } from './openapi-fragment.ts';
import { ERROR_SCHEMAS, errorResponse } from './openapi-errors.ts';

/**
 * The pieces `/openapi.json` is assembled from (see openapi.ts). A module with public routes describes
 * them as an `OpenApiFragment` and adds it to `OPENAPI_FRAGMENTS` below — one import, one entry. Paths
 * must not repeat across fragments; a component schema may appear in several only if it is identical.
 * Schemas are JSON Schema 2020-12 (the OpenAPI 3.1 dialect); refs point at `#/components/schemas/<Name>`.
 */

const notModified = {
  description: 'Not modified: the ETag (If-None-Match) or Last-Modified (If-Modified-Since) still matches',
};
const text = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: { type: 'string' } } },
});
const pathParam = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', ...(pattern ? { pattern } : {}) },
});
const channelParam = pathParam('channel', 'Channel id, e.g. g3', CHANNEL_ID_SOURCE);
const cached = (responses: Record<string, unknown>) => ({ ...responses, '304': notModified });

/** Guide JSON routes: the renderers' fragment, with this origin's defaults, 304s and error bodies. */
function guideJsonFragment(): OpenApiFragment {
  const paths = JSON.parse(JSON.stringify(GUIDE_OPENAPI.paths)) as Record<string, { get: Record<string, unknown> }>;
  paths['/api/guide']!.get.parameters = [
    {
      name: 'from',
      in: 'query',
      required: false,
      description: 'Start, ISO 8601 date-time with a zone (default: now − 1 h, to the minute)',
      schema: { type: 'string', format: 'date-time' },
    },
    {
      name: 'to',
      in: 'query',
      required: false,
      description:
        'End, after from, at most 24 hours later and at most 3,000 programmes per channel (default: now + 6 h, or from + 7 h)',
      schema: { type: 'string', format: 'date-time' },
    },
    {
      name: 'channels',
      in: 'query',
      required: false,
      description: 'Comma-separated channel ids (default: all, by number); an unknown one is a 400 naming it',
      schema: { type: 'string' },
    },
  ];
  for (const [path, item] of Object.entries(paths)) {
    const responses = item.get.responses as Record<string, unknown>;
    if (responses['400'])
      responses['400'] = errorResponse('Invalid query parameter (the body names the parameter and the reason)');
    if (responses['404'] || path.includes('{')) responses['404'] = errorResponse('No such lesson');
    responses['304'] = notModified;
    item.get.tags = ['guide'];
  }
  return {
    paths,
    components: { schemas: { ...GUIDE_OPENAPI.components.schemas, ...ERROR_SCHEMAS } },
    tags: [{ name: 'guide', description: 'Programme guide JSON for the TV app and third parties' }],
  };
}

/** XMLTV, M3U, iCalendar, the printable timetable and this document. */
const FEEDS_FRAGMENT: OpenApiFragment = {
  tags: [{ name: 'feeds', description: 'Programme guide and channel list in standard formats' }],
  components: { schemas: ERROR_SCHEMAS },
  paths: {
    '/epg.xml': {
      get: {
        operationId: 'getXmltvGuide',
        tags: ['feeds'],
        summary: 'XMLTV guide of every channel: the last 24 h and the next `days` broadcast days',
        parameters: [
          {
            name: 'days',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 14, default: 7 },
          },
        ],
        responses: cached({
          '200': text('application/xml', 'XMLTV document (xmltv.dtd)'),
          '400': errorResponse('Invalid days'),
        }),
      },
    },
    '/epg/{channel}.xml': {
      get: {
        operationId: 'getChannelXmltvGuide',
        tags: ['feeds'],
        summary: 'XMLTV guide of one channel',
        parameters: [
          channelParam,
          {
            name: 'days',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 14, default: 7 },
          },
        ],
        responses: cached({
          '200': text('application/xml', 'XMLTV document (xmltv.dtd)'),
          '400': errorResponse('Invalid days'),
          '404': errorResponse('Unknown channel'),
        }),
      },
    },
    '/channels.m3u': {
      get: {
        operationId: 'getChannelList',
        tags: ['feeds'],
        summary: 'M3U channel list (Kodi IPTV Simple, Jellyfin) with absolute stream URLs and x-tvg-url',
        responses: cached({ '200': text('audio/x-mpegurl', 'Extended M3U') }),
      },
    },
    '/calendar/{channel}.ics': {
      get: {
        operationId: 'getChannelCalendar',
        tags: ['feeds'],
        summary: 'First-run lessons of a channel, a week back and 14 days ahead, with catch-up links (iCalendar)',
        parameters: [channelParam],
        responses: cached({
          '200': text('text/calendar', 'iCalendar (RFC 5545)'),
          '404': errorResponse('Unknown channel'),
        }),
      },
    },
    '/timetable/{channel}': {
      get: {
        operationId: 'getWeeklyTimetable',
        tags: ['feeds'],
        summary: 'Printable weekly timetable (A4 landscape), with reruns marked and suspension notices',
        parameters: [
          channelParam,
          {
            name: 'week',
            in: 'query',
            required: false,
            description: 'ISO week (default: the current week)',
            schema: { type: 'string', pattern: '^\\d{4}-W\\d{2}$' },
          },
        ],
        responses: cached({
          '200': text('text/html', 'HTML page'),
          '400': errorResponse('Invalid week'),
          '404': errorResponse('Unknown channel'),
        }),
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['feeds'],
        summary: 'This document',
        responses: cached({
          '200': {
            description: 'OpenAPI 3.1 document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        }),
      },
    },
  },
};

const hls = (description: string) => text('application/vnd.apple.mpegurl', description);
const renditionParam = pathParam(
  'rendition',
  'Rendition name (e.g. 360p or audio), or sub-<lang> (e.g. sub-zh) for the WebVTT caption playlist of a language the master lists',
);

/** Live, on-demand and media delivery. (/healthz and /metrics belong to the operations fragment.) */
const DELIVERY_FRAGMENT: OpenApiFragment = {
  tags: [{ name: 'delivery', description: 'HLS playlists and media segments' }],
  components: { schemas: ERROR_SCHEMAS },
  paths: {
    '/live/{channel}/master.m3u8': {
      get: {
        operationId: 'getLiveMasterPlaylist',
        tags: ['delivery'],
        summary: 'Live master playlist of a channel (video variants and an audio-only variant)',
        parameters: [
          channelParam,
          {
            name: 'start',
            in: 'query',
            required: false,
            description: 'Start-over: an ISO instant or an airing id of the last 24 h',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': hls('Master playlist'),
          '400': errorResponse('Invalid start'),
          '404': errorResponse('Unknown channel'),
          '503': errorResponse('Nothing published yet (Retry-After)'),
        },
      },
    },
    '/live/{channel}/{rendition}.m3u8': {
      get: {
        operationId: 'getLiveMediaPlaylist',
        tags: ['delivery'],
        summary: 'Live media playlist: a sliding window of aired segments with program date-times',
        parameters: [
          channelParam,
          renditionParam,
          { name: 'start', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': hls(
            'Media playlist (a caption playlist mirrors the video window exactly: same media and discontinuity sequence, PROGRAM-DATE-TIME)',
          ),
          '400': errorResponse('Invalid start'),
          '404': errorResponse(
            'Unknown channel or rendition, or a caption language the channel does not offer today or yesterday',
          ),
          '503': errorResponse('Nothing published yet (Retry-After)'),
        },
      },
    },
    '/vod/lessons/{id}/master.m3u8': {
      get: {
        operationId: 'getLessonMasterPlaylist',
        tags: ['delivery'],
        summary: 'On-demand master playlist of a packaged lesson',
        parameters: [pathParam('id', 'Lesson id')],
        responses: { '200': hls('Master playlist'), '404': errorResponse('No packaged lesson') },
      },
    },
    '/vod/lessons/{id}/{rendition}.m3u8': {
      get: {
        operationId: 'getLessonMediaPlaylist',
        tags: ['delivery'],
        summary: 'On-demand media playlist of a packaged lesson',
        parameters: [pathParam('id', 'Lesson id'), renditionParam],
        responses: {
          '200': hls('Media playlist (EXT-X-PLAYLIST-TYPE:VOD)'),
          '404': errorResponse('No packaged lesson or rendition, or no captions in that language'),
        },
      },
    },
    '/vod/airings/{id}/master.m3u8': {
      get: {
        operationId: 'getAiringMasterPlaylist',
        tags: ['delivery'],
        summary: 'Catch-up master playlist of a past airing',
        parameters: [pathParam('id', 'Airing id, e.g. g3-20261123T000000000Z')],
        responses: {
          '200': hls('Master playlist'),
          '404': errorResponse('No such airing'),
          '409': errorResponse('Still on air (use start-over)'),
          '425': errorResponse('Not aired yet'),
        },
      },
    },
    '/vod/airings/{id}/{rendition}.m3u8': {
      get: {
        operationId: 'getAiringMediaPlaylist',
        tags: ['delivery'],
        summary: 'Catch-up media playlist of a past airing, with its real program date-times',
        parameters: [pathParam('id', 'Airing id'), renditionParam],
        responses: {
          '200': hls('Media playlist'),
          '404': errorResponse('No such airing or rendition, or no captions in that language'),
          '409': errorResponse('Still on air'),
          '425': errorResponse('Not aired yet'),
        },
      },
    },
    '/media/{asset}/{rendition}/{segment}': {
      get: {
        operationId: 'getMediaSegment',
        tags: ['delivery'],
        summary: 'A packaged MPEG-TS segment, or a WebVTT caption segment under sub-<lang> (immutable)',
        parameters: [
          pathParam('asset', 'Asset id'),
          pathParam('rendition', 'Rendition name, or sub-<lang> for captions'),
          pathParam('segment', 'Segment file, e.g. seg00000.ts or seg00000.vtt', '^seg\\d{5}\\.(ts|vtt)$'),
        ],
        responses: {
          '200': {
            description: 'MPEG-TS segment, or a WebVTT segment with X-TIMESTAMP-MAP',
            content: {
              'video/mp2t': { schema: { type: 'string', contentMediaType: 'video/mp2t' } },
              'text/vtt; charset=utf-8': { schema: { type: 'string' } },
            },
          },
          '404': errorResponse('No such segment'),
        },
      },
    },
    '/captions/empty.vtt': {
      get: {
        operationId: 'getEmptyCaptionSegment',
        tags: ['delivery'],
        summary:
          'The empty WebVTT segment live caption playlists list for items without captions (fillers, slate, uncaptioned lessons); immutable',
        responses: { '200': text('text/vtt; charset=utf-8', 'WebVTT with no cue') },
      },
    },
  },
};

/** Every fragment of `/openapi.json`. Add yours here (one import, one entry). */
export const OPENAPI_FRAGMENTS: OpenApiFragment[] = [
  guideJsonFragment(),
  FEEDS_FRAGMENT,
  DELIVERY_FRAGMENT,
  ADMIN_OPENAPI,
  ingestOpenApiFragment(),
  buildWarningsOpenApiFragment(),
  airingWhyOpenApiFragment(),
  catalogOpenApiFragment(),
];
