import type { LocationQuery, RouteLocationNormalized, Router } from 'vue-router';

/**
 * `next` says where a sign-in continues: a page of the portal, as its path after `/<firm slug>/`
 * ("questions/<id>", "settings/email"). The same rule as the API's PORTAL_NEXT_PATTERN: letters,
 * digits, "-", "_" and single slashes, so it can never lead to another site or out of the portal.
 */
const NEXT = /^(?!.*\/\/)[a-z0-9][a-z0-9/_-]{0,199}$/i;

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
