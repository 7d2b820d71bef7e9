// What a client publishes in Yjs awareness, and what the relay accepts from it. Awareness is
// the client's own claim: it may describe the device and app, never who the client is.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** What a Lapak screen publishes as its awareness state. */
export interface PresenceState {
  terminal?: string;
  type?: string;
  brand?: string;
  deviceId?: string;
  appVersion?: string;
  /** Documents waiting to sync. */
  pending?: number;
  /** ISO time the screen came online. */
  onlineSince?: string;
}

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  state: Record<string, unknown> | null;
}

const DEVICE_ID = /^dev_[0-9a-f]{12}$/;
const APP_VERSION_MAX = 40;

/** Decodes a y-protocols awareness update; throws on anything malformed. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const len = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < len; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('awareness state must be an object or null');
    entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness update');
  return entries;
}

/** Encodes entries as a y-protocols awareness update. */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientID);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

export interface AwarenessView {
  /** The clock the relay has for this client id, if any. */
  clockOf(clientID: number): number | undefined;
  hasState(clientID: number): boolean;
  /** Which connection publishes this client id: the sender, another one, or none. */
  ownerOf(clientID: number): 'self' | 'other' | 'none';
  /** The sender's terminal code (from its account), or null. */
  terminal: string | null;
}

/**
 * Which entries of a connection's awareness update the relay applies. Entries that would
 * change nothing are skipped quietly: y-websocket clients send back the presence they
 * receive. Changes to another connection's client ids, and presence that claims another
 * terminal, are refused.
 */
export function screenAwareness(entries: AwarenessEntry[], view: AwarenessView): { accepted: AwarenessEntry[]; refused: string[] } {
  const accepted: AwarenessEntry[] = [];
  const refused: string[] = [];
  for (const e of entries) {
    const clock = view.clockOf(e.clientID);
    const changes = clock === undefined || e.clock > clock || (e.clock === clock && e.state === null && view.hasState(e.clientID));
    if (!changes) continue;
    if (view.ownerOf(e.clientID) === 'other') {
      refused.push(`awareness client ${e.clientID} belongs to another connection`);
      continue;
    }
    const why = refusePresence(e.state, view.terminal);
    if (why) refused.push(`presence refused: ${why}`);
    else accepted.push(e);
  }
  return { accepted, refused };
}

/**
 * Why a connection may not publish this state, or null when it may. A terminal's state may
 * name no terminal or its own; any other connection's state may name none.
 */
export function refusePresence(state: Record<string, unknown> | null, ownTerminal: string | null): string | null {
  if (state === null) return null;
  const claimed = state.terminal;
  if (claimed === undefined || claimed === null) return null;
  if (ownTerminal === null) return `claims terminal ${JSON.stringify(claimed)} but is not a terminal`;
  if (claimed !== ownTerminal) return `claims terminal ${JSON.stringify(claimed)} but is ${ownTerminal}`;
  return null;
}

export interface HeartbeatInfo {
  device_id?: string;
  app_version?: string;
}

/** device_id and app_version for a heartbeat, from the first states that carry well-formed ones. */
export function heartbeatInfo(states: Iterable<Record<string, unknown> | null | undefined>): HeartbeatInfo {
  const info: HeartbeatInfo = {};
  for (const s of states) {
    if (!s) continue;
    if (info.device_id === undefined && typeof s.deviceId === 'string' && DEVICE_ID.test(s.deviceId)) info.device_id = s.deviceId;
    if (
      info.app_version === undefined &&
      typeof s.appVersion === 'string' &&
      s.appVersion.length > 0 &&
      s.appVersion.length <= APP_VERSION_MAX
    )
      info.app_version = s.appVersion;
  }
  return info;
}
