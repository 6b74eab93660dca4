import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [
  { path: 'settings', redirect: '/settings/branding' },
  {
    // Not adminOnly: staff who follow a link here are told who can change branding, not bounced.
    path: 'settings/branding',
    name: 'settings-branding',
    component: () => import('./pages/BrandingPage.vue'),
    meta: { title: 'Portal branding' },
  },
  {
    // Everyone may read the schedule (the Sync card links here); admins change it.
    path: 'settings/sync',
    name: 'settings-sync',
    component: () => import('./pages/SyncSettingsPage.vue'),
    meta: { title: 'Sync schedule' },
  },
];
