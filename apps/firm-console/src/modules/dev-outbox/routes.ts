import type { RouteRecordRaw } from 'vue-router';

export const devOutboxRoutes: RouteRecordRaw[] = [
  {
    // Public on purpose: in development you need it to read a password-reset email while signed out.
    // It only has content when the API keeps an outbox (development without SMTP).
    path: '/dev/outbox',
    name: 'dev-outbox',
    component: () => import('./pages/DevOutboxRoute.vue'),
    meta: { public: true, title: 'Dev outbox' },
  },
];
