import type { DeviceInfo } from '../../../design-docs/lib/types';

/** What the store learns about a device when it pairs (a browser cannot know its hostname or MAC). */
export function deviceInfo(): DeviceInfo {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  return {
    user_agent: navigator.userAgent.slice(0, 200),
    platform: (nav.userAgentData?.platform ?? navigator.platform ?? '').slice(0, 60),
    screen: `${screen.width}x${screen.height}`,
  };
}
