import { computed, watch, type Ref } from 'vue';
import { usePortalFirmStore } from '../../../stores/firm';
import { portalDisplayName } from '../../../branding/use-portal-brand';

/** Looks up the public firm of the portal at `slug` (for branding) and keeps it current. */
export function usePublicFirm(slug: Ref<string>) {
  const store = usePortalFirmStore();

  watch(slug, (s) => void store.open(s), { immediate: true });

  const firm = computed(() =>
    store.lookup.state === 'found' && store.slug === slug.value ? store.lookup.firm : null,
  );
  const displayName = computed(() => (firm.value ? portalDisplayName(firm.value) : ''));
  /** "Northwind Bookkeeping" under a portal name of its own, for context. */
  const firmLine = computed(() =>
    firm.value && displayName.value.trim() !== firm.value.name.trim() ? firm.value.name : null,
  );

  return { store, firm, displayName, firmLine, retry: () => store.open(slug.value) };
}
