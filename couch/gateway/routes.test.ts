import { describe, expect, it } from 'vitest';
import { hasDotSegment, needsServerAdmin } from './routes';

describe('which requests the gateway keeps for server admins', () => {
  it('keeps server management and database creation for admins', () => {
    for (const [method, path] of [
      ['PUT', '/lapak_new'],
      ['DELETE', '/lapak_yogya_bsd_ops'],
      ['GET', '/_all_dbs'],
      ['GET', '/_config'],
      ['PUT', '/_node/_local/_config/admins/x'],
      ['POST', '/_replicate'],
      ['GET', '/_replicator/_all_docs'],
      ['POST', '/_utils/'],
      ['GET', '/_active_tasks'],
      ['POST', '/lapak_yogya_bsd_ops/_compact'],
      ['POST', '/lapak_yogya_bsd_ops/_purge'],
    ])
      expect(needsServerAdmin(method!, path!), `${method} ${path}`).toBe(true);
  });

  it('lets through what terminals and the setup wizard use', () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/_session'],
      ['DELETE', '/_session'],
      ['GET', '/_uuids?count=2'],
      ['GET', '/lapak_yogya_bsd_ops'],
      ['POST', '/lapak_yogya_bsd_ops'],
      ['POST', '/lapak_yogya_bsd_ops/_bulk_docs'],
      ['GET', '/lapak_yogya_bsd_ops/_changes?feed=longpoll'],
      ['PUT', '/lapak_yogya_bsd_ops/order%3A1'],
      ['GET', '/_users/org.couchdb.user%3Aterminal.yogya.bsd.KIOSK-GEPREK-01'],
      ['GET', '/_utils/'],
      ['GET', '/_utils/dashboard.assets/js/bundle.js'],
    ])
      expect(needsServerAdmin(method!, path!), `${method} ${path}`).toBe(false);
  });

  it('finds dot segments, also percent-encoded, that would move a request past the checks', () => {
    for (const path of [
      '/lapak_x/../lapak_new',
      '/lapak_x/%2e%2e/_config',
      '/_utils/../_config',
      '/./_config',
      '/lapak_x/%2E',
      '/lapak_x/%E0%A4',
    ])
      expect(hasDotSegment(path), path).toBe(true);
    for (const path of [
      '/',
      '/lapak_x/order%3A1',
      '/lapak_x/..order',
      '/_utils/dashboard.assets/js/bundle.js',
      '/lapak_x/_all_docs?startkey=%22..%22',
    ])
      expect(hasDotSegment(path), path).toBe(false);
  });
});
