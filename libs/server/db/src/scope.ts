/**
 * Who is acting, inside which firm. Every repository method that touches firm-owned rows takes a
 * FirmScope as its first argument, so a query without a firm is a compile error, not a leak.
 */
export interface FirmScope {
  readonly firmId: string;
  readonly userId: string;
  readonly role: 'admin' | 'staff';
  readonly userName: string;
  /** The firm's question list version read with the session, when it was (QuestionListCache). */
  readonly questionVersion?: string;
}

export const isAdmin = (scope: FirmScope): boolean => scope.role === 'admin';

/** SQL fragment: the client with alias `c` is visible to the scope ($1 = firm id, $2 = user id, $3 = is admin). */
export const CLIENT_VISIBLE_SQL = `c.firm_id = $1 AND c.status <> 'revoked' AND ($3::boolean OR EXISTS (
  SELECT 1 FROM client_assignments ca WHERE ca.client_id = c.id AND ca.user_id = $2))`;

export const scopeParams = (scope: FirmScope): [string, string, boolean] => [scope.firmId, scope.userId, isAdmin(scope)];
