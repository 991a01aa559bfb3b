import { importCatalogBytes, type CatalogImportReport } from '../catalog/catalog-import.ts';
import type { Db } from '../store/db.ts';

/**
 * Catalog import from a request body: the same import path as `aerial catalog import` (every bad row
 * reported with its line, nothing written unless every row is good). A body has no directory of its
 * own, so a `source` must be an absolute path on the server.
 */

export type CatalogUploadReport = CatalogImportReport;

export function importCatalogBody(db: Db, bytes: Uint8Array, label: string): CatalogUploadReport {
  return importCatalogBytes(db, bytes, label, 'refuse');
}
