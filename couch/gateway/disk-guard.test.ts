import { describe, expect, it } from 'vitest';
import { isWrite } from './disk-guard';

describe('which requests the disk guard counts as writes', () => {
  it('counts document, attachment, bulk, local-document and account writes', () => {
    for (const [method, path] of [
      ['PUT', '/lapak_yogya_bsd_ops/order%3A1'],
      ['POST', '/lapak_yogya_bsd_ops'],
      ['POST', '/lapak_yogya_bsd_ops/_bulk_docs'],
      ['DELETE', '/lapak_yogya_bsd_ops/review%3A1?rev=1-a'],
      ['PUT', '/lapak_yogya_bsd_ops/_local/checkpoint'],
      ['PUT', '/lapak_yogya_bsd_catalog/product%3Ax/photo.jpg?rev=1-a'],
      ['COPY', '/lapak_yogya_bsd_ops/order%3A1'],
      ['PUT', '/_users/org.couchdb.user%3Ax'],
      ['POST', '/lapak_yogya_bsd_ops/_index'],
    ])
      expect(isWrite(method!, path!), `${method} ${path}`).toBe(true);
  });

  it('lets reads, replication questions, queries and logging in through', () => {
    for (const [method, path] of [
      ['GET', '/lapak_yogya_bsd_ops/_changes?feed=longpoll'],
      ['HEAD', '/lapak_yogya_bsd_ops'],
      ['POST', '/_session'],
      ['DELETE', '/_session'],
      ['POST', '/lapak_yogya_bsd_ops/_revs_diff'],
      ['POST', '/lapak_yogya_bsd_ops/_bulk_get?revs=true'],
      ['POST', '/lapak_yogya_bsd_ops/_all_docs'],
      ['POST', '/lapak_yogya_bsd_ops/_all_docs/queries'],
      ['POST', '/lapak_yogya_bsd_ops/_changes?filter=_selector'],
      ['POST', '/lapak_yogya_bsd_ops/_find'],
      ['POST', '/lapak_yogya_bsd_ops/_design/lapak/_view/orders_by_number'],
      ['POST', '/lapak_yogya_bsd_ops/_ensure_full_commit'],
    ])
      expect(isWrite(method!, path!), `${method} ${path}`).toBe(false);
  });
});
