import type { RouteRecordRaw } from 'vue-router';

export const teamRoutes: RouteRecordRaw[] = [
  {
    path: 'team',
    name: 'team',
    component: () => import('./pages/TeamPage.vue'),
    meta: { title: 'Team', adminOnly: true },
  },
];
