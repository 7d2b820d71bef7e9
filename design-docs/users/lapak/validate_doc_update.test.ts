import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { ctx } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('users');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);
const user = {
  _id: 'org.couchdb.user:terminal.acme.mall.KIOSK-01',
  _rev: '1-a',
  name: 'terminal.acme.mall.KIOSK-01',
  type: 'user',
  roles: ['store:acme:mall'],
  derived_key: 'a',
  salt: 'b',
  lapak: { kind: 'terminal' },
};

describe('_users extra validate_doc_update (compiled, in a sandbox)', () => {
  it('refuses sign-ups', () => {
    expect(run({ ...user, _rev: undefined }, null, ctx.anonymous()).status).toBe(403);
  });
  it('allows a password change and nothing else', () => {
    const me = { name: user.name, roles: user.roles };
    expect(run({ ...user, derived_key: 'c', salt: 'd' }, user, me).status).toBe('ok');
    expect(run({ ...user, lapak: { kind: 'hq' } }, user, me).status).toBe(403);
    expect(run({ ...user, _deleted: true }, user, me).status).toBe(403);
  });
  it('lets server admins provision', () => {
    expect(run(user, null, ctx.serverAdmin()).status).toBe('ok');
  });
});
