// The store agent's integrity guard as the second line of defence: whatever route removed a
// validate function or opened `_security` (played here by the server admin, the one identity
// that can always do it), the guard puts back exactly what provisioning installs, tells HQ,
// and leaves a clean server untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesignDocs } from '../../design-docs/build';
import { dbName } from '../../design-docs/lib/names';
import { order } from '../../design-docs/testing/fixtures';
import type { IntegrityAlert } from '../../design-docs/lib/types';
import { storeServerDbs } from '../../scripts/lib/security-plan';
import { checkServer, startIntegrityGuard, storeServerExpectation, type IntegrityGuard } from '../agent/integrity-guard';
import { enc } from '../testing/http';
import { adminOf, uniqueCode } from '../testing/servers';
import { centralGateway, createHqUser, createStore, storeGateway, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';

let s: TestStore;
let hq: Awaited<ReturnType<typeof createHqUser>>;
let guard: IntegrityGuard;
let control: string;

beforeAll(async () => {
  s = await createStore(uniqueCode('ig'), 'mall');
  hq = await createHqUser(s.tenant);
  control = dbName.control(s.tenant, s.store);
  guard = startIntegrityGuard({
    store: adminOf('store'),
    tenant: s.tenant,
    storeCode: s.store,
    designDocs: buildDesignDocs,
    intervalMs: 300,
  });
}, 60_000);

afterAll(() => guard.stop());

const admin = () => adminOf('store');

async function alerts(): Promise<IntegrityAlert[]> {
  const res = await admin().request<{ rows: { doc: IntegrityAlert }[] }>(
    'GET',
    `${enc(control)}/_all_docs?include_docs=true&startkey=${enc('"integrity_alert:"')}&endkey=${enc('"integrity_alert:\ufff0"')}`,
  );
  return res.body.rows.map((r) => r.doc);
}

async function updateSeqs(): Promise<string[]> {
  const names = ['_users', '_replicator', ...storeServerDbs(s.tenant, s.store).map((d) => d.name)];
  return Promise.all(
    names.map(async (n) => JSON.stringify((await admin().request<{ update_seq: unknown }>('GET', enc(n))).body.update_seq)),
  );
}

async function stillAnswering(): Promise<void> {
  expect((await storeGateway().get('')).status).toBe(200);
  expect((await centralGateway().get('')).status).toBe(200);
  expect((await admin().request('GET', '')).status).toBe(200);
  expect((await adminOf('central').request('GET', '')).status).toBe(200);
}

describe('integrity guard', () => {
  it('writes nothing on a server that is as provisioned', async () => {
    const before = await updateSeqs();
    const securityBefore = await admin().request('GET', `${enc(s.ops)}/_security`);
    expect(await guard.check()).toEqual([]);
    expect(await checkServer(admin(), storeServerExpectation(s.tenant, s.store, await buildDesignDocs()))).toEqual([]);
    expect(await updateSeqs()).toEqual(before);
    expect((await admin().request('GET', `${enc(s.ops)}/_security`)).body).toEqual(securityBefore.body);
    expect(await alerts()).toEqual([]);
  });

  it('restores a deleted validate function, an opened _security and removes a stray design document; HQ sees the alert', async () => {
    const ddocs = await buildDesignDocs();
    const wanted = ddocs.ops.find((d) => d._id === '_design/lapak')!;
    const current = await admin().request<{ _rev: string }>('GET', `${enc(s.ops)}/_design/lapak`);
    // The attack: no validate function in ops, ops open to every logged-in user, a validate function that refuses everything in directory.
    expect((await admin().request('DELETE', `${enc(s.ops)}/_design/lapak?rev=${enc(current.body._rev)}`)).status).toBeLessThan(300);
    const opened = { admins: { names: [], roles: [] }, members: { names: [], roles: [] } };
    expect((await admin().request('PUT', `${enc(s.ops)}/_security`, opened)).status).toBeLessThan(300);
    const stray = { _id: '_design/stray', validate_doc_update: 'function () { throw({ forbidden: "no" }); }' };
    expect((await admin().request('PUT', `${enc(s.directory)}/_design/stray`, stray)).status).toBeLessThan(300);

    // A sweep may fall between the three changes above: their repairs can come in one alert or two.
    const expected = [
      { db: s.ops, what: 'design_doc', id: '_design/lapak', change: 'restored' },
      { db: s.ops, what: 'security', change: 'restored' },
      { db: s.directory, what: 'design_doc', id: '_design/stray', change: 'removed' },
    ];
    const found = await waitFor(
      'integrity alerts at the store naming every repair',
      async () => {
        const all = await alerts();
        const repairs = all.flatMap((a) => a.repairs ?? []);
        return expected.every((e) => repairs.some((r) => JSON.stringify(r) === JSON.stringify(e))) ? all : null;
      },
      10_000,
    );
    for (const alert of found) expect(alert).toMatchObject({ type: 'integrity_alert', server: 'store', tenant: s.tenant, store: s.store });
    expect(found.flatMap((a) => a.repairs ?? [])).toEqual(expect.arrayContaining(expected));
    const alert = found[found.length - 1]!;
    const restored = (await admin().request<Record<string, unknown>>('GET', `${enc(s.ops)}/_design/lapak`)).body;
    expect(restored.validate_doc_update).toBe(wanted.validate_doc_update);
    expect(restored.views).toEqual(wanted.views);
    const plan = storeServerDbs(s.tenant, s.store).find((d) => d.name === s.ops)!;
    expect((await admin().request('GET', `${enc(s.ops)}/_security`)).body).toEqual(plan.security);
    expect((await admin().request('GET', `${enc(s.directory)}/_design/stray`)).status).toBe(404);

    // The restored validate function refuses again what it refused before.
    const k = s.terminals['KIOSK-GEPREK-01']!;
    const forged = {
      ...order({ tenant: s.tenant, store: s.store, code: 'KIOSK-NASGR-01', type: 'kiosk', brand: 'NASGORENG' }),
      device_id: k.deviceId,
    };
    expect((await k.client.put(`${s.ops}/${enc(forged._id)}`, forged)).status).toBe(403);
    // ops is closed again to the anonymous.
    expect((await storeGateway().get(`${s.ops}/_all_docs`)).status).toBe(401);

    const atCentral = await waitFor(
      'the alert at central (control up)',
      async () => {
        const res = await hq.client.get(`${control}/${enc(alert._id)}`);
        return res.status === 200 ? res.body : null;
      },
      30_000,
    );
    expect(atCentral).toMatchObject({ repairs: alert.repairs });
    // Terminals do not read the control database.
    expect((await k.client.get(`${control}/${enc(alert._id)}`)).status).toBe(403);

    // Once restored, the next rounds find nothing and write no further alert.
    const before = await updateSeqs();
    expect(await guard.check()).toEqual([]);
    expect(await updateSeqs()).toEqual(before);
    expect(await alerts()).toHaveLength(found.length);
    await stillAnswering();
  });

  it('restores the _users design document (the account rules) however it was changed', async () => {
    const usersDdoc = (await buildDesignDocs()).users[0]!;
    const current = await admin().request<{ _rev: string }>('GET', `_users/${usersDdoc._id}`);
    const loosened = { ...usersDdoc, _rev: current.body._rev, validate_doc_update: 'function () {}' };
    expect((await admin().request('PUT', `_users/${usersDdoc._id}`, loosened)).status).toBeLessThan(300);
    await waitFor(
      'an alert naming the _users design document',
      async () => ((await alerts()).some((a) => a.repairs.some((r) => r.db === '_users' && r.id === usersDdoc._id)) ? true : null),
      10_000,
    );
    const after = (await admin().request<Record<string, unknown>>('GET', `_users/${usersDdoc._id}`)).body;
    expect(after.validate_doc_update).toBe(usersDdoc.validate_doc_update);
    await stillAnswering();
  });
});
