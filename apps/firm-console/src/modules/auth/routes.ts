import type { RouteRecordRaw } from 'vue-router';

export const authRoutes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./pages/SignInPage.vue'),
    meta: { public: true, guestOnly: true, title: 'Sign in' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('./pages/ForgotPasswordPage.vue'),
    meta: { public: true, guestOnly: true, title: 'Reset your password' },
  },
  {
    // Reachable while signed in too: an invitation or reset link is for whoever opens it.
    path: '/set-password',
    name: 'set-password',
    component: () => import('./pages/SetPasswordPage.vue'),
    meta: { public: true, title: 'Choose a password' },
  },
  {
    path: '/apply',
    name: 'apply',
    component: () => import('./pages/ApplyPage.vue'),
    meta: { public: true, guestOnly: true, title: 'Apply as a firm' },
  },
];
