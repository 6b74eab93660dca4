import { computed, type ComputedRef } from 'vue';
import { useRoute } from 'vue-router';

/** The `?token=` of an emailed link (trimmed), or null when the URL has none. */
export function useQueryToken(): ComputedRef<string | null> {
  const route = useRoute();
  return computed(() => {
    const t = route.query['token'];
    return typeof t === 'string' && t.trim() ? t.trim() : null;
  });
}
