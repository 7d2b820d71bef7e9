import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { binding, ctx, kiosk, terminalDoc, terminalOf } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('directory');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);
const k = kiosk();

describe('directory validate_doc_update (compiled, in a sandbox)', () => {
  it('lets a terminal bind its own device once', () => {
    expect(run(binding(k), null, ctx.terminal(k)).status).toBe('ok');
    expect(run(binding(k, 'dev_ffffffffffff'), binding(k), ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/already bound to device dev_0123456789ab/),
    });
  });

  it('refuses a terminal binding another terminal, or unassigning', () => {
    const other = terminalOf(k, 'kiosk', 'KIOSK-GEPREK-02');
    expect(run(binding(other), null, ctx.terminal(k)).status).toBe(403);
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/store or HQ administrator can unassign/),
    });
  });

  it('lets store and HQ admins unassign', () => {
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.storeAdmin(k.tenant, k.store)).status).toBe('ok');
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.hq(k.tenant)).status).toBe('ok');
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.hq('rival')).status).toBe(403);
  });

  it('keeps the registry to administrators', () => {
    expect(run(terminalDoc(k), null, ctx.storeAdmin(k.tenant, k.store)).status).toBe('ok');
    expect(run({ ...terminalDoc(k), active: false }, terminalDoc(k), ctx.terminal(k)).status).toBe(403);
    expect(run(terminalDoc(k), null, ctx.anonymous()).status).toBe(401);
  });

  it('lets a terminal and the relay write heartbeats, and nobody else', () => {
    const hb = {
      _id: `heartbeat:${k.code}`,
      type: 'heartbeat',
      schema: 1,
      tenant: k.tenant,
      store: k.store,
      terminal: k.code,
      last_seen: '2026-01-20T08:16:00.000Z',
    };
    expect(run(hb, null, ctx.terminal(k)).status).toBe('ok');
    expect(run(hb, null, ctx.relay(k.tenant, k.store)).status).toBe('ok');
    expect(run(hb, null, ctx.relay(k.tenant, 'other')).status).toBe(403);
    const other = terminalOf(k, 'cashier', 'KASIR-GEPREK-01');
    expect(run(hb, null, ctx.terminal(other)).status).toBe(403);
  });
});
