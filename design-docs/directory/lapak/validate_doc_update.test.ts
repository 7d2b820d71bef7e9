import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { binding, ctx, kiosk, staff, terminalDoc, terminalOf, writtenNow } from '../../testing/fixtures';

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
      reason: expect.stringMatching(/changes only through unassigning/),
    });
  });

  it('leaves bindings to the unassign flow: server admin only, not store or HQ admins', () => {
    const gone = { _id: binding(k)._id, _deleted: true };
    expect(run(gone, binding(k), ctx.serverAdmin()).status).toBe('ok');
    for (const who of [ctx.storeAdmin(k.tenant, k.store), ctx.hq(k.tenant), ctx.hq('rival')]) {
      expect(run(gone, binding(k), who)).toMatchObject({ status: 403, reason: expect.stringMatching(/unassign/) });
      expect(run(binding(k, 'dev_ffffffffffff'), binding(k), who).status).toBe(403);
      expect(run(binding(k), null, who).status).toBe(403);
    }
  });

  it('lets the replication account carry its own store’s bindings to central, and no other store’s', () => {
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.replicator(k.tenant, k.store)).status).toBe('ok');
    expect(run(binding(k), null, ctx.replicator(k.tenant, k.store)).status).toBe('ok');
    expect(run(binding(k), null, ctx.replicator(k.tenant, 'other')).status).toBe(403);
    expect(run({ _id: binding(k)._id, _deleted: true }, binding(k), ctx.replicator(k.tenant, 'other')).status).toBe(403);
  });

  it('bounds the device object of a binding', () => {
    const big = { ...binding(k), device: { hostname: 'x'.repeat(1024 * 1024) } };
    expect(run(big, null, ctx.terminal(k))).toMatchObject({ status: 403, reason: expect.stringMatching(/characters/) });
    const extra = { ...binding(k), device: { hostname: 'PC', payload: 'x' } };
    expect(run(extra, null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/device.payload is not a device field/),
    });
    const nested = { ...binding(k), device: { hostname: { deep: 'x' } } };
    expect(run(nested, null, ctx.terminal(k)).status).toBe(403);
  });

  it('refuses a binding or heartbeat dated in the future', () => {
    const later = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    expect(run({ ...binding(k), assigned_at: later }, null, ctx.terminal(k))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/assigned_at .* is in the future/),
    });
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
      last_seen: writtenNow(),
    };
    expect(run(hb, null, ctx.terminal(k)).status).toBe('ok');
    expect(run(hb, null, ctx.relay(k.tenant, k.store)).status).toBe('ok');
    expect(run(hb, null, ctx.relay(k.tenant, 'other')).status).toBe(403);
    const other = terminalOf(k, 'cashier', 'KASIR-GEPREK-01');
    expect(run(hb, null, ctx.terminal(other)).status).toBe(403);
    expect(run({ ...hb, last_seen: '2099-01-01T00:00:00.000Z' }, null, ctx.terminal(k)).status).toBe(403);
  });

  it('lets only HQ and the store manager manage staff, with a salted slow PIN hash', () => {
    const person = staff(k.tenant, k.store);
    for (const who of [ctx.hq(k.tenant), ctx.storeAdmin(k.tenant, k.store)]) expect(run(person, null, who).status).toBe('ok');
    for (const who of [ctx.terminal(k), ctx.terminal(terminalOf(k, 'cashier', 'KASIR-GEPREK-01')), ctx.hq('rival')])
      expect(run(person, null, who).status).toBe(403);
    expect(run({ ...person, pin: { ...person.pin, iterations: 1000 } }, null, ctx.hq(k.tenant))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/pin.iterations must be at least 100000/),
    });
    expect(run({ ...person, pin: '1234' }, null, ctx.hq(k.tenant)).status).toBe(403);
    expect(run({ ...person, role: 'owner' }, null, ctx.hq(k.tenant)).status).toBe(403);
  });
});
