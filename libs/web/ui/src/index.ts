import 'primeicons/primeicons.css';
import './styles.css';

export { LedgerportPreset, ledgerportPalette } from './theme';
export { installLedgerportUi } from './install';
export { formatDate, formatDateTime, formatRelative, initials, isHttpUrl, pageTitle } from './format';
export { default as PageHeader } from './components/PageHeader.vue';
export { default as EmptyState } from './components/EmptyState.vue';
export { default as BrandMark } from './components/BrandMark.vue';
export { default as FormField } from './components/FormField.vue';
export { useLedgerConnectPopup, type LedgerConnectOutcome, type LedgerProviderName, type ConnectionMessage } from './ledger-connect-popup';
