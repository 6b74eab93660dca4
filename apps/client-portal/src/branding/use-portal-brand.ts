import { computed } from 'vue';
import { useRoute } from 'vue-router';
import { usePortalFirmStore } from '../stores/firm';
import { usePortalSessionStore } from '../stores/session';
import type { FirmBrand } from '../types';

/**
 * The firm whose branding the current page wears: the current business's firm on signed-in pages,
 * else the public firm of the `:slug` in the URL (once looked up). `null` outside any firm's portal.
 */
export function usePortalBrand() {
  const route = useRoute();
  const session = usePortalSessionStore();
  const firms = usePortalFirmStore();

  return computed<FirmBrand | null>(() => {
    const param = route.params['slug'];
    const slug = Array.isArray(param) ? param[0] : param;
    if (!slug) return null;
    const business = session.currentBusiness;
    if (route.meta.requiresContact && business?.firm.slug === slug) return business.firm;
    if (firms.lookup.state === 'found' && firms.slug === slug) return firms.lookup.firm;
    if (business?.firm.slug === slug) return business.firm;
    return null;
  });
}

/** "Northwind Client Hub", or the firm's name when it has no portal name of its own. */
export function portalDisplayName(brand: Pick<FirmBrand, 'name' | 'portalName'>): string {
  return brand.portalName?.trim() || brand.name;
}
