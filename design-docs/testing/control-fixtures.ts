// Well-formed control and HQ documents for tests.
import { userName } from '../lib/names';
import {
  newTerminalRequestId,
  resultIdFor,
  SCHEMA_VERSION,
  type HqStoreEntry,
  type ReplicationStatus,
  type TerminalRequest,
  type TerminalRequestResult,
} from '../lib/types';
import { NOW } from './fixtures';

export function terminalRequest(tenant: string, store: string, overrides: Partial<TerminalRequest> = {}): TerminalRequest {
  return {
    _id: newTerminalRequestId(NOW, 'r4nd0m'),
    type: 'terminal_request',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    action: 'unassign',
    terminal: 'KIOSK-GEPREK-01',
    requested_by: userName.hq(tenant, 'ani'),
    requested_at: NOW,
    ...overrides,
  };
}

export function requestResult(request: TerminalRequest, overrides: Partial<TerminalRequestResult> = {}): TerminalRequestResult {
  return {
    _id: resultIdFor(request._id),
    type: 'terminal_request_result',
    schema: SCHEMA_VERSION,
    tenant: request.tenant,
    store: request.store,
    request: request._id,
    action: request.action,
    terminal: request.terminal,
    ok: true,
    code: 'ABCD-EFGH',
    setup_url: 'https://192.168.1.10:8443/setup?brand=AYAMGEPREK&terminal=KIOSK-GEPREK-01&code=ABCD-EFGH',
    previous_device: 'dev_0123456789ab',
    done_at: NOW,
    ...overrides,
  };
}

export function replicationStatus(tenant: string, store: string, overrides: Partial<ReplicationStatus> = {}): ReplicationStatus {
  const job = `lapak_${tenant}_${store}_ops_up`;
  return {
    _id: `replication_status:${job}`,
    type: 'replication_status',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    job,
    db: `lapak_${tenant}_${store}_ops`,
    direction: 'up',
    state: 'running',
    last_checkpoint_at: NOW,
    docs_pending: 0,
    docs_written: 12,
    central_reachable: true,
    updated_at: NOW,
    ...overrides,
  };
}

export function hqStore(tenant: string, store: string, overrides: Partial<HqStoreEntry> = {}): HqStoreEntry {
  return {
    _id: `store:${store}`,
    type: 'store',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    name: 'Yogya BSD',
    timezone: 'Asia/Jakarta',
    public_url: 'https://192.168.1.10:8443',
    provisioned_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}
