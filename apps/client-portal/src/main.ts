import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { installLedgerportUi } from '@ledgerport/web/ui';
import App from './App.vue';
import { router } from './router';
import { onSessionExpired } from './api';
import { usePortalSessionStore } from './stores/session';
import { nextFor } from './modules/portal-auth/next';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
installLedgerportUi(app);
app.use(router);

// The portal session ended elsewhere (signed out on another device, access revoked…): back to sign-in.
onSessionExpired(() => {
  const session = usePortalSessionStore(pinia);
  if (!session.isSignedIn) return;
  const slug = session.currentBusiness?.firm.slug;
  session.clear();
  const current = router.currentRoute.value;
  const routeSlug = current.params['slug'];
  const target = (Array.isArray(routeSlug) ? routeSlug[0] : routeSlug) || slug;
  if (current.meta.requiresContact && target) {
    const next = nextFor(current, target);
    void router.replace({ name: 'portal-sign-in', params: { slug: target }, query: { expired: '1', ...(next ? { next } : {}) } });
  }
});

app.mount('#app');
