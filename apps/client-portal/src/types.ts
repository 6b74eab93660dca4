import type { paths, SuccessBody } from '@ledgerport/web/api-client';

/*
 * Portal types, derived from the API contract by path (so they follow regenerations of schema.d.ts).
 */

export type PortalSession = SuccessBody<paths['/api/v1/portal/auth/session']['get']>;
export type PortalContact = PortalSession['contact'];
export type PortalBusiness = PortalSession['businesses'][number];
export type PortalBusinessFirm = PortalBusiness['firm'];
export type PortalRole = PortalBusiness['role'];

export type SignInLinkInfo = SuccessBody<paths['/api/v1/portal/auth/sign-in-link/{token}']['get']>;
export type ResetTokenInfo = SuccessBody<paths['/api/v1/portal/auth/password-reset/{token}']['get']>;

export type FirmAccess = SuccessBody<
  paths['/api/v1/portal/businesses/{businessId}/firm-access']['get']
>['items'][number];
export type DirectoryFirm = SuccessBody<paths['/api/v1/portal/firm-directory']['get']>['items'][number];

/** What the portal needs to brand a page: from the public firm DTO or from a business's firm. */
export interface FirmBrand {
  name: string;
  slug: string;
  portalName?: string | null;
  accentColor?: string | null;
  logoUrl?: string | null;
}

export type PortalConnectionInfo = SuccessBody<paths['/api/v1/portal/businesses/{businessId}/connection']['get']>;
export type PortalLedgerProvider = PortalConnectionInfo['providers'][number];

/* Questions (Q1–Q7), as the portal sees them. */
export type PortalQuestionList = SuccessBody<
  paths['/api/v1/portal/businesses/{businessId}/questions']['get']
>;
export type PortalQuestion = PortalQuestionList['needsAnswer'][number];
export type PortalQuestionDetail = SuccessBody<
  paths['/api/v1/portal/businesses/{businessId}/questions/{questionId}']['get']
>;
export type PortalQuestionMessage = PortalQuestionDetail['messages'][number];
export type PortalAttachment = PortalQuestionMessage['attachments'][number];
export type PortalTeammate = PortalQuestionDetail['teammates'][number];
export type PortalQuestionTransaction = NonNullable<PortalQuestion['transaction']>;
