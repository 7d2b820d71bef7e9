// Brings a kiosk back to its welcome screen after a period without touches.
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useIdleReset(seconds: () => number, onIdle: () => void) {
  const left = ref(seconds());
  let timer: ReturnType<typeof setInterval> | null = null;
  const touch = () => (left.value = seconds());
  onMounted(() => {
    for (const e of ['pointerdown', 'keydown']) window.addEventListener(e, touch, { passive: true });
    timer = setInterval(() => {
      left.value -= 1;
      if (left.value <= 0) {
        touch();
        onIdle();
      }
    }, 1000);
  });
  onBeforeUnmount(() => {
    for (const e of ['pointerdown', 'keydown']) window.removeEventListener(e, touch);
    if (timer) clearInterval(timer);
  });
  return { left, touch };
}
