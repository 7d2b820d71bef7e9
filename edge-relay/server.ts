// The edge relay: a y-websocket-compatible server for one store's presence, in the style of
// yjs/y-websocket-server (auth in the HTTP upgrade, ping/pong liveness) but carrying only
// awareness. The room's Y.Doc stays empty: document updates from clients are neither
// stored nor forwarded, so a client can neither grow the relay's memory nor use it as a
// data channel; CouchDB is the API for data. For every connected terminal the relay writes
// heartbeat:<CODE> in the store directory with its own account.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { dbName } from '../design-docs/lib/names';
import { identify, lookupSession, parseRoomPath, roomPath, ROOM_PREFIX, type RelayIdentity } from './auth';
import { watchBindings } from './binding-watch';
import { DEFAULTS, type RelayOptions } from './config';
import { couchRequest } from './couch';
import { healthReport } from './health';
import { HeartbeatWriter, Throttle } from './heartbeats';
import { clientAddress, SlotCounter } from './limits';
import { decodeAwarenessUpdate, encodeAwarenessEntries, heartbeatInfo, screenAwareness, type PresenceState } from './presence';

/** y-websocket message types (y-websocket's client defines the same numbers). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;

/** Awareness client ids one connection may publish (a browser tab uses one). */
const MAX_CLIENT_IDS_PER_CONNECTION = 8;
/** Messages one connection may send per second; more are dropped (a screen sends a few a minute). */
const MAX_MESSAGES_PER_SECOND = 100;
/** A client that lets this much outgoing data pile up is too slow to keep. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Close codes: 4403 is permanent for y-websocket's client (4400-4499: do not reconnect). */
export const CLOSE_UNASSIGNED = 4403;

export type RelayStartOptions = Pick<RelayOptions, 'tenant' | 'store' | 'storeUrl' | 'relayAuth'> & Partial<RelayOptions>;

export interface ClientInfo {
  /** The authenticated account. */
  user: string | null;
  kind: RelayIdentity['kind'];
  /** The terminal code for terminal accounts (from the account, not from awareness). */
  terminal: string | null;
  connectedAt: string;
  /** The awareness states this connection publishes. */
  presence: PresenceState[];
}

export interface Relay {
  /** Websocket base URL: a y-websocket client uses it as serverUrl with the room `<tenant>/<store>`. */
  url: string;
  /** The one room of this relay, as a full websocket URL. */
  roomUrl: string;
  healthUrl: string;
  port: number;
  clients(): ClientInfo[];
  /** Upgrades still waiting for CouchDB to say who is calling (for tests). */
  pendingUpgrades(): number;
  /** Closes every connection (writing their disconnect heartbeats) and stops listening. */
  close(): Promise<void>;
}

interface Conn {
  ws: WebSocket;
  identity: RelayIdentity;
  /** The upgrade's credentials (cookie, authorization), to re-check them when the terminal's binding changes. */
  credentials: IncomingHttpHeaders;
  connectedAt: Date;
  clientIds: Set<number>;
  alive: boolean;
  badMessages: number;
  /** Rate limit: start of the current one-second window and messages in it. */
  windowStart: number;
  windowCount: number;
  firstBeat: ReturnType<typeof setTimeout> | null;
  /** Closed by the relay because the terminal is not bound to this device: no disconnect heartbeat. */
  refused: boolean;
}

function refuse(socket: Duplex, status: number, text: string, reason = text): void {
  if (socket.destroyed) return;
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Calls `release` once, when the socket has closed (also when it closed before this was called). */
function releaseOnClose(socket: Duplex, release: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    release();
  };
  socket.once('close', once);
  if (socket.destroyed) setImmediate(once);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data.map((d) => new Uint8Array(d))));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export async function startRelay(options: RelayStartOptions): Promise<Relay> {
  const o: RelayOptions = {
    ...DEFAULTS,
    admin: null,
    log: (line: string) => console.error(`[relay] ${line}`),
    ...options,
  };
  const room = { tenant: o.tenant, store: o.store };
  const directoryDb = dbName.directory(o.tenant, o.store);
  const startedAt = Date.now();
  const conns = new Set<Conn>();
  const terminals = new Map<string, Set<Conn>>();
  const owners = new Map<number, Conn>();
  const throttle = new Throttle(o.heartbeatMs);
  const writer = new HeartbeatWriter({
    storeUrl: o.storeUrl,
    auth: o.relayAuth,
    tenant: o.tenant,
    store: o.store,
    timeoutMs: 5_000,
    log: o.log,
  });
  let pendingUpgrades = 0;
  let closing = false;
  const perAddress = new SlotCounter(o.maxConnectionsPerAddress);
  const perAccount = new SlotCounter(o.maxConnectionsPerAccount);
  /** One log line per refused key and 10 s, not 500 for a flood. */
  const refusalLog = new Throttle(10_000);
  const noteRefusal = (key: string, line: string) => {
    if (refusalLog.take(key, Date.now())) o.log(line);
  };

  // --- the room: an always-empty document and the awareness of everyone in it ---
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);

  const send = (conn: Conn, message: Uint8Array) => {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      o.log(`${conn.identity.name ?? 'admin'}: too slow to read, disconnected`);
      conn.ws.terminate();
      return;
    }
    conn.ws.send(message, (err) => {
      if (err) conn.ws.terminate();
    });
  };

  const awarenessMessage = (clients: number[]) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
    return encoding.toUint8Array(encoder);
  };

  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    for (const id of removed) {
      const owner = owners.get(id);
      owner?.clientIds.delete(id);
      owners.delete(id);
    }
    const conn = origin as Conn | null;
    if (conn && conns.has(conn)) {
      for (const id of added) {
        conn.clientIds.add(id);
        owners.set(id, conn);
      }
      if (conn.identity.terminal && conn.firstBeat && (added.length > 0 || updated.length > 0)) firstBeat(conn);
    }
    const message = awarenessMessage([...added, ...updated, ...removed]);
    for (const c of conns) send(c, message);
  });

  // --- heartbeats ---
  const pendingBeats = new Set<Promise<unknown>>();

  const beat = (code: string) => {
    const states = [...(terminals.get(code) ?? [])].flatMap((c) => [...c.clientIds].map((id) => awareness.getStates().get(id)));
    const p = writer.write(code, heartbeatInfo(states)).then((outcome) => {
      if (outcome !== 'unbound' && outcome !== 'wrong-device') return;
      const why = outcome === 'unbound' ? `terminal ${code} is not bound to a device` : `terminal ${code} is bound to another device`;
      for (const c of terminals.get(code) ?? []) shutOut(c, why);
    });
    pendingBeats.add(p);
    void p.finally(() => pendingBeats.delete(p));
  };

  const firstBeat = (conn: Conn) => {
    if (conn.firstBeat) clearTimeout(conn.firstBeat);
    conn.firstBeat = null;
    const code = conn.identity.terminal;
    if (code && conns.has(conn) && throttle.take(code, Date.now(), o.heartbeatMinGapMs)) beat(code);
  };

  // --- unassigned devices: re-checked as soon as the terminal's binding changes ---
  const shutOut = (c: Conn, why: string) => {
    if (c.refused) return;
    o.log(`${c.identity.name}: ${why}, disconnected`);
    c.refused = true;
    c.ws.close(CLOSE_UNASSIGNED, why);
  };

  /**
   * Unassigning resets the terminal's password (which also voids its session cookies) and
   * deletes its binding; pairing again writes a new one. Without a binding a terminal is not
   * bound to any device: all its connections are closed (as the heartbeat check does). With a
   * binding newer than a connection, the connection is closed when its upgrade credentials no
   * longer open the terminal's account: it belongs to the device from before. (Credentials
   * alone would also fail for a cookie that merely aged past its lifetime on a long-open
   * connection of a device that is still bound, which is left alone.)
   */
  const recheck = async (code: string) => {
    const open = [...(terminals.get(code) ?? [])].filter((c) => !c.refused);
    if (open.length === 0) return;
    let binding;
    try {
      binding = await couchRequest(o.storeUrl, 'GET', `${encodeURIComponent(directoryDb)}/${encodeURIComponent(`binding:${code}`)}`, {
        auth: o.relayAuth,
        timeoutMs: o.couchTimeoutMs,
      });
    } catch {
      return; // the store server is away: the heartbeat check and the next resync try again
    }
    const why = `terminal ${code} was unassigned`;
    if (binding.status === 404) {
      for (const c of open) shutOut(c, why);
      return;
    }
    if (binding.status !== 200) return;
    const assignedAt = Date.parse(String(binding.body.assigned_at));
    for (const c of open) {
      if (assignedAt <= c.connectedAt.getTime()) continue; // connected after this pairing: the device it names
      const session = await lookupSession(o.storeUrl, c.credentials, o.couchTimeoutMs);
      if (!session.ok && session.reason === 'unreachable') continue;
      const still = session.ok ? identify(session.userCtx, room) : null;
      if (still && still.terminal === code && still.name === c.identity.name) continue;
      shutOut(c, why);
    }
  };
  const rechecking = new Set<Promise<void>>();
  const scheduleRecheck = (code: string) => {
    const p = recheck(code).catch((e: unknown) => o.log(`re-checking ${code}: ${String(e)}`));
    rechecking.add(p);
    void p.finally(() => rechecking.delete(p));
  };
  const bindingWatch = watchBindings({
    storeUrl: o.storeUrl,
    auth: o.relayAuth,
    tenant: o.tenant,
    store: o.store,
    log: o.log,
    onBinding: scheduleRecheck,
    onResync: () => {
      for (const code of terminals.keys()) scheduleRecheck(code);
    },
  });

  const tickMs = Math.min(Math.max(Math.floor(o.heartbeatMs / 4), 250), 15_000);
  const heartbeatTimer = setInterval(() => {
    const now = Date.now();
    for (const [code, set] of terminals) {
      if ([...set].some((c) => c.firstBeat === null && c.ws.readyState === WebSocket.OPEN) && throttle.take(code, now)) beat(code);
    }
  }, tickMs);

  // --- liveness: ping every pingMs; a connection that did not answer the last ping is dead ---
  const pingTimer = setInterval(() => {
    for (const c of conns) {
      if (!c.alive) {
        o.log(`${c.identity.name ?? 'admin'}: no answer to ping, terminated`);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        c.ws.terminate();
      }
    }
  }, o.pingMs);

  // --- messages ---
  const handleMessage = (conn: Conn, data: RawData, isBinary: boolean) => {
    conn.alive = true;
    const now = Date.now();
    if (now - conn.windowStart >= 1_000) {
      conn.windowStart = now;
      conn.windowCount = 0;
    }
    if (++conn.windowCount > MAX_MESSAGES_PER_SECOND) {
      if (conn.windowCount === MAX_MESSAGES_PER_SECOND + 1) o.log(`${conn.identity.name ?? 'admin'}: too many messages, dropping some`);
      return;
    }
    if (!isBinary) return;
    const message = toBytes(data);
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        // Only answer a client's sync step 1 with the (empty) room document, so its provider reports
        // "synced"; its step 2 and updates are dropped.
        if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep1) return;
        const stateVector = decoding.readVarUint8Array(decoder);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(encoder, doc, stateVector);
        send(conn, encoding.toUint8Array(encoder));
      } else if (type === MESSAGE_AWARENESS) {
        const entries = decodeAwarenessUpdate(decoding.readVarUint8Array(decoder));
        const { accepted, refused } = screenAwareness(entries, {
          clockOf: (id) => awareness.meta.get(id)?.clock,
          hasState: (id) => awareness.states.has(id),
          ownerOf: (id) => {
            const owner = owners.get(id);
            return owner === undefined ? 'none' : owner === conn ? 'self' : 'other';
          },
          terminal: conn.identity.terminal,
        });
        const fresh = new Set(accepted.filter((e) => e.state !== null && !conn.clientIds.has(e.clientID)).map((e) => e.clientID));
        if (conn.clientIds.size + fresh.size > MAX_CLIENT_IDS_PER_CONNECTION) throw new Error('too many awareness clients');
        if (accepted.length > 0) awarenessProtocol.applyAwarenessUpdate(awareness, encodeAwarenessEntries(accepted), conn);
        if (refused.length > 0) throw new Error(refused.join('; '));
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        const states = [...awareness.getStates().keys()];
        if (states.length > 0) send(conn, awarenessMessage(states));
      } else if (type !== MESSAGE_AUTH) {
        throw new Error(`unknown message type ${type}`);
      }
    } catch (e) {
      conn.badMessages++;
      if (conn.badMessages === 1 || conn.badMessages % 100 === 0)
        o.log(`${conn.identity.name ?? 'admin'}: dropped a bad message (${(e as Error).message}; ${conn.badMessages} so far)`);
    }
  };

  // --- connections ---
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes, perMessageDeflate: false });

  const onConnection = (ws: WebSocket, identity: RelayIdentity, headers: IncomingHttpHeaders) => {
    const conn: Conn = {
      ws,
      identity,
      credentials: { cookie: headers.cookie, authorization: headers.authorization },
      connectedAt: new Date(),
      clientIds: new Set(),
      alive: true,
      badMessages: 0,
      windowStart: 0,
      windowCount: 0,
      firstBeat: null,
      refused: false,
    };
    conns.add(conn);
    ws.binaryType = 'nodebuffer';
    ws.on('error', (e) => o.log(`${identity.name ?? 'admin'}: ${e.message}`)); // e.g. a message over maxPayload: ws closes with 1009
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data, isBinary) => handleMessage(conn, data, isBinary));
    ws.on('close', () => onClose(conn));
    const code = identity.terminal;
    if (code) {
      let set = terminals.get(code);
      if (!set) terminals.set(code, (set = new Set()));
      set.add(conn);
      // The first heartbeat waits briefly for the connection's first presence (device id, app version).
      conn.firstBeat = setTimeout(() => firstBeat(conn), o.firstHeartbeatDelayMs);
    }
    const states = [...awareness.getStates().keys()];
    if (states.length > 0) send(conn, awarenessMessage(states));
  };

  const onClose = (conn: Conn) => {
    if (!conns.delete(conn)) return;
    if (conn.firstBeat) clearTimeout(conn.firstBeat);
    conn.firstBeat = null;
    const code = conn.identity.terminal;
    // The last presence of the terminal is still in awareness here: use it for the disconnect heartbeat.
    if (code) {
      const set = terminals.get(code);
      if (set && set.size === 1 && set.has(conn) && !conn.refused && throttle.take(code, Date.now(), o.heartbeatMinGapMs)) beat(code);
      set?.delete(conn);
      if (set && set.size === 0) terminals.delete(code);
    }
    const ids = [...conn.clientIds];
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(awareness, ids, null);
  };

  // --- HTTP: /health, and the upgrade of the room path ---
  const health = async () =>
    healthReport({
      storeUrl: o.storeUrl,
      tenant: o.tenant,
      store: o.store,
      admin: o.admin,
      reader: o.relayAuth,
      timeoutMs: o.couchTimeoutMs,
      onlineWindowMs: o.onlineWindowMs,
      dataDir: o.dataDir,
      startedAt,
      connectedClients: conns.size,
      connectedTerminals: [...terminals.keys()],
    });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      health().then(
        (report) => sendJson(res, report.status === 'unhealthy' ? 503 : 200, report),
        (e: unknown) => sendJson(res, 500, { status: 'unhealthy', error: String(e) }),
      );
      return;
    }
    if (parseRoomPath(req.url)) return sendJson(res, 426, { error: 'upgrade_required', reason: 'This is a websocket endpoint.' });
    sendJson(res, 404, { error: 'not_found', reason: `The relay serves ${roomPath(room)} (websocket) and /health.` });
  });
  server.on('clientError', (_err, socket) => refuse(socket, 400, 'Bad Request'));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset mid-handshake, a write after the peer left: never an uncaught error.
    socket.on('error', () => socket.destroy());
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.trustedProxies);
    void (async () => {
      const wanted = parseRoomPath(req.url);
      if (closing) return refuse(socket, 503, 'Service Unavailable');
      if (!wanted || wanted.tenant !== room.tenant || wanted.store !== room.store) return refuse(socket, 404, 'Not Found');
      // Before any CouchDB lookup: a flood from one address costs the store server nothing.
      if (!perAddress.take(address)) {
        noteRefusal(
          `address ${address}`,
          `refused upgrades from ${address}: over ${o.maxConnectionsPerAddress} connections from one address`,
        );
        return refuse(
          socket,
          429,
          'Too Many Requests',
          `Too many relay connections from this address (at most ${o.maxConnectionsPerAddress}). Close other screens on this device, or wait for their old connections to time out.`,
        );
      }
      releaseOnClose(socket, () => perAddress.release(address));
      if (conns.size + pendingUpgrades >= o.maxConnections)
        return refuse(socket, 503, 'Service Unavailable', 'The relay is full; try again later.');
      pendingUpgrades++;
      let session: Awaited<ReturnType<typeof lookupSession>>;
      try {
        session = await lookupSession(o.storeUrl, req.headers, o.couchTimeoutMs);
      } finally {
        pendingUpgrades--;
      }
      if (!session.ok)
        return refuse(
          socket,
          session.reason === 'unreachable' ? 503 : 401,
          session.reason === 'unreachable' ? 'Service Unavailable' : 'Unauthorized',
        );
      const identity = identify(session.userCtx, room);
      if (!identity) return refuse(socket, 403, 'Forbidden');
      const account = identity.name ?? '_admin';
      // A client that left while CouchDB answered holds no slot, so it cannot crowd out the next screen.
      if (socket.destroyed) return;
      if (!perAccount.take(account)) {
        noteRefusal(`account ${account}`, `refused upgrades of ${account}: over ${o.maxConnectionsPerAccount} connections of one account`);
        return refuse(
          socket,
          429,
          'Too Many Requests',
          `Too many relay connections for ${account} (at most ${o.maxConnectionsPerAccount}). A screen needs one: close the other screens of this terminal, or wait for their old connections to time out.`,
        );
      }
      releaseOnClose(socket, () => perAccount.release(account));
      if (closing) return;
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, identity, req.headers));
    })().catch((e: unknown) => {
      o.log(`upgrade failed: ${String(e)}`);
      refuse(socket, 500, 'Internal Server Error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => o.log(`server error: ${e.message}`));
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    url: `ws://${hostForUrl}:${port}${ROOM_PREFIX}`,
    roomUrl: `ws://${hostForUrl}:${port}${roomPath(room)}`,
    healthUrl: `http://${hostForUrl}:${port}/health`,
    port,
    pendingUpgrades: () => pendingUpgrades,
    clients: () =>
      [...conns].map((c) => ({
        user: c.identity.name,
        kind: c.identity.kind,
        terminal: c.identity.terminal,
        connectedAt: c.connectedAt.toISOString(),
        presence: [...c.clientIds].map((id) => awareness.getStates().get(id)).filter((s): s is PresenceState => !!s),
      })),
    close: async () => {
      if (closing) return;
      closing = true;
      clearInterval(heartbeatTimer);
      clearInterval(pingTimer);
      bindingWatch.stop();
      const closed = [...conns].map((c) => new Promise<void>((resolve) => c.ws.once('close', () => resolve())));
      for (const c of conns) c.ws.close(1001, 'relay shutting down');
      const forced = setTimeout(() => {
        for (const c of conns) c.ws.terminate();
      }, 2_000);
      await Promise.all(closed);
      clearTimeout(forced);
      // The disconnect heartbeats, but not forever if CouchDB hangs.
      await Promise.race([Promise.allSettled([...pendingBeats]), new Promise((r) => setTimeout(r, 6_000).unref())]);
      doc.destroy(); // destroys the awareness too
      wss.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
