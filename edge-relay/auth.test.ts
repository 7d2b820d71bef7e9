import { describe, expect, it } from 'vitest';
import { identify, parseRoomPath, roomPath } from './auth';

const room = { tenant: 'yogya', store: 'bsd' };
const terminalRoles = ['tenant:yogya', 'store:yogya:bsd', 'terminal:kiosk', 'brand:AYAMGEPREK'];

describe('parseRoomPath', () => {
  it('accepts /relay/<tenant>/<store>, with or without a query string', () => {
    expect(parseRoomPath('/relay/yogya/bsd')).toEqual(room);
    expect(parseRoomPath('/relay/yogya/bsd?x=1')).toEqual(room);
    expect(parseRoomPath(roomPath(room))).toEqual(room);
  });

  it('refuses every other path', () => {
    for (const p of [
      undefined,
      '',
      '/',
      '/relay',
      '/relay/',
      '/relay/yogya',
      '/relay/yogya/',
      '/relay/yogya/bsd/',
      '/relay/yogya/bsd/x',
      '/relay//bsd',
      '//relay/yogya/bsd',
      '/relayx/yogya/bsd',
      '/yogya/bsd',
      '/relay/YOGYA/bsd',
      '/relay/yogya/b%2Fd',
      '/relay/../bsd',
      '/relay/yogya/bsd#x',
      'relay/yogya/bsd',
      '/health',
    ])
      expect(parseRoomPath(p), String(p)).toBeNull();
  });
});

describe('identify', () => {
  it('knows a terminal of the store by its account, with its code', () => {
    expect(identify({ name: 'terminal.yogya.bsd.KIOSK-GEPREK-01', roles: terminalRoles }, room)).toEqual({
      name: 'terminal.yogya.bsd.KIOSK-GEPREK-01',
      terminal: 'KIOSK-GEPREK-01',
      kind: 'terminal',
    });
  });

  it('admits store managers and server admins, who produce no heartbeats', () => {
    expect(
      identify({ name: 'storeadmin.yogya.bsd.manager', roles: ['tenant:yogya', 'store:yogya:bsd', 'storeadmin:yogya:bsd'] }, room),
    ).toEqual({ name: 'storeadmin.yogya.bsd.manager', terminal: null, kind: 'member' });
    expect(identify({ name: 'admin', roles: ['_admin'] }, room)).toEqual({ name: 'admin', terminal: null, kind: 'admin' });
  });

  it('refuses the anonymous, other stores and other tenants', () => {
    expect(identify({ name: null, roles: [] }, room)).toBeNull();
    expect(identify(null, room)).toBeNull();
    expect(
      identify({ name: 'terminal.yogya.pim.KIOSK-GEPREK-01', roles: ['store:yogya:pim', 'terminal:kiosk', 'brand:X'] }, room),
    ).toBeNull();
    expect(identify({ name: 'terminal.other.bsd.KIOSK-1', roles: ['store:other:bsd', 'terminal:kiosk', 'brand:X'] }, room)).toBeNull();
    expect(identify({ name: 'hq.yogya.ani', roles: ['tenant:yogya', 'hq:yogya'] }, room)).toBeNull();
    expect(identify({ name: 'relay.yogya.bsd', roles: ['relay:yogya:bsd'] }, room)).toBeNull();
  });

  it('takes the terminal code from the account only when name and roles agree', () => {
    // A name that looks like another store's terminal, holding this store's role: a member, not that terminal.
    expect(identify({ name: 'terminal.yogya.pim.KIOSK-1', roles: ['store:yogya:bsd', 'terminal:kiosk', 'brand:X'] }, room)).toEqual({
      name: 'terminal.yogya.pim.KIOSK-1',
      terminal: null,
      kind: 'member',
    });
    // Two brands: not a terminal identity.
    expect(
      identify({ name: 'terminal.yogya.bsd.KIOSK-1', roles: ['store:yogya:bsd', 'terminal:kiosk', 'brand:X', 'brand:Y'] }, room)?.terminal,
    ).toBeNull();
  });
});
