/** Where the sandbox serves Intuit's OAuth endpoints (the product sets OAuthClient's static URLs to these). */
export const QBO_PATHS = {
  authorize: '/qbo/connect/oauth2',
  token: '/qbo/oauth2/v1/tokens/bearer',
  revoke: '/qbo/oauth2/v1/tokens/revoke',
  userinfo: '/qbo/v1/openid_connect/userinfo',
} as const;
