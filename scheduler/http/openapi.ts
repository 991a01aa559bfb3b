import { createHash } from 'node:crypto';
import type { OpenApiFragment } from './openapi-fragment.ts';
import { OPENAPI_FRAGMENTS } from './openapi-fragments.ts';

/**
 * `/openapi.json`: ONE OpenAPI 3.1 document describing every public route, merged from the fragments in
 * `OPENAPI_FRAGMENTS`. A path described twice, or a component name used for two different schemas, is a
 * programming error and throws naming it (a test assembles the document, so it never reaches a client).
 */

export const OPENAPI_VERSION = '3.1.0';
/** The dialect of every schema in the document (OpenAPI 3.1 default, stated for tools that need it). */
export const JSON_SCHEMA_DIALECT = 'https://spec.openapis.org/oas/3.1/dialect/base';

export interface OpenApiDocument {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  tags: { name: string; description?: string }[];
  paths: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
}

const COMPONENT_SECTIONS = ['schemas', 'responses', 'securitySchemes'] as const;

export function assembleOpenApi(fragments: readonly OpenApiFragment[], version = '0.1.0'): OpenApiDocument {
  const document: OpenApiDocument = {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: 'Aerial Classroom origin',
      version,
      description:
        'Live and on-demand HLS of curriculum lessons, the programme guide (XMLTV, M3U, iCalendar, JSON) and printable timetables.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    tags: [],
    paths: {},
    components: {},
  };
  const canonical = (value: unknown) => JSON.stringify(value);
  for (const fragment of fragments) {
    for (const [path, item] of Object.entries(fragment.paths)) {
      if (path in document.paths) throw new Error(`OpenAPI fragments describe the path ${path} twice`);
      document.paths[path] = item;
    }
    for (const section of COMPONENT_SECTIONS) {
      for (const [name, value] of Object.entries(fragment.components?.[section] ?? {})) {
        const target = (document.components[section] ??= {});
        if (name in target && canonical(target[name]) !== canonical(value)) {
          throw new Error(`OpenAPI fragments define components.${section}.${name} twice, differently`);
        }
        target[name] = value;
      }
    }
    for (const tag of fragment.tags ?? []) {
      if (!document.tags.some((t) => t.name === tag.name)) document.tags.push(tag);
    }
  }
  // Deep copy: the served document must not share objects a caller could mutate.
  return JSON.parse(JSON.stringify(document)) as OpenApiDocument;
}

let assembled: { document: OpenApiDocument; etagKey: string } | undefined;

/** The document of this build, assembled once (fragments are static); `etagKey` is its content hash. */
export function openApiDocument(): { document: OpenApiDocument; etagKey: string } {
  if (!assembled) {
    const document = assembleOpenApi(OPENAPI_FRAGMENTS);
    assembled = { document, etagKey: createHash('sha1').update(JSON.stringify(document)).digest('base64url') };
  }
  return assembled;
}
