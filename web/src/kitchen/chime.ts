// The new-ticket sound: a short two-tone chime made with Web Audio (no file to load).
// Browsers start audio suspended until the first tap, so the display asks for one.
let ctx: AudioContext | null = null;

function context(): AudioContext {
  ctx ??= new AudioContext();
  return ctx;
}

export function audioLocked(): boolean {
  return context().state !== 'running';
}

export async function unlockAudio(): Promise<void> {
  await context().resume();
}

export function chime(): void {
  const c = context();
  if (c.state !== 'running') return;
  const t = c.currentTime;
  for (const [i, freq] of [880, 1320].entries()) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.4, t + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.35);
    osc.connect(gain).connect(c.destination);
    osc.start(t + i * 0.18);
    osc.stop(t + i * 0.18 + 0.4);
  }
}
