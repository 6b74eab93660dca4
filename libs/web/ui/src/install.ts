import type { App } from 'vue';
import PrimeVue from 'primevue/config';
import ToastService from 'primevue/toastservice';
import ConfirmationService from 'primevue/confirmationservice';
import Tooltip from 'primevue/tooltip';
import { LedgerportPreset } from './theme';

/** PrimeVue with the Ledgerport preset, toasts, confirmations and the tooltip directive. */
export function installLedgerportUi(app: App): void {
  app.use(PrimeVue, {
    theme: {
      preset: LedgerportPreset,
      options: {
        darkModeSelector: false,
        cssLayer: { name: 'primevue', order: 'lp-base, primevue' },
      },
    },
  });
  app.use(ToastService);
  app.use(ConfirmationService);
  app.directive('tooltip', Tooltip);
}
