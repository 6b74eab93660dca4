import type { RouteRecordRaw } from 'vue-router';

export const clientsRoutes: RouteRecordRaw[] = [
  {
    path: 'clients',
    name: 'clients',
    component: () => import('./pages/ClientsPage.vue'),
    meta: { title: 'Clients' },
  },
  {
    path: 'clients/:id',
    name: 'client',
    component: () => import('./pages/ClientPage.vue'),
    props: true,
    meta: { title: 'Client' },
  },
];
