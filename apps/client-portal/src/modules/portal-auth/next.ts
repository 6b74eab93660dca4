import type { LocationQuery, RouteLocationNormalized, Router } from 'vue-router';
import { NEXT_PAGE_PATTERN } from '@ledgerport/web/api-client';

/**
 * `next` says where a sign-in continues: a page of the portal, as its path after `/<firm slug>/`
 * ("questions/<id>", "settings/email"), in the form the API takes it (NEXT_PAGE_PATTERN).
 */
const NEXT = NEXT_PAGE_PATTERN;

/** The `next` for a signed-out visit to `to` (a page of the firm `slug`); none for the home page. */
export function nextFor(to: Pick<RouteLocationNormalized, 'path'>, slug: string): string | undefined {
  const prefix = `/${slug}/`;
  if (!to.path.startsWith(prefix)) return undefined;
  const rest = to.path.slice(prefix.length).replace(/\/$/, '');
  return rest && rest !== 'home' && NEXT.test(rest) ? rest : undefined;
}

/** A well-formed `next` from a page's query, or null. */
export function readNext(query: LocationQuery): string | null {
  const raw = Array.isArray(query['next']) ? query['next'][0] : query['next'];
  return typeof raw === 'string' && NEXT.test(raw) ? raw : null;
}

/**
 * Where a person who just signed in to a business of the firm `slug` goes when `next` is one of
 * the portal's signed-in pages: its full path. Null otherwise (they go to the business's home).
 */
export function nextPath(router: Router, slug: string, next: string | null): string | null {
  if (!next || !NEXT.test(next)) return null;
  const resolved = router.resolve(`/${slug}/${next}`);
  return resolved.meta.requiresContact ? resolved.fullPath : null;
}
