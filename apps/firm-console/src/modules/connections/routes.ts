import type { RouteRecordRaw } from 'vue-router';

export const connectionsRoutes: RouteRecordRaw[] = [
  {
    path: 'connections',
    name: 'connections',
    component: () => import('./pages/ConnectionsPage.vue'),
    meta: { title: 'Connections' },
  },
];
