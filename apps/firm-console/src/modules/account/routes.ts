import type { RouteRecordRaw } from 'vue-router';

export const accountRoutes: RouteRecordRaw[] = [
  {
    // Everyone's own settings: not adminOnly.
    path: 'account/notifications',
    name: 'account-notifications',
    component: () => import('./pages/EmailNotificationsPage.vue'),
    meta: { title: 'My email notifications' },
  },
];
