import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { ctx, kiosk, product } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('catalog');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);

describe('catalog validate_doc_update (compiled, in a sandbox)', () => {
  it('lets HQ of the tenant write products', () => {
    expect(run(product('acme'), null, ctx.hq('acme')).status).toBe('ok');
    expect(run(product('acme'), null, ctx.serverAdmin()).status).toBe('ok');
  });

  it('refuses terminals, store admins, other tenants and anonymous', () => {
    expect(run(product('acme', { price: 1 }), product('acme'), ctx.terminal(kiosk('acme')))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/Only HQ/),
    });
    expect(run(product('acme'), null, ctx.storeAdmin('acme', 'mall')).status).toBe(403);
    expect(run(product('acme'), null, ctx.hq('rival')).status).toBe(403);
    expect(run(product('acme'), null, ctx.anonymous()).status).toBe(401);
    expect(run({ _id: 'product:geprek-original', _deleted: true }, product('acme'), ctx.hq('rival')).status).toBe(403);
  });

  it('refuses float prices and moves between tenants', () => {
    expect(run(product('acme', { price: 25000.5 }), null, ctx.hq('acme'))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/price must be a whole number/),
    });
    expect(run(product('rival'), product('acme'), ctx.serverAdmin()).status).toBe(403);
  });
});
