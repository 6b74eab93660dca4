/**
 * A firm's portal logo is addressed by a version (the second of its last change), so browsers and
 * mail clients may cache it forever and still see a new one at once.
 */

/** SQL: the logo version of the firm aliased `alias` (or of `firms` without an alias), null without a logo. */
export function logoVersionSql(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return `CASE WHEN ${p}portal_logo_type IS NULL THEN NULL ELSE extract(epoch FROM ${p}portal_logo_updated_at)::bigint::text END`;
}

/** The logo's URL (absolute with `appUrl`, e.g. for emails), or null without a logo. */
export function firmLogoUrl(appUrl: string | null, slug: string, version: string | null): string | null {
  if (!version) return null;
  const path = `/api/v1/public/firms/${encodeURIComponent(slug)}/logo?v=${version}`;
  return appUrl ? `${appUrl.replace(/\/$/, '')}${path}` : path;
}
