import { describe, expect, it } from 'vitest';
import { storeAlerts } from './alerts';
import type { ReplicationStatus, StoreStatus, TerminalRow } from './store-status';

const now = Date.parse('2026-11-21T05:00:00Z'); // 12:00 in Jakarta
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

function replication(over: Partial<ReplicationStatus> = {}): ReplicationStatus {
  return {
    _id: 'replication_status:x',
    type: 'replication_status',
    schema: 1,
    tenant: 'yogya',
    store: 'bsd',
    job: 'lapak_yogya_bsd_ops_up',
    db: 'lapak_yogya_bsd_ops',
    direction: 'up',
    state: 'running',
    central_reachable: true,
    updated_at: minutesAgo(2),
    ...over,
  };
}

function terminal(over: Partial<TerminalRow> = {}): TerminalRow {
  return {
    code: 'KIOSK-01',
    name: 'Kiosk',
    type: 'kiosk',
    brand: 'AYAMGEPREK',
    active: true,
    orderPrefix: 'K1',
    device: 'dev_0123456789ab',
    assignedAt: minutesAgo(600),
    lastSeen: minutesAgo(1),
    online: true,
    ...over,
  };
}

function status(over: Partial<StoreStatus> = {}): StoreStatus {
  return {
    store: {
      _id: 'store:bsd',
      type: 'store',
      schema: 1,
      tenant: 'yogya',
      store: 'bsd',
      name: 'BSD',
      timezone: 'Asia/Jakarta',
      public_url: 'https://bsd.example',
      provisioned_at: minutesAgo(9000),
      updated_at: minutesAgo(9000),
    },
    storeDoc: null,
    replications: [replication()],
    terminals: [terminal()],
    lastOrderAt: null,
    integrity: [],
    reconciled: [],
    ...over,
  };
}

describe('storeAlerts', () => {
  it('is quiet for a healthy store', () => {
    expect(storeAlerts(status(), now)).toEqual([]);
  });

  it('says a store is unreachable after an hour without a report', () => {
    expect(storeAlerts(status({ replications: [replication({ updated_at: minutesAgo(61) })] }), now)).toEqual([
      { kind: 'unreachable', since: minutesAgo(61) },
    ]);
    expect(storeAlerts(status({ replications: [] }), now)).toEqual([{ kind: 'unreachable', since: null }]);
  });

  it('reports erroring replications and a long queue', () => {
    const alerts = storeAlerts(
      status({ replications: [replication({ state: 'crashing', reason: 'unauthorized', docs_pending: 2000 })] }),
      now,
    );
    expect(alerts).toEqual([
      { kind: 'replication_error', job: 'lapak_yogya_bsd_ops up', reason: 'unauthorized' },
      { kind: 'pending', job: 'lapak_yogya_bsd_ops up', pending: 2000 },
    ]);
  });

  it('flags a paired terminal offline only during opening hours', () => {
    const offline = status({
      terminals: [terminal({ online: false, lastSeen: minutesAgo(30) }), terminal({ code: 'X', device: null, online: false })],
    });
    expect(storeAlerts(offline, now)).toEqual([{ kind: 'terminal_offline', terminal: 'KIOSK-01', lastSeen: minutesAgo(30) }]);
    const night = Date.parse('2026-11-21T17:00:00Z'); // midnight in Jakarta
    const fresh = status({ replications: [replication({ updated_at: new Date(night).toISOString() })], terminals: offline.terminals });
    expect(storeAlerts(fresh, night)).toEqual([]);
  });

  it('tells HQ what the integrity guard restored and what anti-entropy re-sent', () => {
    const alerts = storeAlerts(
      status({
        integrity: [
          {
            _id: `integrity_alert:${minutesAgo(10)}:ab`,
            type: 'integrity_alert',
            schema: 1,
            tenant: 'yogya',
            store: 'bsd',
            server: 'store',
            found_at: minutesAgo(10),
            repairs: [
              { db: 'lapak_yogya_bsd_ops', what: 'design_doc', id: '_design/lapak', change: 'restored' },
              { db: 'lapak_yogya_bsd_ops', what: 'security', change: 'restored' },
            ],
          },
        ],
        reconciled: [
          {
            _id: 'reconcile_report:a',
            type: 'reconcile_report',
            schema: 1,
            tenant: 'yogya',
            store: 'bsd',
            sweep: 'window',
            dbs: [],
            checked: 9,
            pushed: 3,
            done_at: minutesAgo(5),
          },
          {
            _id: 'reconcile_report:b',
            type: 'reconcile_report',
            schema: 1,
            tenant: 'yogya',
            store: 'bsd',
            sweep: 'full',
            dbs: [],
            checked: 9,
            pushed: 0,
            done_at: minutesAgo(4),
          },
        ],
      }),
      now,
    );
    expect(alerts).toEqual([
      {
        kind: 'integrity',
        at: minutesAgo(10),
        server: 'store',
        repairs: [
          { db: 'lapak_yogya_bsd_ops', what: 'design_doc', id: '_design/lapak', change: 'restored' },
          { db: 'lapak_yogya_bsd_ops', what: 'security', change: 'restored' },
        ],
      },
      { kind: 'reconciled', at: minutesAgo(5), pushed: 3 },
    ]);
  });
});
