/**
 * The console's typed client must match the API the origin serves: the committed `admin-app/src/api/schema.d.ts`
 * equals what openapi-typescript generates from the real origin's /openapi.json. When an API change lands
 * without `npm run gen:admin-api`, this fails and says so.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminApiTypes, SCHEMA_FILE } from '../../admin-app/scripts/admin-api-types.ts';
import { fetchServedOpenApi } from '../../admin-app/scripts/gen-admin-api.ts';

describe('console API types', () => {
  let served: { paths: Record<string, unknown> };
  beforeAll(async () => {
    served = (await fetchServedOpenApi()) as typeof served;
  });

  it('are generated from the document the origin serves (run `npm run gen:admin-api` when this fails)', async () => {
    const generated = await adminApiTypes(served);
    expect(generated).toContain("'/api/admin/previews/{id}/publish'");
    expect(readFileSync(SCHEMA_FILE, 'utf8') === generated, 'schema.d.ts differs from the served /openapi.json').toBe(
      true,
    );
  });

  it('change when the document changes (the comparison can fail)', async () => {
    const { ['/api/admin/audit']: _dropped, ...paths } = served.paths;
    expect(await adminApiTypes({ ...served, paths })).not.toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
