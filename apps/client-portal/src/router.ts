import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { pageTitle } from '@ledgerport/web/ui';
import { portalAuthRoutes } from './modules/portal-auth/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. Client sessions arrive with client sign-in. */
    public?: boolean;
    /** Page title, before " · Ledgerport"; pages with a firm name set their own. */
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  ...portalAuthRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./modules/errors/pages/NotFoundPage.vue'),
    meta: { public: true, title: 'Page not found' },
  },
];

export const router = createRouter({
  // BASE_URL is '/portal/' (vite `base`).
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior() {
    return { top: 0 };
  },
});

router.beforeEach((to) => {
  // No client sessions yet: anything that is not public leads back to the portal's front page.
  if (!to.meta.public) return { name: 'portal-home' };
  return true;
});

router.afterEach((to) => {
  document.title = pageTitle(to.meta.title);
});
