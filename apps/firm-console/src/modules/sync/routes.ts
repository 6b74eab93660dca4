import type { RouteRecordRaw } from 'vue-router';

export const syncRoutes: RouteRecordRaw[] = [
  {
    path: 'clients/:id/transactions',
    name: 'client-transactions',
    component: () => import('./pages/TransactionsPage.vue'),
    props: true,
    meta: { title: 'Transactions' },
  },
];
