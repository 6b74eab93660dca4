import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@ledgerport/server/errors';
import { firmLogoUrl } from './logo';
import { ActivityService } from '@ledgerport/server/audit';
import { PasswordTokensService } from '@ledgerport/server/auth';
import { MailService, applicationReceivedEmail, firmApprovedEmail } from '@ledgerport/server/notifications';
import type { FirmApplicationDto, FirmDto, OperatorFirmDto, PublicFirmDto } from './dto/firms.dto';
import { FirmsErrorCode } from './firms.errors';
import { FirmsRepository, type FirmRow } from './firms.repository';
import { slugify } from './slug';

@Injectable()
export class FirmsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly firms: FirmsRepository,
    private readonly tokens: PasswordTokensService,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** T1: a firm applies; it stays pending until the platform operator approves it. */
  async apply(dto: FirmApplicationDto): Promise<FirmRow> {
    const { firm, email } = await this.db.transaction(async (m) => {
      await this.firms.lockApplications(m);
      if ((await this.firms.emailHasLogin(m, dto.email)) || (await this.firms.pendingApplicationFor(m, dto.email))) {
        throw AppException.conflict(
          FirmsErrorCode.EMAIL_ALREADY_REGISTERED,
          'This email already has a Ledgerport login or a pending application. Sign in, or apply with another email.',
        );
      }
      const firm = await this.firms.insert(m, {
        name: dto.firmName,
        slug: await this.freeSlug(m, dto.firmName),
        contactName: dto.contactName,
        contactEmail: dto.email,
        phone: dto.phone,
        size: dto.size,
      });
      await this.activity.record(m, {
        firmId: firm.id,
        actor: null,
        actorName: dto.contactName,
        action: 'firm.applied',
        summary: `${dto.contactName} applied for ${dto.firmName}`,
        target: { type: 'firm', id: firm.id },
      });
      const email = await this.mail.stage(m, firm.id, dto.email, applicationReceivedEmail({ name: dto.contactName, firmName: dto.firmName }));
      return { firm, email };
    });
    await this.mail.dispatch(email);
    return firm;
  }

  /**
   * The operator approves a firm (by id or applicant email): the applicant becomes its first
   * admin and is emailed an invitation to set a password.
   */
  async approve(idOrEmail: string, operatorLabel: string): Promise<FirmRow> {
    const { firm, email } = await this.db.transaction(async (m) => {
      const found = await this.firms.findForOperator(m, idOrEmail.trim(), true);
      if (!found) throw AppException.notFound(FirmsErrorCode.FIRM_NOT_FOUND, `No firm application matches "${idOrEmail}".`);
      if (found.status === 'approved') {
        throw AppException.conflict(FirmsErrorCode.FIRM_ALREADY_APPROVED, `${found.name} is already approved.`);
      }
      if (await this.firms.emailHasLogin(m, found.contact_email)) {
        throw AppException.conflict(
          FirmsErrorCode.EMAIL_ALREADY_REGISTERED,
          `${found.contact_email} already has a Ledgerport login, so it cannot become ${found.name}'s admin.`,
        );
      }
      const firm = await this.firms.markApproved(m, found.id);
      const [admin]: { id: string }[] = await m.query(
        `INSERT INTO users (firm_id, email, name, role) VALUES ($1, $2, $3, 'admin') RETURNING id`,
        [firm.id, firm.contact_email.toLowerCase(), firm.contact_name],
      );
      const token = await this.tokens.issue(m, { id: admin.id, firmId: firm.id }, 'invite');
      await this.activity.record(m, {
        firmId: firm.id,
        actor: null,
        actorName: operatorLabel,
        action: 'firm.approved',
        summary: `${firm.name} was approved; ${firm.contact_name} invited as admin`,
        target: { type: 'firm', id: firm.id },
      });
      const email = await this.mail.stage(
        m,
        firm.id,
        firm.contact_email,
        firmApprovedEmail({ name: firm.contact_name, firmName: firm.name, url: this.tokens.link(token) }),
      );
      return { firm, email };
    });
    await this.mail.dispatch(email);
    return firm;
  }

  async publicFirm(slug: string): Promise<PublicFirmDto> {
    const f = await this.firms.findApprovedBySlug(slug.toLowerCase());
    if (!f) throw new AppException(HttpStatus.NOT_FOUND, FirmsErrorCode.FIRM_NOT_FOUND, 'We could not find that firm.');
    return {
      name: f.name,
      slug: f.slug,
      portalName: f.portal_name ?? f.name,
      accentColor: f.portal_accent,
      logoUrl: firmLogoUrl(null, f.slug, f.logo_version),
      googleSignIn: this.config.googleEnabled,
    };
  }

  async current(firmId: string): Promise<FirmDto> {
    const f = await this.firms.findById(firmId);
    if (!f) throw new AppException(HttpStatus.NOT_FOUND, FirmsErrorCode.FIRM_NOT_FOUND, 'We could not find that firm.');
    return { id: f.id, name: f.name, slug: f.slug, status: f.status, portalName: f.portal_name ?? f.name };
  }

  async listForOperator(status?: 'pending' | 'approved'): Promise<OperatorFirmDto[]> {
    return (await this.firms.list(status)).map(toOperatorDto);
  }

  private async freeSlug(m: EntityManager, name: string): Promise<string> {
    const base = slugify(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await this.firms.slugTaken(m, candidate))) return candidate;
    }
  }
}

export function toOperatorDto(f: FirmRow): OperatorFirmDto {
  return {
    id: f.id,
    name: f.name,
    slug: f.slug,
    status: f.status,
    contactName: f.contact_name,
    contactEmail: f.contact_email,
    phone: f.phone,
    size: f.size,
    createdAt: f.created_at.toISOString(),
    approvedAt: f.approved_at ? f.approved_at.toISOString() : null,
  };
}
