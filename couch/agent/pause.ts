// A wait between rounds of an agent loop that stop() cuts short, so a stopped agent leaves
// no timer behind to keep the process alive.
export class Pause {
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }
}
