/**
 * The id patterns shared by the schedule build, the channel document, the routes and the OpenAPI
 * documents: one copy of each. Pure: patterns only.
 */

/** Channel id: lowercase letters, digits and dashes, at most 64 (e.g. `g3`). */
export const CHANNEL_ID_SOURCE = '^[a-z0-9][a-z0-9-]{0,63}$';
export const CHANNEL_ID_PATTERN = new RegExp(CHANNEL_ID_SOURCE);

/** Edition code of a textbook series: lowercase letters, digits, `_` and `-`, at most 32 (e.g. `tongbian`). */
export const EDITION_CODE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Airing id: `<channel>-<UTC start, compact>` (the schedule build), e.g. `g3-20261123T220000000Z`.
 * Groups: channel, year, month, day, hour, minute, second, millisecond.
 */
export const AIRING_ID_PATTERN = /^([a-z0-9][a-z0-9-]*)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/;
