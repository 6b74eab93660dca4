import type { EntityManager } from 'typeorm';
import { firmLogoUrl, logoVersionSql } from '@ledgerport/server/firms';
import type { EmailBrand } from '@ledgerport/server/notifications';

export interface FirmBrandRow {
  firm_id: string;
  firm_name: string;
  firm_slug: string;
  portal_name: string | null;
  portal_accent: string | null;
  logo_version: string | null;
}

/** The columns of a firm's public branding, for SELECTs joined on `f` (firms). */
export const FIRM_BRAND_COLUMNS = `f.id AS firm_id, f.name AS firm_name, f.slug AS firm_slug, f.portal_name, f.portal_accent,
  ${logoVersionSql('f')} AS logo_version`;

export interface PortalFirmView {
  name: string;
  slug: string;
  portalName: string | null;
  accentColor: string | null;
  logoUrl: string | null;
}

export const toPortalFirm = (r: FirmBrandRow): PortalFirmView => ({
  name: r.firm_name,
  slug: r.firm_slug,
  portalName: r.portal_name,
  accentColor: r.portal_accent,
  logoUrl: firmLogoUrl(null, r.firm_slug, r.logo_version),
});

export const emailBrand = (r: FirmBrandRow, appUrl: string): EmailBrand => ({
  name: r.portal_name ?? r.firm_name,
  accentColor: r.portal_accent,
  logoUrl: firmLogoUrl(appUrl, r.firm_slug, r.logo_version),
});

export async function firmBrand(m: EntityManager, firmId: string): Promise<FirmBrandRow> {
  const [row]: FirmBrandRow[] = await m.query(`SELECT ${FIRM_BRAND_COLUMNS} FROM firms f WHERE f.id = $1`, [firmId]);
  return row;
}

export const portalUrl = (appUrl: string, slug: string, path = ''): string =>
  `${appUrl.replace(/\/$/, '')}/portal/${encodeURIComponent(slug)}${path}`;

/**
 * The address of an emailed sign-in link; `next` (a portal page, as its path after `/<slug>/`)
 * is where the person lands once signed in.
 */
export const signInLinkUrl = (appUrl: string, slug: string, token: string, next?: string): string =>
  portalUrl(appUrl, slug, `/sign-in-link?token=${encodeURIComponent(token)}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
