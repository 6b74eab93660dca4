import type { RouteRecordRaw } from 'vue-router';

export const homeRoutes: RouteRecordRaw[] = [
  {
    path: '/:slug/home',
    name: 'portal-business-home',
    component: () => import('./pages/BusinessHomePage.vue'),
    props: true,
    meta: { requiresContact: true, title: 'Home' },
  },
];
