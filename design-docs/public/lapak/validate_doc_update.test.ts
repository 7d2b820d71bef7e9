import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { ctx, kiosk } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('public');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);
const k = kiosk();
const entry = {
  _id: `terminal:${k.code}`,
  type: 'public_terminal',
  schema: 1,
  tenant: k.tenant,
  store: k.store,
  code: k.code,
  name: 'Kiosk',
  terminal_type: 'kiosk',
  brand: k.brand,
  active: true,
  assigned: false,
  assigned_at: null,
  device_hash: null,
  last_seen: null,
};

describe('public directory validate_doc_update (compiled, in a sandbox)', () => {
  it('is written by server admins only', () => {
    expect(run(entry, null, { name: null, roles: ['_admin'] }).status).toBe('ok');
    expect(run(entry, null, ctx.anonymous())).toMatchObject({ status: 401, reason: expect.stringMatching(/only the store server/) });
    for (const who of [ctx.terminal(k), ctx.storeAdmin(k.tenant, k.store), ctx.hq(k.tenant), ctx.relay(k.tenant, k.store)])
      expect(run({ ...entry, assigned: true }, entry, who)).toMatchObject({
        status: 403,
        reason: expect.stringMatching(/store directory instead/),
      });
    expect(run({ _id: entry._id, _deleted: true }, entry, ctx.terminal(k)).status).toBe(403);
  });

  it('holds only public documents, even from the admin', () => {
    expect(run({ _id: 'binding:X', type: 'binding' }, null, { name: null, roles: ['_admin'] }).status).toBe(403);
    expect(run({ _id: entry._id, _deleted: true }, entry, { name: null, roles: ['_admin'] }).status).toBe('ok');
  });
});
