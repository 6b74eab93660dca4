import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { installLedgerportUi } from '@ledgerport/web/ui';
import App from './App.vue';
import { router } from './router';
import { onSessionExpired } from './api';
import { useSessionStore } from './stores/session';
import { useClientDirectoryStore } from './stores/clients';
import { useQuestionCountsStore } from './stores/question-counts';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
installLedgerportUi(app);
app.use(router);

onSessionExpired(() => {
  const session = useSessionStore(pinia);
  if (!session.isSignedIn) return;
  session.clear();
  useClientDirectoryStore(pinia).reset();
  useQuestionCountsStore(pinia).reset();
  const current = router.currentRoute.value;
  if (!current.meta.public) {
    void router.replace({ path: '/sign-in', query: { next: current.fullPath, expired: '1' } });
  }
});

app.mount('#app');
