import type { RouteRecordRaw } from 'vue-router';

export const portalAuthRoutes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'portal-home',
    component: () => import('./pages/PortalHomePage.vue'),
    meta: { public: true, title: 'Client portal' },
  },
  {
    path: '/:slug',
    name: 'portal-sign-in',
    component: () => import('./pages/PortalSignInPage.vue'),
    props: true,
    meta: { public: true, title: 'Sign in' },
  },
];
