/**
 * OpenAPI pieces every fragment of /openapi.json shares: the error body (scheduler/http/middleware.ts
 * `ErrorBody`) and a response carrying it. Defined once so that the fragments' copies, which the
 * assembler requires to be identical, cannot drift apart.
 */

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The body of every error answer. */
export const ERROR_SCHEMAS = {
  Problem: {
    type: 'object',
    required: ['reason'],
    properties: { where: { type: 'string' }, field: { type: 'string' }, reason: { type: 'string' } },
    additionalProperties: false,
  },
  Error: {
    type: 'object',
    required: ['error', 'status'],
    properties: {
      error: { type: 'string', description: 'What went wrong, in a sentence' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      problems: { type: 'array', items: schemaRef('Problem'), description: 'Each bad field or parameter and why' },
    },
    additionalProperties: false,
  },
};

/** An error response: `description` with the Error body. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: schemaRef('Error') } },
});
