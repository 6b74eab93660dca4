import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteRecordRaw,
} from 'vue-router';
import { pageTitle } from '@ledgerport/web/ui';
import { portalAuthRoutes } from './modules/portal-auth/routes';
import { homeRoutes } from './modules/home/routes';
import { firmAccessRoutes } from './modules/firm-access/routes';
import { questionsRoutes } from './modules/questions/routes';
import { settingsRoutes } from './modules/settings/routes';
import { businessHome, usePortalSessionStore } from './stores/session';
import { nextFor, nextPath, readNext } from './modules/portal-auth/next';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /**
     * Needs a signed-in client contact: without one, the guard sends the person to `/<slug>`
     * (sign in). Such pages render inside the signed-in shell (header, business switcher).
     */
    requiresContact?: boolean;
    /** Page title, before " · Ledgerport"; pages with a firm or business name set their own. */
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  ...portalAuthRoutes,
  ...homeRoutes,
  ...firmAccessRoutes,
  ...questionsRoutes,
  ...settingsRoutes,
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
  scrollBehavior(_to, _from, saved) {
    return saved ?? { top: 0 };
  },
});

function slugOf(route: RouteLocationNormalized): string {
  const slug = route.params['slug'];
  return (Array.isArray(slug) ? slug[0] : slug) ?? '';
}

router.beforeEach(async (to) => {
  const session = usePortalSessionStore();

  if (to.meta.requiresContact) {
    const slug = slugOf(to);
    await session.ensureLoaded();
    const current = session.currentBusiness;
    if (!session.isSignedIn || !current) {
      // Signing in continues to the page the person opened.
      const next = nextFor(to, slug);
      return { name: 'portal-sign-in', params: { slug }, query: next ? { next } : {} };
    }
    if (current.firm.slug === slug) return true;

    // A portal link of another firm the person also works with: look at that firm's business.
    const match = session.businessWithFirm(slug);
    if (match) {
      const switched = await session.switchBusiness(match.id);
      if (switched.ok && session.currentBusiness?.firm.slug === slug) return true;
    }
    // No business with that firm (or the switch failed): stay on the current business's portal.
    const fallback = session.currentBusiness ?? current;
    return to.name
      ? { name: to.name, params: { ...to.params, slug: fallback.firm.slug }, query: to.query }
      : { name: 'portal-business-home', params: { slug: fallback.firm.slug } };
  }

  if (to.name === 'portal-sign-in') {
    await session.ensureLoaded();
    // Already signed in, with a business this firm looks after: straight to the page it was for.
    const business = session.isSignedIn ? session.businessWithFirm(slugOf(to)) : undefined;
    if (business) return nextPath(router, business.firm.slug, readNext(to.query)) ?? businessHome(business);
  }

  if (to.name === 'portal-landing') {
    await session.ensureLoaded();
    if (session.currentBusiness) return businessHome(session.currentBusiness);
  }

  return true;
});

router.afterEach((to, _from, failure) => {
  // A navigation that did not happen (e.g. to the page already open, after switching business)
  // keeps the title the open page set for itself.
  if (failure) return;
  document.title = pageTitle(to.meta.title);
});
