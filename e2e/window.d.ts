// The kiosk's bench hook (web/src/orders/bench-hook.ts), as the browser tests call it.
declare global {
  interface Window {
    __lapakBench?: { placeOrder(): Promise<{ number: string; committedAt: number }> };
  }
}
export {};
