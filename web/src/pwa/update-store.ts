// A new version of the app is announced, and applied only when the terminal is idle: never
// in the middle of an order. Screens say when they are busy (a cart with items, a payment).
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const IDLE_BEFORE_UPDATE_MS = 30_000;

export const useUpdate = defineStore('update', () => {
  const ready = ref(false);
  const busy = ref(false);
  let apply: (() => void) | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  function schedule() {
    if (idleTimer) clearTimeout(idleTimer);
    if (!ready.value || busy.value || !apply) return;
    idleTimer = setTimeout(() => apply?.(), IDLE_BEFORE_UPDATE_MS);
  }

  function announce(applyUpdate: () => void) {
    apply = applyUpdate;
    ready.value = true;
    schedule();
  }

  function setBusy(value: boolean) {
    busy.value = value;
    schedule();
  }

  function applyNow() {
    apply?.();
  }

  return { ready, busy, announce, setBusy, applyNow };
});
