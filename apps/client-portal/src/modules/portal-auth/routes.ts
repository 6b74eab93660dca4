import type { RouteRecordRaw } from 'vue-router';

export const portalAuthRoutes: RouteRecordRaw[] = [
  {
    // Signed in: redirected to the current business's home by the router guard.
    path: '/',
    name: 'portal-landing',
    component: () => import('./pages/PortalLandingPage.vue'),
    meta: { public: true, title: 'Client portal' },
  },
  {
    path: '/:slug',
    name: 'portal-sign-in',
    component: () => import('./pages/PortalSignInPage.vue'),
    props: true,
    meta: { public: true, title: 'Sign in' },
  },
  {
    path: '/:slug/help',
    name: 'portal-help',
    component: () => import('./pages/PortalHelpPage.vue'),
    props: true,
    meta: { public: true, title: 'Get help signing in' },
  },
  {
    path: '/:slug/reset-password',
    name: 'portal-reset-password',
    component: () => import('./pages/PortalResetPasswordPage.vue'),
    props: true,
    meta: { public: true, title: 'Choose a new password' },
  },
  {
    path: '/:slug/sign-in-link',
    name: 'portal-sign-in-link',
    component: () => import('./pages/PortalSignInLinkPage.vue'),
    props: true,
    meta: { public: true, title: 'Sign in' },
  },
];
