import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [
  {
    // The question emails link here (`<portal>/settings`): email settings are the only settings so far.
    path: '/:slug/settings',
    redirect: (to) => ({ name: 'portal-email-settings', params: to.params }),
  },
  {
    path: '/:slug/settings/email',
    name: 'portal-email-settings',
    component: () => import('./pages/EmailSettingsPage.vue'),
    props: true,
    meta: { requiresContact: true, title: 'Email settings' },
  },
];
