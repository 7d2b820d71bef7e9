import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { hqStore } from '../../testing/control-fixtures';
import { ctx } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('hq');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);

describe('hq validate_doc_update (compiled, in a sandbox)', () => {
  it('lets HQ of the tenant and server admins write store entries', () => {
    expect(run(hqStore('acme', 'mall'), null, ctx.serverAdmin()).status).toBe('ok');
    expect(run(hqStore('acme', 'mall', { name: 'Mall Baru' }), hqStore('acme', 'mall'), ctx.hq('acme')).status).toBe('ok');
  });

  it('refuses other tenants, store managers, terminals and the anonymous', () => {
    expect(run(hqStore('acme', 'mall'), null, ctx.hq('rival')).status).toBe(403);
    expect(run(hqStore('acme', 'mall'), null, ctx.storeAdmin('acme', 'mall')).status).toBe(403);
    expect(run(hqStore('acme', 'mall'), null, ctx.replicator('acme', 'mall')).status).toBe(403);
    expect(run(hqStore('acme', 'mall'), null, ctx.anonymous()).status).toBe(401);
  });

  it('holds only well-formed store entries', () => {
    expect(run(hqStore('acme', 'mall', { _id: 'store:other' }), null, ctx.hq('acme')).reason).toMatch(/_id must be store:<store code>/);
    expect(run(hqStore('acme', 'mall', { public_url: 'not a url' }), null, ctx.hq('acme')).reason).toMatch(/public_url/);
    expect(run({ ...hqStore('acme', 'mall'), _id: 'store' }, null, ctx.hq('acme')).reason).toMatch(/store:<store code>/);
    expect(run({ _id: 'brand:X', type: 'brand', tenant: 'acme' }, null, ctx.hq('acme')).reason).toMatch(/holds only store/);
  });
});
