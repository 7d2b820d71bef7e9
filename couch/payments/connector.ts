// The payment connector: the store's only writer of confirmed QRIS payments. A kiosk or
// cashier writes a payment_request into the store's ops database; the connector, a CouchDB
// client with its own account (connector.<t>.<s>, role connector:<t>:<s>, a member of ops),
// follows the database's changes, charges the request at the provider, writes what happened
// (payment_update pending / failed / expired) and writes the payment only when a status check
// says the provider settled the requested amount. Notifications (notify-endpoint.ts) and a poll
// of every open charge both lead to that status check, so a lost notification costs a few
// seconds, not a payment.
//
// Outcomes have ids made from the request's key (outcome-docs.ts): a second attempt to write one
// meets 409 and counts as done, so a restart, a repeated notification or two paths racing
// write each outcome at most once. Before writing a final outcome the connector looks the
// request's outcomes up in the database, and never writes a payment for a request that already
// failed or expired. It survives the store server and the provider being down: everything
// is retried, with backoff, and nothing it does can reject unhandled.
import { docPath } from '../../scripts/lib/couch-admin';
import { factMismatch } from '../../design-docs/lib/fact-match';
import { dbName, userName } from '../../design-docs/lib/names';
import { structureErrors } from '../../design-docs/lib/structure';
import type { Order, PaymentRequest } from '../../design-docs/lib/types';
import { Pause } from '../agent/pause';
import { Book, outcomeStatus } from './book';
import { chargeOutcome, outcomeOf, REASON, type Outcome } from './decide';
import { MidtransClient, type ProviderAnswer } from './midtrans';
import { startNotifyEndpoint } from './notify-endpoint';
import { buildPayment, buildUpdate, outcomeErrors, outcomeIds, REQUEST_PREFIX, requestKey, type OutcomeDoc } from './outcome-docs';
import { StoreClient, StoreUnavailable } from './store-client';

export interface ConnectorOptions {
  /** The store's CouchDB, directly (not through the gateway), e.g. http://127.0.0.1:15984. */
  storeUrl: string;
  tenant: string;
  store: string;
  /** Password of the connector's account, userName.connector(tenant, store). */
  password: string;
  /** The provider's API base (Midtrans: https://api.midtrans.com, or the simulator). */
  providerUrl: string;
  serverKey: string;
  /** Where the notification endpoint listens (default 127.0.0.1, any free port). */
  host?: string;
  port?: number;
  /** The notification URL as the provider reaches it, sent with each charge (X-Override-Notification); none: the provider's dashboard setting. */
  publicNotifyUrl?: string;
  /** How often every open charge's status is asked for (default 5 s). */
  pollMs?: number;
  /** How long a QR code can be paid (default 15 minutes): an older request that was never charged is expired. */
  validityMs?: number;
  /** Provider requests give up after this long (default 5 s): provider_unreachable. */
  providerTimeoutMs?: number;
  /** Long-poll timeout of the changes feed (default 25 s). */
  feedTimeoutMs?: number;
  /** Longest wait between attempts while the store server is down or refuses the account (default 30 s). */
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

export interface Connector {
  /** The notification endpoint, http://host:port/payments/notify. */
  readonly notifyUrl: string;
  readonly port: number;
  /** Resolves once the connector has read the ops database's history and acted on what it found (for tests). */
  caughtUp(): Promise<void>;
  /** Resolves after the next complete poll of open charges (for tests). */
  nextPoll(): Promise<void>;
  stop(): Promise<void>;
}

const CHANGES_BATCH = 500;
/** A charge the provider no longer knows is given up this long after its QR code expired. */
const UNKNOWN_GRACE_MS = 5 * 60_000;
/** Open requests worked on at once. */
const PARALLEL = 4;

/** Work on one request at a time: a notification, the poll and the changes feed never interleave for a request. */
class KeyLocks {
  private readonly running = new Map<string, Promise<void>>();

  /** Runs after whatever runs for this key now. */
  run(key: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.running.get(key) ?? Promise.resolve()).then(fn, fn);
    const tracked = next.finally(() => {
      if (this.running.get(key) === tracked) this.running.delete(key);
    });
    this.running.set(key, tracked);
    return tracked;
  }

  busy(key: string): boolean {
    return this.running.has(key);
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }
}

/** Logs a topic's line only when it changes: an outage is reported once, and when it ends. */
class Notes {
  private readonly last = new Map<string, string>();
  constructor(private readonly log: (line: string) => void) {}

  note(topic: string, line: string): void {
    if (this.last.get(topic) === line) return;
    this.last.set(topic, line);
    this.log(line);
  }

  clear(topic: string, line?: string): void {
    if (this.last.delete(topic) && line) this.log(line);
  }
}

type Row = { id: string; deleted?: boolean };

export async function startConnector(o: ConnectorOptions): Promise<Connector> {
  const log = o.log ?? (() => {});
  const notes = new Notes(log);
  const ops = dbName.ops(o.tenant, o.store);
  const account = userName.connector(o.tenant, o.store);
  const store = new StoreClient(o.storeUrl, { username: account, password: o.password });
  const provider = new MidtransClient({
    baseUrl: o.providerUrl,
    serverKey: o.serverKey,
    timeoutMs: o.providerTimeoutMs,
    notificationUrl: o.publicNotifyUrl,
  });
  const pollMs = o.pollMs ?? 5_000;
  const validityMs = o.validityMs ?? 15 * 60_000;
  const feedTimeoutMs = o.feedTimeoutMs ?? 25_000;
  const maxBackoffMs = o.maxBackoffMs ?? 30_000;
  const book = new Book();
  const locks = new KeyLocks();
  const feedPause = new Pause();
  const pollPause = new Pause();
  const feedAbort = new AbortController();
  let stopped = false;
  let caughtUp = false;
  let markCaughtUp: () => void = () => {};
  const caughtUpPromise = new Promise<void>((resolve) => (markCaughtUp = resolve));
  let pollWaiters: (() => void)[] = [];

  // --- writing outcomes ---

  /** Stores an outcome; keeps it for later when the store server is down. True when it is stored (now or before). */
  async function record(key: string, doc: OutcomeDoc): Promise<boolean> {
    const problems = outcomeErrors(doc);
    if (problems.length) {
      book.setStuck(key);
      log(`payment connector: not writing ${doc._id}, it is malformed: ${problems.join('; ')}`);
      return false;
    }
    book.setUnwritten(key, doc);
    let result: Awaited<ReturnType<StoreClient['create']>>;
    try {
      result = await store.create(ops, doc);
    } catch (e) {
      if (!(e instanceof StoreUnavailable)) throw e;
      notes.note('store', `payment connector: ${e.message}; ${doc._id} will be written when it answers`);
      return false;
    }
    if (result === 'written' || result === 'exists') {
      book.mark(key, outcomeStatus(doc));
      if (result === 'written') log(`payment connector: ${describe(doc)}`);
      return true;
    }
    if (result.refused === 401) {
      notes.note('auth', `payment connector: the store server does not accept ${account} (HTTP 401); retrying`);
      return false;
    }
    book.setStuck(key);
    log(`payment connector: the store server refused ${doc._id} (HTTP ${result.refused} ${result.reason}); leaving request ${key} alone`);
    return false;
  }

  function describe(doc: OutcomeDoc): string {
    if (doc.type === 'payment') return `${doc.order_id} paid Rp ${doc.amount} (${doc.reference}), request ${doc.request_id}`;
    return `request ${doc.request_id} ${doc.status}${doc.reason ? ` (${doc.reason})` : ''}`;
  }

  /** Reads which outcomes of the request exist in the database; false when the store could not say. */
  async function refresh(key: string): Promise<boolean> {
    const found = await store.existing(ops, outcomeIds(key));
    if (found.status !== 200) return false;
    for (const id of found.ids) book.noteOutcomeId(id);
    return true;
  }

  /** Writes a final outcome unless one exists; a payment never follows a failure or an expiry. */
  async function recordFinal(key: string, request: PaymentRequest, doc: OutcomeDoc): Promise<void> {
    if (!(await refresh(key))) return;
    const final = book.finalOf(key);
    if (final) {
      if (doc.type === 'payment' && final !== 'paid')
        notes.note(
          `late:${key}`,
          `payment connector: the provider settled ${key} (order ${request.order_id}, Rp ${request.amount}) after the request was recorded ${final}: ` +
            'no payment is written; refund the customer at the provider',
        );
      return;
    }
    await record(key, doc);
  }

  /** Acts on what the provider said about a request. */
  async function apply(key: string, request: PaymentRequest, outcome: Outcome): Promise<void> {
    const now = new Date();
    switch (outcome.kind) {
      case 'paid':
        return recordFinal(key, request, buildPayment(request, outcome.reference, now));
      case 'failed':
        return recordFinal(key, request, buildUpdate(request, 'failed', { reason: outcome.reason }, now));
      case 'expired':
        return recordFinal(key, request, buildUpdate(request, 'expired', {}, now));
      case 'pending': {
        if (book.isPending(key)) return;
        if (outcome.qrString) {
          const details = {
            reference: outcome.reference,
            qr_string: outcome.qrString,
            expires_at: outcome.expiresAt ?? new Date(Date.parse(request.created_at) + validityMs).toISOString(),
          };
          await record(key, buildUpdate(request, 'pending', details, now));
          return;
        }
        // Charged by an earlier run that stopped before recording it: nobody has seen this QR code,
        // and the status answer does not carry it. Make sure it cannot be paid, then say so.
        const cancelled = await provider.cancel(key);
        if (cancelled.kind === 'unreachable') return; // the next round tries again
        if (cancelled.kind === 'transaction' && cancelled.transaction.transaction_status !== 'cancel')
          return apply(key, request, outcomeOf(cancelled.transaction, request));
        return recordFinal(key, request, buildUpdate(request, 'failed', { reason: REASON.refused }, now));
      }
      case 'charged_before':
        return checkStatus(key, request);
      case 'none':
        return;
    }
  }

  // --- working on a request ---

  async function checkStatus(key: string, request: PaymentRequest): Promise<void> {
    const answer = await provider.status(key);
    if (answer.kind === 'unreachable') {
      notes.note('provider', `payment connector: the payment provider is unreachable (${answer.reason}); retrying`);
      return;
    }
    notes.clear('provider', 'payment connector: the payment provider answers again');
    if (answer.kind === 'refused') {
      const gone = Date.now() > Date.parse(request.created_at) + validityMs + UNKNOWN_GRACE_MS;
      if (answer.statusCode === '404' && gone) return apply(key, request, { kind: 'expired' });
      notes.note(`status:${key}`, `payment connector: status of ${key}: the provider answered ${answer.statusCode} ${answer.message}`);
      return;
    }
    return apply(key, request, outcomeOf(answer.transaction, request));
  }

  /** A request nobody has charged yet: expire it, refuse it, or charge it. */
  async function charge(key: string, request: PaymentRequest): Promise<void> {
    if (Date.now() - Date.parse(request.created_at) > validityMs) return apply(key, request, { kind: 'expired' });
    const order = await store.request<Order>('GET', docPath(ops, request.order_id));
    if (order.status === 404) {
      notes.note(
        `order:${key}`,
        `payment connector: request ${key} is for ${request.order_id}, which the store does not have yet; waiting`,
      );
      return;
    }
    if (order.status !== 200) return;
    if (factMismatch(request, order.body)) return apply(key, request, { kind: 'failed', reason: REASON.orderMismatch });
    const answer: ProviderAnswer = await provider.charge(key, request.amount);
    if (answer.kind === 'unreachable') {
      log(`payment connector: could not charge ${key}: ${answer.reason}`);
      // It may have been created after all (a timeout): make sure nobody can pay a QR code nobody sees.
      void provider.cancel(key).catch(() => null);
    } else if (answer.kind === 'refused')
      log(`payment connector: the provider refused to charge ${key}: ${answer.statusCode} ${answer.message}`);
    return apply(key, request, chargeOutcome(answer, request));
  }

  /** One step for one open request: store what waits to be stored, else charge it or check on its charge. */
  async function work(key: string): Promise<void> {
    if (stopped) return;
    try {
      const waiting = book.unwritten(key);
      if (waiting) {
        await record(key, waiting);
        return;
      }
      const request = book.request(key);
      if (!request || book.finalOf(key)) return;
      if (!(await refresh(key))) return;
      if (book.finalOf(key)) return;
      if (book.isPending(key)) await checkStatus(key, request);
      else await charge(key, request);
      notes.clear('store', 'payment connector: the store server answers again');
    } catch (e) {
      if (e instanceof StoreUnavailable) notes.note('store', `payment connector: ${e.message}; retrying`);
      else log(`payment connector: request ${key}: ${(e as Error).stack ?? String(e)}`);
    }
  }

  /** Works on every open request (those busy elsewhere are left to that worker), a few at a time. */
  async function sweep(filter: (key: string) => boolean = () => true): Promise<void> {
    const keys = book.open().filter((k) => filter(k) && !locks.busy(k));
    for (let i = 0; i < keys.length && !stopped; i += PARALLEL)
      await Promise.all(keys.slice(i, i + PARALLEL).map((k) => locks.run(k, () => work(k))));
  }

  // --- reading the ops database ---

  function acceptRequest(doc: unknown): PaymentRequest | null {
    const d = doc as PaymentRequest | undefined;
    if (!d || d.type !== 'payment_request' || d.tenant !== o.tenant || d.store !== o.store || d.method !== 'qris') return null;
    const problems = structureErrors(d as unknown as Record<string, unknown>);
    if (problems.length) {
      log(`payment connector: ignoring malformed ${d._id}: ${problems.join('; ')}`);
      return null;
    }
    return d;
  }

  async function loadRequests(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const res = await store.request<{ rows?: { id?: string; doc?: unknown }[] }>(
      'POST',
      `${encodeURIComponent(ops)}/_all_docs?include_docs=true`,
      {
        keys: ids,
      },
    );
    if (res.status !== 200) throw new StoreUnavailable(`the store server answered HTTP ${res.status} to reading payment requests`);
    for (const row of res.body.rows ?? []) {
      const request = acceptRequest(row.doc);
      const key = request && requestKey(request._id);
      if (request && key) book.setRequest(key, request);
    }
  }

  /** Whether the connector's account opens the store server; logs why not. */
  async function signedIn(): Promise<boolean> {
    const res = await store.request<{ userCtx?: { name?: string | null } }>('GET', '_session');
    if (res.status === 200 && res.body.userCtx?.name === account) {
      notes.clear('auth', `payment connector: signed in to ${o.storeUrl} as ${account}`);
      return true;
    }
    notes.note('auth', `payment connector: the store server does not accept ${account} yet (HTTP ${res.status}); retrying`);
    return false;
  }

  async function follow(): Promise<void> {
    let since = '0';
    let backoff = Math.min(1_000, maxBackoffMs);
    let signed = false;
    const wait = async () => {
      await feedPause.for(backoff);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    };
    while (!stopped) {
      try {
        if (!signed && !(signed = await signedIn())) {
          await wait();
          continue;
        }
        const query = caughtUp
          ? `feed=longpoll&timeout=${feedTimeoutMs}&limit=${CHANGES_BATCH}&since=${encodeURIComponent(since)}`
          : `limit=${CHANGES_BATCH}&since=${encodeURIComponent(since)}`;
        const res = await store
          .request<{ results?: Row[]; last_seq?: unknown }>('GET', `${encodeURIComponent(ops)}/_changes?${query}`, undefined, {
            signal: feedAbort.signal,
            timeoutMs: feedTimeoutMs + 15_000,
          })
          .catch((e: unknown) => {
            // PouchDB Server may hold a long poll open past `timeout` (sending heartbeats): ask again.
            if (caughtUp && e instanceof StoreUnavailable && e.timedOut && !stopped) return null;
            throw e;
          });
        if (!res) continue;
        if (res.status === 401) {
          signed = false;
          continue;
        }
        if (res.status === 400 && since !== '0') {
          // A sequence this database does not know (it was recreated): read it again from the start, ids keep that idempotent.
          since = '0';
          continue;
        }
        if (res.status !== 200) {
          notes.note('feed', `payment connector: cannot read ${ops} (HTTP ${res.status}): not provisioned yet?; retrying`);
          await wait();
          continue;
        }
        notes.clear('feed');
        notes.clear('store', 'payment connector: the store server answers again');
        const rows = res.body.results ?? [];
        const requests: string[] = [];
        for (const row of rows) {
          if (typeof row.id !== 'string') continue;
          if (row.id.startsWith(REQUEST_PREFIX)) {
            if (!row.deleted) requests.push(row.id);
          } else book.noteOutcomeId(row.id); // a deleted outcome (only an admin can) still happened
        }
        await loadRequests(requests);
        since = String(res.body.last_seq ?? since);
        backoff = Math.min(1_000, maxBackoffMs);
        if (!caughtUp && rows.length < CHANGES_BATCH) {
          caughtUp = true;
          log(`payment connector: following ${ops} (${book.open().length} open requests)`);
          await sweep();
          markCaughtUp();
        } else if (caughtUp && requests.length) {
          await sweep((k) => !book.isPending(k));
        }
      } catch (e) {
        if (stopped) return;
        if (e instanceof StoreUnavailable) notes.note('store', `payment connector: ${e.message}; retrying`);
        else log(`payment connector: changes of ${ops}: ${(e as Error).stack ?? String(e)}`);
        signed = false;
        await wait();
      }
    }
  }

  async function poll(): Promise<void> {
    while (!stopped) {
      await pollPause.for(pollMs);
      if (stopped) return;
      if (caughtUp) await sweep().catch((e: unknown) => log(`payment connector: poll: ${(e as Error).message}`));
      const waiters = pollWaiters;
      pollWaiters = [];
      for (const w of waiters) w();
    }
  }

  // --- the notification endpoint ---

  async function onNotification(orderId: string): Promise<void> {
    if (stopped) return;
    const key = orderId;
    if (!book.has(key)) {
      // Not seen in the changes yet (or not ours): look for the request itself.
      const res = await store.request('GET', docPath(ops, `${REQUEST_PREFIX}${key}`));
      const request = res.status === 200 ? acceptRequest(res.body) : null;
      if (!request) return;
      book.setRequest(key, request);
    }
    await locks.run(key, () => work(key));
  }

  const endpoint = await startNotifyEndpoint({
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    serverKey: o.serverKey,
    onNotification: (n) => onNotification(n.order_id),
    log,
  });
  log(`payment connector: notifications at ${endpoint.url}; provider ${o.providerUrl}`);
  const loops = [follow(), poll()].map((p) => p.catch((e: unknown) => log(`payment connector: ${(e as Error).stack ?? String(e)}`)));

  return {
    notifyUrl: endpoint.url,
    port: endpoint.port,
    caughtUp: () => caughtUpPromise,
    nextPoll: () => new Promise<void>((resolve) => pollWaiters.push(resolve)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      feedAbort.abort();
      feedPause.cancel();
      pollPause.cancel();
      await endpoint.close();
      await Promise.all(loops);
      await locks.idle();
      for (const w of pollWaiters) w();
      pollWaiters = [];
    },
  };
}
