import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { structureErrors } from '../design-docs/lib/structure';
import { fakeCouch, putAsOther, type FakeCouch } from './fake-couch';
import { HeartbeatWriter, isOnline, Throttle } from './heartbeats';

describe('isOnline', () => {
  const now = new Date('2026-01-08T14:30:00.000Z');

  it('counts a terminal seen within the last 5 minutes as online', () => {
    expect(isOnline('2026-01-08T14:30:00.000Z', now)).toBe(true);
    expect(isOnline('2026-01-08T14:26:00.000Z', now)).toBe(true);
    expect(isOnline('2026-01-08T14:25:00.000Z', now)).toBe(true);
    expect(isOnline('2026-01-08T14:24:59.999Z', now)).toBe(false);
    expect(isOnline('2026-01-07T14:30:00.000Z', now)).toBe(false);
  });

  it('takes another window, and tolerates small clock skew but not nonsense', () => {
    expect(isOnline('2026-01-08T14:29:00.000Z', now, 30_000)).toBe(false);
    expect(isOnline('2026-01-08T14:29:45.000Z', now, 30_000)).toBe(true);
    expect(isOnline('2026-01-08T14:31:00.000Z', now)).toBe(true);
    expect(isOnline('2027-01-01T00:00:00.000Z', now)).toBe(false);
    expect(isOnline('not a date', now)).toBe(false);
    expect(isOnline('', now)).toBe(false);
  });
});

describe('Throttle', () => {
  it('lets each key run once per interval, the first time at once', () => {
    const t = new Throttle(60_000);
    expect(t.take('A', 1_000)).toBe(true);
    expect(t.take('A', 30_000)).toBe(false);
    expect(t.take('B', 30_000)).toBe(true);
    expect(t.take('A', 60_999)).toBe(false);
    expect(t.take('A', 61_000)).toBe(true);
    expect(t.take('A', 61_001)).toBe(false);
  });

  it('takes a shorter gap for one call, and forgets', () => {
    const t = new Throttle(60_000);
    expect(t.take('A', 0)).toBe(true);
    expect(t.take('A', 4_999, 5_000)).toBe(false);
    expect(t.take('A', 5_000, 5_000)).toBe(true);
    t.forget('A');
    expect(t.take('A', 5_001)).toBe(true);
  });

  it('runs again when the clock goes backwards', () => {
    const t = new Throttle(60_000);
    expect(t.take('A', 100_000)).toBe(true);
    expect(t.take('A', 50_000)).toBe(true);
  });
});

/** Long enough for a loaded CI machine to answer the fake server; the hanging-server test waits it out once. */
const TIMEOUT_MS = 1_500;

describe('HeartbeatWriter (against a fake store server)', () => {
  let couch: FakeCouch;
  let logs: string[];
  let writer: HeartbeatWriter;
  const db = 'lapak_yogya_bsd_directory';
  const seen = new Date('2026-01-08T14:30:00.000Z');

  beforeEach(async () => {
    couch = await fakeCouch();
    logs = [];
    writer = new HeartbeatWriter({
      storeUrl: couch.url,
      auth: { username: 'relay.yogya.bsd', password: 'pw' },
      tenant: 'yogya',
      store: 'bsd',
      timeoutMs: TIMEOUT_MS,
      log: (l) => logs.push(l),
    });
    putAsOther(couch, `${db}/binding:KIOSK-1`, { _id: 'binding:KIOSK-1', device_id: 'dev_0123456789ab' });
  });
  afterEach(() => couch.close());

  it('writes a well-formed heartbeat, then updates it with its revision', async () => {
    expect(await writer.write('KIOSK-1', { device_id: 'dev_0123456789ab', app_version: '1.0.0' }, () => seen)).toBe('written');
    const doc = couch.docs.get(`${db}/heartbeat:KIOSK-1`)!;
    expect(doc).toMatchObject({
      _id: 'heartbeat:KIOSK-1',
      type: 'heartbeat',
      schema: 1,
      tenant: 'yogya',
      store: 'bsd',
      terminal: 'KIOSK-1',
      last_seen: '2026-01-08T14:30:00.000Z',
      device_id: 'dev_0123456789ab',
      app_version: '1.0.0',
    });
    expect(structureErrors(doc)).toEqual([]);
    expect(await writer.write('KIOSK-1', {}, () => new Date('2026-01-08T14:31:00.000Z'))).toBe('written');
    // Without a device id in presence, the bound device is written.
    expect(couch.docs.get(`${db}/heartbeat:KIOSK-1`)).toMatchObject({
      _rev: '2-x',
      last_seen: '2026-01-08T14:31:00.000Z',
      device_id: 'dev_0123456789ab',
    });
    expect(logs).toEqual([]);
  });

  it('re-reads the revision after a conflict and retries', async () => {
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('written');
    putAsOther(couch, `${db}/heartbeat:KIOSK-1`, { _id: 'heartbeat:KIOSK-1', type: 'heartbeat', last_seen: 'x' });
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('written');
    expect(couch.docs.get(`${db}/heartbeat:KIOSK-1`)).toMatchObject({ _rev: '3-x', last_seen: '2026-01-08T14:30:00.000Z' });
  });

  it('writes nothing for an unbound terminal or another device', async () => {
    expect(await writer.write('KIOSK-2', {}, () => seen)).toBe('unbound');
    expect(await writer.write('KIOSK-1', { device_id: 'dev_ffffffffffff' }, () => seen)).toBe('wrong-device');
    expect(couch.docs.has(`${db}/heartbeat:KIOSK-2`)).toBe(false);
    expect(couch.docs.has(`${db}/heartbeat:KIOSK-1`)).toBe(false);
  });

  it('never rejects on server errors or a hanging server, and writes again afterwards', async () => {
    couch.intercept = (method) => (method === 'PUT' ? { status: 500, body: { error: 'boom' } } : undefined);
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('failed');
    couch.intercept = () => 'hang';
    const started = Date.now();
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('failed');
    // Given up on, not waited for forever (a generous bound: the machine may be busy).
    expect(Date.now() - started).toBeLessThan(10 * TIMEOUT_MS);
    couch.intercept = null;
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('written');
    expect(logs.join('\n')).toMatch(/HTTP 500[\s\S]*timed out/);
  });

  it('fails without throwing when the server is gone', async () => {
    await couch.close();
    expect(await writer.write('KIOSK-1', {}, () => seen)).toBe('failed');
    couch = await fakeCouch(); // for afterEach
  });

  it('serializes writes for the same terminal', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => writer.write('KIOSK-1', {}, () => new Date(seen.getTime() + i * 1000))));
    expect(results).toEqual(['written', 'written', 'written', 'written', 'written']);
    expect(couch.docs.get(`${db}/heartbeat:KIOSK-1`)).toMatchObject({ _rev: '5-x', last_seen: '2026-01-08T14:30:05.000Z' });
    expect(couch.requests.filter((r) => r.startsWith('PUT')).length).toBe(5);
    await writer.idle();
  });
});
