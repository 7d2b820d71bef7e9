// Live presence over the edge relay (Yjs awareness): this terminal announces itself, and
// sees every other terminal of the store. The relay is optional: when it is down,
// ordering and cooking go on and presence is shown as unknown.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { TerminalConfig } from '../device/terminal-config';
import { useSync } from './sync-store';

export interface PresenceState {
  terminal: string;
  type: string;
  brand: string;
  deviceId: string;
  appVersion: string;
  pending: number;
  onlineSince: string;
}

/** The relay closes a connection with this code when its terminal was unassigned. */
export const CLOSE_UNASSIGNED = 4403;
const SESSION_REFRESH_MS = 60 * 60_000;

export const usePresence = defineStore('presence', () => {
  const status = ref<'connecting' | 'connected' | 'unknown'>('unknown');
  const peers = shallowRef<PresenceState[]>([]);
  const unassigned = ref(false);
  let provider: WebsocketProvider | null = null;

  /** The relay authenticates the WebSocket with CouchDB's session cookie (browsers cannot set headers on it). */
  async function refreshSession(config: TerminalConfig): Promise<boolean> {
    try {
      const res = await fetch('/db/_session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: config.userName, password: config.secret }),
      });
      return res.ok;
    } catch {
      return false;
    }
  }

  async function start(config: TerminalConfig) {
    stop();
    status.value = 'connecting';
    await refreshSession(config);
    setInterval(() => void refreshSession(config), SESSION_REFRESH_MS);
    const doc = new Y.Doc();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const p = new WebsocketProvider(`${scheme}://${location.host}/relay`, `${config.tenant}/${config.store}`, doc, {
      maxBackoffTime: 5000,
    });
    provider = p;
    const sync = useSync();
    const publish = () =>
      p.awareness.setLocalState({
        terminal: config.code,
        type: config.type,
        brand: config.brand,
        deviceId: config.deviceId,
        appVersion: __APP_VERSION__,
        pending: sync.pending,
        onlineSince: new Date(performance.timeOrigin).toISOString(),
      } satisfies PresenceState);
    publish();
    sync.$subscribe(() => {
      if ((p.awareness.getLocalState() as PresenceState | null)?.pending !== sync.pending) publish();
    });
    p.on('status', (e: { status: string }) => {
      status.value = e.status === 'connected' ? 'connected' : 'unknown';
      if (e.status === 'disconnected') void refreshSession(config);
    });
    p.on('connection-close', (e: CloseEvent | null) => {
      if (e?.code === CLOSE_UNASSIGNED) unassigned.value = true;
    });
    p.awareness.on('change', () => {
      peers.value = [...p.awareness.getStates().values()].filter(
        (s): s is PresenceState => typeof (s as PresenceState).terminal === 'string',
      );
    });
  }

  function stop() {
    provider?.destroy();
    provider = null;
    status.value = 'unknown';
  }

  return { status, peers, unassigned, start, stop };
});
