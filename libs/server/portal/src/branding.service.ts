import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService } from '@ledgerport/server/audit';
import type { FirmScope } from '@ledgerport/server/db';
import { firmLogoUrl, logoVersionSql } from '@ledgerport/server/firms';
import { contrastRatio, MIN_ACCENT_CONTRAST } from './contrast';
import type { BrandingDto, UpdateBrandingDto } from './dto/branding.dto';

/** The theme's primary (libs/web/ui ledgerportPalette[600]): what the portal shows without branding. */
export const DEFAULT_ACCENT = '#1f7469';
export const MAX_LOGO_BYTES = 512 * 1024;

/** Accepted logo formats, recognised by their first bytes (the declared type must agree). */
const LOGO_SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};

interface BrandRow {
  name: string;
  slug: string;
  portal_name: string | null;
  portal_accent: string | null;
  logo_version: string | null;
}

/** T8: the firm's portal name, accent colour and logo, used by the portal and its emails. */
@Injectable()
export class BrandingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly activity: ActivityService,
  ) {}

  get(scope: FirmScope): Promise<BrandingDto> {
    return this.read(this.db.manager, scope.firmId);
  }

  async update(scope: FirmScope, dto: UpdateBrandingDto): Promise<BrandingDto> {
    if (dto.accentColor) {
      const contrast = contrastRatio(dto.accentColor, '#ffffff');
      if (contrast < MIN_ACCENT_CONTRAST) {
        throw new AppException(
          HttpStatus.BAD_REQUEST,
          'ACCENT_COLOR_UNREADABLE',
          `White text on ${dto.accentColor} has a contrast of ${contrast.toFixed(2)}:1; it needs at least ${MIN_ACCENT_CONTRAST}:1 to be readable. Choose a darker colour.`,
          { contrast: Math.round(contrast * 100) / 100, minimum: MIN_ACCENT_CONTRAST },
        );
      }
    }
    return this.db.transaction(async (m) => {
      await m.query(`UPDATE firms SET portal_name = $2, portal_accent = $3, updated_at = now() WHERE id = $1`, [
        scope.firmId,
        dto.portalName,
        dto.accentColor,
      ]);
      await this.log(m, scope, 'firm.branding_updated', `Changed the portal branding (name: ${dto.portalName ?? 'firm name'}, colour: ${dto.accentColor ?? 'default'})`);
      return this.read(m, scope.firmId);
    });
  }

  async setLogo(scope: FirmScope, contentType: string | undefined, body: unknown): Promise<BrandingDto> {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const check = LOGO_SIGNATURES[type];
    if (!check) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'LOGO_TYPE_NOT_ALLOWED',
        'The logo must be a PNG, JPEG or WebP image.',
      );
    }
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'LOGO_EMPTY', 'Send the image file as the request body.');
    }
    if (body.length > MAX_LOGO_BYTES) {
      throw new AppException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'LOGO_TOO_LARGE',
        `The logo is ${Math.ceil(body.length / 1024)} KB; it can be at most ${MAX_LOGO_BYTES / 1024} KB.`,
        { maxBytes: MAX_LOGO_BYTES },
      );
    }
    if (!check(body)) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'LOGO_TYPE_NOT_ALLOWED',
        `That file is not a ${type.replace('image/', '').toUpperCase()} image. The logo must be a PNG, JPEG or WebP image.`,
      );
    }
    return this.db.transaction(async (m) => {
      await m.query(
        `UPDATE firms SET portal_logo = $2, portal_logo_type = $3,
                portal_logo_updated_at = greatest(clock_timestamp(), coalesce(portal_logo_updated_at, 'epoch') + interval '1 second'), updated_at = now()
          WHERE id = $1`,
        [scope.firmId, body, type],
      );
      await this.log(m, scope, 'firm.logo_updated', 'Uploaded a new portal logo');
      return this.read(m, scope.firmId);
    });
  }

  async removeLogo(scope: FirmScope): Promise<BrandingDto> {
    return this.db.transaction(async (m) => {
      await m.query(
        `UPDATE firms SET portal_logo = NULL, portal_logo_type = NULL, portal_logo_updated_at = NULL, updated_at = now() WHERE id = $1`,
        [scope.firmId],
      );
      await this.log(m, scope, 'firm.logo_removed', 'Removed the portal logo');
      return this.read(m, scope.firmId);
    });
  }

  /** The logo of an approved firm, for the public sign-in page and emails. */
  async publicLogo(slug: string): Promise<{ bytes: Buffer; type: string } | null> {
    const [row]: { portal_logo: Buffer | null; portal_logo_type: string | null }[] = await this.db.query(
      `SELECT portal_logo, portal_logo_type FROM firms WHERE slug = $1 AND status = 'approved'`,
      [slug.toLowerCase()],
    );
    return row?.portal_logo && row.portal_logo_type ? { bytes: row.portal_logo, type: row.portal_logo_type } : null;
  }

  private async read(m: EntityManager, firmId: string): Promise<BrandingDto> {
    const [r]: BrandRow[] = await m.query(
      `SELECT name, slug, portal_name, portal_accent,
              ${logoVersionSql()} AS logo_version
         FROM firms WHERE id = $1`,
      [firmId],
    );
    return {
      portalName: r.portal_name,
      accentColor: r.portal_accent,
      logoUrl: firmLogoUrl(null, r.slug, r.logo_version),
      defaults: { portalName: r.name, accentColor: DEFAULT_ACCENT },
    };
  }

  private log(m: EntityManager, scope: FirmScope, action: string, summary: string) {
    return this.activity.record(m, {
      firmId: scope.firmId,
      actor: { id: scope.userId, name: scope.userName },
      action,
      summary,
      target: { type: 'firm', id: scope.firmId },
    });
  }
}
