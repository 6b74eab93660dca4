import { computed, type Ref } from 'vue';
import { initials } from '@ledgerport/web/ui';

/** A firm's monogram until portal branding (logo, accent colour) lands: its initials on the house teal. */
export function useFirmMonogram(name: Ref<string | null | undefined>) {
  const letters = computed(() => initials(name.value ?? ''));
  const style = { background: 'linear-gradient(135deg, #2a8c7e 0%, #173f3b 100%)' };
  return { letters, style };
}
