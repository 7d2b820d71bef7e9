import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  decodeAwarenessUpdate,
  encodeAwarenessEntries,
  heartbeatInfo,
  refusePresence,
  screenAwareness,
  type AwarenessView,
} from './presence';

function update(state: Record<string, unknown> | null): { update: Uint8Array; clientID: number } {
  const doc = new Y.Doc();
  const a = new awarenessProtocol.Awareness(doc);
  a.setLocalState(state);
  const u = awarenessProtocol.encodeAwarenessUpdate(a, [doc.clientID]);
  a.destroy();
  return { update: u, clientID: doc.clientID };
}

function raw(entries: [number, number, string][], trailing = false): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const [id, clock, json] of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, json);
  }
  if (trailing) encoding.writeVarUint(e, 7);
  return encoding.toUint8Array(e);
}

describe('decodeAwarenessUpdate', () => {
  it('reads what y-protocols encodes', () => {
    const { update: u, clientID } = update({ terminal: 'KIOSK-1', deviceId: 'dev_0123456789ab' });
    expect(decodeAwarenessUpdate(u)).toEqual([{ clientID, clock: 1, state: { terminal: 'KIOSK-1', deviceId: 'dev_0123456789ab' } }]);
    expect(decodeAwarenessUpdate(raw([[5, 3, 'null']]))).toEqual([{ clientID: 5, clock: 3, state: null }]);
  });

  it('throws on malformed updates', () => {
    expect(() => decodeAwarenessUpdate(new Uint8Array([]))).toThrow();
    expect(() => decodeAwarenessUpdate(new Uint8Array([5, 1]))).toThrow();
    expect(() => decodeAwarenessUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow();
    expect(() => decodeAwarenessUpdate(raw([[1, 1, '{not json']]))).toThrow();
    expect(() => decodeAwarenessUpdate(raw([[1, 1, '[1,2]']]))).toThrow(/object or null/);
    expect(() => decodeAwarenessUpdate(raw([[1, 1, '"str"']]))).toThrow(/object or null/);
    expect(() => decodeAwarenessUpdate(raw([[1, 1, '{}']], true))).toThrow(/trailing/);
  });
});

describe('refusePresence', () => {
  it('lets a terminal name itself or nothing', () => {
    expect(refusePresence({ terminal: 'KIOSK-1' }, 'KIOSK-1')).toBeNull();
    expect(refusePresence({ pending: 3 }, 'KIOSK-1')).toBeNull();
    expect(refusePresence(null, 'KIOSK-1')).toBeNull();
  });

  it('refuses a claim to another terminal, and any terminal claim from a non-terminal', () => {
    expect(refusePresence({ terminal: 'KIOSK-2' }, 'KIOSK-1')).toMatch(/KIOSK-2.*KIOSK-1/);
    expect(refusePresence({ terminal: 'KIOSK-1' }, null)).toMatch(/not a terminal/);
    expect(refusePresence({ terminal: null }, null)).toBeNull();
  });
});

describe('heartbeatInfo', () => {
  it('takes well-formed device ids and app versions only', () => {
    expect(heartbeatInfo([{ deviceId: 'dev_0123456789ab', appVersion: '1.2.3' }])).toEqual({
      device_id: 'dev_0123456789ab',
      app_version: '1.2.3',
    });
    expect(heartbeatInfo([{ deviceId: 'DEV_X', appVersion: 'x'.repeat(41) }, null, undefined])).toEqual({});
    expect(heartbeatInfo([{ deviceId: 42 }, { appVersion: '' }, { deviceId: 'dev_ffffffffffff' }])).toEqual({
      device_id: 'dev_ffffffffffff',
    });
  });
});

describe('encodeAwarenessEntries', () => {
  it('round-trips through the decoder and y-protocols', () => {
    const entries = [
      { clientID: 7, clock: 2, state: { terminal: 'KIOSK-1', pending: 3 } },
      { clientID: 8, clock: 5, state: null },
    ];
    const u = encodeAwarenessEntries(entries);
    expect(decodeAwarenessUpdate(u)).toEqual(entries);
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(a, u, 'test');
    expect(a.getStates().get(7)).toEqual({ terminal: 'KIOSK-1', pending: 3 });
    a.destroy();
  });
});

describe('screenAwareness', () => {
  // The relay knows client 1 (the sender's, clock 3), client 2 (another connection's, clock 5) and client 3 (left, clock 4).
  const view = (terminal: string | null = 'KIOSK-1'): AwarenessView => ({
    clockOf: (id) => ({ 1: 3, 2: 5, 3: 4 })[id],
    hasState: (id) => id === 1 || id === 2,
    ownerOf: (id) => (id === 1 ? 'self' : id === 2 ? 'other' : 'none'),
    terminal,
  });
  const e = (clientID: number, clock: number, state: Record<string, unknown> | null) => ({ clientID, clock, state });

  it('applies the sender’s own changes and new client ids', () => {
    const own = [e(1, 4, { terminal: 'KIOSK-1' }), e(9, 1, { pending: 0 }), e(1, 3, null)];
    expect(screenAwareness(own, view())).toEqual({ accepted: own, refused: [] });
  });

  it('quietly skips echoes that change nothing', () => {
    // y-websocket clients send back what they receive: other clients' states with the clock the relay already has.
    const echo = [e(2, 5, { terminal: 'KIOSK-2' }), e(3, 2, { terminal: 'KIOSK-3' }), e(1, 3, { terminal: 'KIOSK-1' })];
    expect(screenAwareness(echo, view())).toEqual({ accepted: [], refused: [] });
  });

  it('refuses changes to another connection’s client ids and claims to another terminal', () => {
    const r = screenAwareness([e(2, 6, null), e(2, 5, null), e(1, 4, { terminal: 'KIOSK-2' }), e(9, 1, { terminal: 'KIOSK-1' })], view());
    expect(r.accepted).toEqual([e(9, 1, { terminal: 'KIOSK-1' })]);
    expect(r.refused).toEqual([
      'awareness client 2 belongs to another connection',
      'awareness client 2 belongs to another connection',
      'presence refused: claims terminal "KIOSK-2" but is KIOSK-1',
    ]);
    expect(screenAwareness([e(9, 1, { terminal: 'KIOSK-1' })], view(null)).refused).toHaveLength(1);
  });
});
