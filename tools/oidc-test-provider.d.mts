// Types for tools/oidc-test-provider.mjs, so TypeScript tests can import it.
export interface TestAccount {
  email: string;
  emailVerified: boolean;
  name: string;
}
export interface OidcTestProvider {
  issuer: string;
  port: number;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}
export function startOidcProvider(opts?: {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  redirectUris?: string[];
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  quiet?: boolean;
}): Promise<OidcTestProvider>;
export function loginWithoutBrowser(
  authorizationUrl: string,
  email: string,
  opts?: { name?: string; sub?: string; emailVerified?: boolean; cancel?: boolean },
): Promise<string>;
