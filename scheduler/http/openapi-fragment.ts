/** A piece of `/openapi.json`: the paths and components one module describes (assembled in openapi.ts). */
export interface OpenApiFragment {
  paths: Record<string, unknown>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
  tags?: { name: string; description?: string }[];
  security?: unknown[];
}
