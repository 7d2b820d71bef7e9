// The store agent's answer to HQ's terminal requests. Unassigning or adding a terminal means
// writing its account in the store server's _users, which only the store server's admin can
// do, and central cannot reach the store (it sits behind NAT). So HQ writes a
// `terminal_request` into the store's control database at central, replication brings it
// down, and this loop, running with the store server's admin, does the work and writes a
// `terminal_request_result` that replication carries back up.
//
// Each request is processed once: its result document is the marker, so an agent that
// restarts skips every request that already has one. (A crash between resetting the account
// and writing the result means the request runs again on restart and issues another code;
// the first one was never shown to anybody.)
import { dbName, takesOrders, type TerminalType } from '../../design-docs/lib/names';
import { resultIdFor, SCHEMA_VERSION, type TerminalRequest, type TerminalRequestResult } from '../../design-docs/lib/types';
import { CouchUnreachable, docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { ensureUser, getDoc } from '../../scripts/lib/ensure';
import { newPairingCode, setupUrl } from '../../scripts/lib/pairing';
import { ProvisionError, StepLog } from '../../scripts/lib/steps';
import { terminalAccount } from '../../scripts/lib/terminal-account';
import { unassignTerminal } from '../../scripts/lib/unassign';
import { Pause } from './pause';

export interface TerminalRequestOptions {
  /** The store server, as its admin. */
  store: CouchAdmin;
  tenant: string;
  storeCode: string;
  /** The store as tablets reach it, for setup URLs. */
  storePublicUrl: string;
  /** How long an "add" waits for the terminal's registry document to arrive from central (default 30 s). */
  registryWaitMs?: number;
  /** Long-poll timeout of the changes feed (default 25 s). */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface TerminalRequestAgent {
  stop(): void;
  /** How many requests this agent has answered (for tests and logs). */
  readonly answered: number;
}

interface Registry {
  code: string;
  terminal_type: TerminalType;
  brand: string;
  order_prefix: string;
  active: boolean;
}

type Outcome = Pick<TerminalRequestResult, 'ok' | 'code' | 'setup_url' | 'previous_device' | 'error'>;

export function startTerminalRequests(o: TerminalRequestOptions): TerminalRequestAgent {
  const log = o.log ?? (() => {});
  const control = dbName.control(o.tenant, o.storeCode);
  const directory = dbName.directory(o.tenant, o.storeCode);
  let stopped = false;
  let answered = 0;
  const pause = new Pause();

  async function registryDoc(terminal: string): Promise<Registry | null> {
    const deadline = Date.now() + (o.registryWaitMs ?? 30_000);
    for (;;) {
      const doc = await getDoc<Registry>(o.store, directory, `terminal:${terminal}`);
      if (doc || Date.now() > deadline || stopped) return doc;
      await pause.for(1000);
    }
  }

  /** Another active terminal of the store with the same order prefix, if any (kitchens and boards take no orders). */
  async function prefixOwner(registry: Registry): Promise<string | null> {
    if (!takesOrders(registry.terminal_type)) return null;
    const res = await o.store.request<{ rows: { doc?: Registry }[] }>(
      'GET',
      `${encodeURIComponent(directory)}/_all_docs?include_docs=true&startkey=${encodeURIComponent('"terminal:"')}&endkey=${encodeURIComponent('"terminal:\ufff0"')}`,
    );
    const other = (res.body.rows ?? []).find(
      (r) => r.doc && r.doc.code !== registry.code && r.doc.active !== false && r.doc.order_prefix === registry.order_prefix,
    );
    return other?.doc?.code ?? null;
  }

  async function add(terminal: string): Promise<Outcome> {
    const registry = await registryDoc(terminal);
    if (!registry)
      return {
        ok: false,
        error: `Terminal ${terminal} is not in the directory of store ${o.tenant}/${o.storeCode}. Add it to the store directory first (document terminal:${terminal}); if you just did, it has not reached the store yet: check the replication status of ${directory} (down) and send the request again.`,
      };
    if (registry.active === false)
      return {
        ok: false,
        error: `Terminal ${terminal} is marked inactive in the store directory. Set it active first, then send the request again.`,
      };
    // The directory's validate function sees one document at a time; the agent, seeing them
    // all, is where two terminals sharing an order prefix (colliding numbers) is refused.
    const sharing = await prefixOwner(registry);
    if (sharing)
      return {
        ok: false,
        error: `Terminal ${terminal} has order prefix ${registry.order_prefix}, which terminal ${sharing} already uses: their order numbers would collide. Give ${terminal} another prefix in the store directory, then send the request again.`,
      };
    const account = terminalAccount(o.tenant, o.storeCode, { code: terminal, type: registry.terminal_type, brand: registry.brand });
    if (await getDoc(o.store, '_users', `org.couchdb.user:${account.name}`))
      return {
        ok: false,
        error: `Terminal ${terminal} already has an account at the store. To give it a new pairing code, send an unassign request instead.`,
      };
    const code = await ensureUser(o.store, new StepLog(false), account, newPairingCode);
    if (!code) return { ok: false, error: `The store server did not create the account of ${terminal}; send the request again.` };
    return { ok: true, code, setup_url: setupUrl(o.storePublicUrl, registry.brand, terminal, code), previous_device: null };
  }

  async function unassign(terminal: string): Promise<Outcome> {
    const r = await unassignTerminal(o.store, o.tenant, o.storeCode, terminal, o.storePublicUrl);
    return { ok: true, code: r.code, setup_url: r.setupUrl, previous_device: r.previousDevice };
  }

  async function answer(req: TerminalRequest): Promise<void> {
    if (req.tenant !== o.tenant || req.store !== o.storeCode) return;
    const id = resultIdFor(req._id);
    if (await getDoc(o.store, control, id)) return;
    let outcome: Outcome;
    try {
      outcome = req.action === 'add' ? await add(req.terminal) : await unassign(req.terminal);
    } catch (e) {
      // An unreachable store server is not an answer: the request stays open and is tried again.
      if (!(e instanceof ProvisionError)) throw e;
      outcome = { ok: false, error: e.message };
    }
    const result: TerminalRequestResult = {
      _id: id,
      type: 'terminal_request_result',
      schema: SCHEMA_VERSION,
      tenant: req.tenant,
      store: req.store,
      request: req._id,
      action: req.action,
      terminal: req.terminal,
      ...outcome,
      done_at: new Date().toISOString(),
    };
    const put = await o.store.request('PUT', docPath(control, id), result);
    if (put.status >= 400 && put.status !== 409)
      throw new ProvisionError(`The store server refused the result of ${req._id}: HTTP ${put.status} ${JSON.stringify(put.body)}`);
    answered += 1;
    log(`${req.action} ${req.terminal} (${req.requested_by}): ${outcome.ok ? 'done' : outcome.error}`);
  }

  const loop = async () => {
    let since = '0';
    while (!stopped) {
      try {
        const res = await o.store.request<{ results?: { doc?: Record<string, unknown> }[]; last_seq?: unknown }>(
          'GET',
          `${encodeURIComponent(control)}/_changes?feed=longpoll&include_docs=true&timeout=${o.pollMs ?? 25_000}&since=${encodeURIComponent(since)}`,
        );
        if (res.status === 404) {
          await pause.for(5000); // not provisioned yet
          continue;
        }
        if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
        for (const row of res.body.results ?? []) {
          const doc = row.doc;
          if (stopped) return;
          if (doc && doc.type === 'terminal_request' && doc._deleted !== true) await answer(doc as unknown as TerminalRequest);
        }
        since = String(res.body.last_seq ?? since);
      } catch (e) {
        if (!stopped && !(e instanceof CouchUnreachable)) log(`terminal requests: ${(e as Error).message}; retrying`);
        await pause.for(3000);
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      pause.cancel();
    },
    get answered() {
      return answered;
    },
  };
}
