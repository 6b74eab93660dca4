import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Reactive `window.matchMedia(query).matches`. */
export function useMediaQuery(query: string): Ref<boolean> {
  const mql = typeof window !== 'undefined' ? window.matchMedia(query) : null;
  const matches = ref(mql?.matches ?? false);
  const onChange = (e: MediaQueryListEvent) => {
    matches.value = e.matches;
  };
  mql?.addEventListener('change', onChange);
  onBeforeUnmount(() => mql?.removeEventListener('change', onChange));
  return matches;
}
