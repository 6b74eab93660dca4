import type { RouteRecordRaw } from 'vue-router';

export const firmAccessRoutes: RouteRecordRaw[] = [
  {
    path: '/:slug/firm-access',
    name: 'portal-firm-access',
    component: () => import('./pages/FirmAccessPage.vue'),
    props: true,
    meta: { requiresContact: true, title: 'Firms with access' },
  },
];
