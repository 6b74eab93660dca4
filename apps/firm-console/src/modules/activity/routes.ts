import type { RouteRecordRaw } from 'vue-router';

export const activityRoutes: RouteRecordRaw[] = [
  {
    path: 'activity',
    name: 'activity',
    component: () => import('./pages/ActivityPage.vue'),
    meta: { title: 'Activity', adminOnly: true },
  },
];
