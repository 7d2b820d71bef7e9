import { beforeAll, describe, expect, it } from 'vitest';
import { outcome, type ValidateFn } from '../../sandbox';
import { compiledValidate } from '../../testing/compiled';
import { replicationStatus, requestResult, terminalRequest } from '../../testing/control-fixtures';
import { ctx, kiosk } from '../../testing/fixtures';

let validate: ValidateFn;
beforeAll(async () => {
  validate = await compiledValidate('control');
});
const run = (doc: unknown, old: unknown, who: unknown) => outcome(validate, doc, old, who);
const T = 'acme';
const S = 'mall';

describe('control validate_doc_update (compiled, in a sandbox)', () => {
  it('takes a terminal request from HQ of the tenant and from the store manager, as themselves', () => {
    expect(run(terminalRequest(T, S), null, ctx.hq(T)).status).toBe('ok');
    const manager = ctx.storeAdmin(T, S);
    expect(run(terminalRequest(T, S, { requested_by: manager.name!, action: 'add' }), null, manager).status).toBe('ok');
    expect(run(terminalRequest(T, S), null, manager)).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/requested_by must be your own/),
    });
  });

  it('refuses requests from terminals, other stores, other tenants and the anonymous', () => {
    expect(run(terminalRequest(T, S), null, ctx.anonymous()).status).toBe(401);
    expect(run(terminalRequest(T, S, { requested_by: 'terminal.acme.mall.KIOSK-GEPREK-01' }), null, ctx.terminal(kiosk(T, S))).status).toBe(
      403,
    );
    const rival = ctx.hq('rival');
    expect(run(terminalRequest(T, S, { requested_by: rival.name! }), null, rival).status).toBe(403);
    const otherManager = ctx.storeAdmin(T, 'other');
    expect(run(terminalRequest(T, S, { requested_by: otherManager.name! }), null, otherManager).status).toBe(403);
  });

  it('makes a request immutable and undeletable', () => {
    const r = terminalRequest(T, S);
    expect(run({ ...r, terminal: 'KASIR-GEPREK-01' }, r, ctx.hq(T))).toMatchObject({
      status: 403,
      reason: expect.stringMatching(/already sent/),
    });
    expect(run({ _id: r._id, _deleted: true }, r, ctx.hq(T)).status).toBe(403);
  });

  it('checks the structure of a request', () => {
    expect(run(terminalRequest(T, S, { action: 'reboot' as never }), null, ctx.hq(T)).reason).toMatch(
      /action must be one of unassign, add/,
    );
    expect(run(terminalRequest(T, S, { _id: 'terminal_request:now' }), null, ctx.hq(T)).reason).toMatch(/_id must look like/);
    expect(run(terminalRequest(T, S, { terminal: 'kiosk 1' }), null, ctx.hq(T)).reason).toMatch(/terminal must be a terminal code/);
  });

  it('takes results and replication status from the store server admin and the replication account only', () => {
    const result = requestResult(terminalRequest(T, S));
    const status = replicationStatus(T, S);
    for (const doc of [result, status]) {
      expect(run(doc, null, ctx.serverAdmin()).status).toBe('ok');
      expect(run(doc, null, ctx.replicator(T, S)).status).toBe('ok');
      expect(run(doc, null, ctx.replicator(T, 'other')).status).toBe(403);
      expect(run(doc, null, ctx.hq(T))).toMatchObject({ status: 403, reason: expect.stringMatching(/written by the store agent only/) });
      expect(run(doc, null, ctx.storeAdmin(T, S)).status).toBe(403);
    }
  });

  it('checks that a result answers its own request and says why it failed', () => {
    const r = terminalRequest(T, S);
    expect(run(requestResult(r, { request: 'terminal_request:2026-01-20T08:15:00.000Z:other' }), null, ctx.serverAdmin()).reason).toMatch(
      /request must be the id of the request/,
    );
    expect(run(requestResult(r, { ok: false, code: undefined }), null, ctx.serverAdmin()).reason).toMatch(/error must be a string/);
    expect(
      run(requestResult(r, { ok: false, code: undefined, error: 'Terminal X is not registered.' }), null, ctx.serverAdmin()).status,
    ).toBe('ok');
  });

  it('checks replication status fields', () => {
    expect(run(replicationStatus(T, S, { state: 'sleeping' as never }), null, ctx.serverAdmin()).reason).toMatch(/state must be one of/);
    expect(run(replicationStatus(T, S, { docs_pending: null, last_checkpoint_at: null }), null, ctx.serverAdmin()).status).toBe('ok');
    expect(run(replicationStatus(T, S, { docs_pending: 1.5 }), null, ctx.serverAdmin()).reason).toMatch(
      /docs_pending must be a whole number/,
    );
    expect(run({ ...replicationStatus(T, S), _id: 'replication_status:x' }, null, ctx.serverAdmin()).reason).toMatch(/_id must be/);
  });

  it('holds nothing but control documents', () => {
    expect(run({ _id: 'order:1', type: 'order', schema: 1, tenant: T, store: S }, null, ctx.serverAdmin()).reason).toMatch(
      /holds only terminal_request/,
    );
  });
});
