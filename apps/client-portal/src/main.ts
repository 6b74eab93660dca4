import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { installLedgerportUi } from '@ledgerport/web/ui';
import App from './App.vue';
import { router } from './router';

const app = createApp(App);
app.use(createPinia());
installLedgerportUi(app);
app.use(router);
app.mount('#app');
