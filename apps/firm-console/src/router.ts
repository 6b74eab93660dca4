import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { pageTitle } from '@ledgerport/web/ui';
import { useSessionStore } from './stores/session';
import { authRoutes } from './modules/auth/routes';
import { clientsRoutes } from './modules/clients/routes';
import { connectionsRoutes } from './modules/connections/routes';
import { teamRoutes } from './modules/team/routes';
import { activityRoutes } from './modules/activity/routes';
import { settingsRoutes } from './modules/settings/routes';
import { accountRoutes } from './modules/account/routes';
import { syncRoutes } from './modules/sync/routes';
import { questionsRoutes } from './modules/questions/routes';
import { devOutboxRoutes } from './modules/dev-outbox/routes';
import AppShell from './modules/layout/components/AppShell.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Public auth pages: a signed-in person is sent to /clients instead. */
    guestOnly?: boolean;
    /** Only firm admins; staff are sent to /clients. */
    adminOnly?: boolean;
    /** Page title, before " · Ledgerport". */
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  ...authRoutes,
  ...devOutboxRoutes,
  {
    path: '/',
    component: AppShell,
    children: [
      { path: '', redirect: '/clients' },
      ...clientsRoutes,
      ...syncRoutes,
      ...questionsRoutes,
      ...connectionsRoutes,
      ...teamRoutes,
      ...activityRoutes,
      ...settingsRoutes,
      ...accountRoutes,
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./modules/errors/pages/NotFoundPage.vue'),
    meta: { public: true, title: 'Page not found' },
  },
];

/** Only same-app paths are accepted as a `next` target. */
export function safeNext(next: unknown): string | null {
  const value = Array.isArray(next) ? next[0] : next;
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return null;
  }
  return value;
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior(_to, _from, saved) {
    return saved ?? { top: 0 };
  },
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  await session.ensureLoaded();

  if (!to.meta.public && !session.isSignedIn) {
    return { path: '/sign-in', query: { next: to.fullPath } };
  }
  if (to.meta.guestOnly && session.isSignedIn) {
    return { path: '/clients' };
  }
  if (to.meta.adminOnly && !session.isAdmin) {
    return { path: '/clients' };
  }
  return true;
});

router.afterEach((to) => {
  document.title = pageTitle(to.meta.title);
});
