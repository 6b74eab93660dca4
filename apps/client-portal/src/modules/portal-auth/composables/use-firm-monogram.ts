import { computed, type Ref } from 'vue';
import { initials } from '@ledgerport/web/ui';
import { isAccentColor } from '../../../branding/accent';

const HOUSE = 'linear-gradient(135deg, #2a8c7e 0%, #173f3b 100%)';

/** A firm's monogram: its initials on its accent colour (the house teal when it has none). */
export function useFirmMonogram(
  name: Ref<string | null | undefined>,
  accentColor?: Ref<string | null | undefined>,
) {
  const letters = computed(() => initials(name.value ?? ''));
  const style = computed(() => {
    const accent = accentColor?.value;
    return { background: isAccentColor(accent) ? accent : HOUSE };
  });
  return { letters, style };
}
