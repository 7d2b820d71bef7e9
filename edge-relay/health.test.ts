import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCouch, type FakeCouch } from './fake-couch';
import { healthReport, type HealthContext } from './health';

let couch: FakeCouch;
beforeEach(async () => {
  couch = await fakeCouch();
});
afterEach(() => couch.close());

const now = Date.now();
const ctx = (over: Partial<HealthContext> = {}): HealthContext => ({
  storeUrl: couch.url,
  tenant: 'yogya',
  store: 'bsd',
  admin: { username: 'admin', password: 'pw' },
  reader: { username: 'relay.yogya.bsd', password: 'pw' },
  timeoutMs: 500,
  onlineWindowMs: 5 * 60_000,
  dataDir: '/nonexistent-dir-for-statfs',
  startedAt: now - 90_000,
  connectedClients: 2,
  connectedTerminals: ['KIOSK-1'],
  ...over,
});

const heartbeats = {
  rows: [
    { id: 'heartbeat:KASIR-1', doc: { terminal: 'KASIR-1', last_seen: new Date(now - 60_000).toISOString() } },
    { id: 'heartbeat:OLD-1', doc: { terminal: 'OLD-1', last_seen: new Date(now - 3_600_000).toISOString() } },
  ],
};

describe('healthReport', () => {
  it('reads replication state from Apache CouchDB 3 scheduler and reports pending changes', async () => {
    couch.intercept = (_m, path) => {
      if (path === '/') return { status: 200, body: { couchdb: 'Welcome' } };
      if (path === '/_scheduler/docs/_replicator')
        return {
          status: 200,
          body: {
            docs: [
              { doc_id: 'lapak_yogya_bsd_ops_up', state: 'running', last_updated: '2026-01-08T14:30:00Z', info: { changes_pending: 5 } },
              { doc_id: 'lapak_yogya_bsd_ops_down', state: 'running', last_updated: '2026-01-08T14:30:01Z', info: { changes_pending: 2 } },
              { doc_id: 'lapak_yogya_pim_ops_up', state: 'crashing', info: { error: 'not ours' } },
            ],
          },
        };
      if (path === '/lapak_yogya_bsd_directory/_all_docs') return { status: 200, body: heartbeats };
      return undefined;
    };
    const r = await healthReport(ctx());
    expect(r).toMatchObject({
      status: 'healthy',
      store_db: 'reachable',
      connected_clients: 2,
      terminals_online: ['KASIR-1', 'KIOSK-1'],
      replication: [
        { id: 'lapak_yogya_bsd_ops_up', state: 'running', last_checkpoint_or_update_time: '2026-01-08T14:30:00Z' },
        { id: 'lapak_yogya_bsd_ops_down', state: 'running', last_checkpoint_or_update_time: '2026-01-08T14:30:01Z' },
      ],
      docs_pending: 7,
      uptime_seconds: 90,
    });
    expect(r.docs_pending_note).toBeUndefined();
    expect(typeof r.disk_free_bytes).toBe('number');
    expect(Date.parse(r.checked_at)).not.toBeNaN();
  });

  it('is degraded when a CouchDB replication crashes', async () => {
    couch.intercept = (_m, path) => {
      if (path === '/') return { status: 200, body: { couchdb: 'Welcome' } };
      if (path === '/_scheduler/docs/_replicator')
        return {
          status: 200,
          body: {
            docs: [
              { doc_id: 'lapak_yogya_bsd_ops_up', state: 'crashing', last_updated: 'x', info: { error: 'unauthorized: bad password' } },
            ],
          },
        };
      return undefined;
    };
    const r = await healthReport(ctx());
    expect(r.status).toBe('degraded');
    expect(r.replication).toEqual([
      { id: 'lapak_yogya_bsd_ops_up', state: 'crashing', last_checkpoint_or_update_time: 'x', error: 'unauthorized: bad password' },
    ]);
  });

  it('reads PouchDB Server replication state from the _replicator documents', async () => {
    couch.intercept = (_m, path) => {
      if (path === '/') return { status: 200, body: { 'express-pouchdb': 'Welcome!' } };
      if (path === '/_scheduler/docs/_replicator') return { status: 404, body: { error: 'not_found' } };
      if (path === '/_replicator/_all_docs')
        return {
          status: 200,
          body: {
            rows: [
              {
                id: 'lapak_yogya_bsd_catalog_down',
                doc: { _replication_state: 'triggered', _replication_state_time: '2026-01-08T14:00:00Z' },
              },
              {
                id: 'lapak_yogya_bsd_ops_up',
                doc: {
                  _replication_state: 'error',
                  _replication_state_time: '2026-01-08T14:01:00Z',
                  _replication_state_reason: 'ECONNREFUSED',
                },
              },
            ],
          },
        };
      return undefined;
    };
    const r = await healthReport(ctx());
    expect(r).toMatchObject({
      status: 'degraded',
      replication: [
        { id: 'lapak_yogya_bsd_catalog_down', state: 'triggered', last_checkpoint_or_update_time: '2026-01-08T14:00:00Z' },
        { id: 'lapak_yogya_bsd_ops_up', state: 'error', last_checkpoint_or_update_time: '2026-01-08T14:01:00Z', error: 'ECONNREFUSED' },
      ],
      docs_pending: null,
    });
    expect(r.docs_pending_note).toMatch(/does not report/);
    expect(couch.requests).toContain('GET /_replicator/_all_docs');
  });

  it('is degraded when the replication state cannot be read', async () => {
    couch.intercept = (_m, path) => {
      if (path === '/') return { status: 200, body: {} };
      if (path === '/_scheduler/docs/_replicator') return { status: 401, body: { error: 'unauthorized' } };
      return undefined;
    };
    const r = await healthReport(ctx());
    expect(r.status).toBe('degraded');
    expect(r.replication_error).toMatch(/admin credentials were refused/);
    expect((await healthReport(ctx({ admin: null }))).replication_error).toMatch(/no admin credentials/);
  });

  it('answers in under 2 seconds, unhealthy, when the store server hangs', async () => {
    couch.intercept = () => 'hang';
    const started = Date.now();
    const r = await healthReport(ctx({ timeoutMs: 1_500 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r).toMatchObject({ status: 'unhealthy', store_db: 'unreachable', terminals_online: ['KIOSK-1'], connected_clients: 2 });
    expect(r.store_db_error).toMatch(/timed out/);
  });

  it('stays within the time budget when only the replication state hangs', async () => {
    couch.intercept = (_m, path) => (path === '/' ? { status: 200, body: { couchdb: 'Welcome' } } : 'hang');
    const started = Date.now();
    const r = await healthReport(ctx({ timeoutMs: 1_500 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r).toMatchObject({ status: 'degraded', store_db: 'reachable', terminals_online: ['KIOSK-1'] });
    expect(r.replication_error).toMatch(/timed out/);
  });

  it('is unhealthy when the store server is down', async () => {
    await couch.close();
    const r = await healthReport(ctx());
    expect(r.status).toBe('unhealthy');
    expect(r.store_db).toBe('unreachable');
    expect(r.store_db_error).toBe('ECONNREFUSED');
    couch = await fakeCouch();
  });
});
