// The UI language, kept per device. Bahasa Indonesia unless someone switches.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { messages, type Locale, type MessageKey } from './messages';

const KEY = 'lapak.locale';

export const useLocale = defineStore('locale', () => {
  const locale = ref<Locale>((localStorage.getItem(KEY) as Locale | null) === 'en' ? 'en' : 'id');

  function set(next: Locale) {
    locale.value = next;
    localStorage.setItem(KEY, next);
    document.documentElement.lang = next;
  }

  function toggle() {
    set(locale.value === 'id' ? 'en' : 'id');
  }

  /** A message with {placeholders} filled in. */
  function t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return messages[locale.value][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
  }

  /** Local time for an ISO-8601 UTC string. */
  function time(iso: string, style: 'short' | 'long' = 'short'): string {
    const tag = locale.value === 'id' ? 'id-ID' : 'en-GB';
    return new Date(iso).toLocaleString(
      tag,
      style === 'short' ? { hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' },
    );
  }

  return { locale, set, toggle, t, time };
});
