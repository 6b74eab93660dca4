import { isApiError, type ApiError } from '@ledgerport/web/api-client';

export type SignInLinkProblem = 'LINK_USED' | 'LINK_EXPIRED' | 'LINK_SUPERSEDED' | 'LINK_INVALID';
export type ResetLinkProblem = 'TOKEN_USED' | 'TOKEN_EXPIRED' | 'TOKEN_SUPERSEDED' | 'TOKEN_INVALID';

const SIGN_IN_LINK_PROBLEMS = new Set<string>([
  'LINK_USED',
  'LINK_EXPIRED',
  'LINK_SUPERSEDED',
  'LINK_INVALID',
]);
const RESET_LINK_PROBLEMS = new Set<string>([
  'TOKEN_USED',
  'TOKEN_EXPIRED',
  'TOKEN_SUPERSEDED',
  'TOKEN_INVALID',
]);

export function isSignInLinkProblem(code: string): code is SignInLinkProblem {
  return SIGN_IN_LINK_PROBLEMS.has(code);
}

export function isResetLinkProblem(code: string): code is ResetLinkProblem {
  return RESET_LINK_PROBLEMS.has(code);
}

/** A string from an error's `details` (e.g. the 410s' `{firmSlug, email}`), if it is there. */
export function detail(error: ApiError | unknown, key: string): string | null {
  if (!isApiError(error) || typeof error.details !== 'object' || error.details === null) return null;
  const value = (error.details as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() ? value : null;
}

export interface ProblemCopy {
  title: string;
  explain: string;
}

export function signInLinkProblemCopy(problem: SignInLinkProblem): ProblemCopy {
  switch (problem) {
    case 'LINK_USED':
      return {
        title: 'This sign-in link has already been used',
        explain: 'Each sign-in link works only once. We can email you a new one: it takes a moment.',
      };
    case 'LINK_EXPIRED':
      return {
        title: 'This sign-in link has expired',
        explain: 'Sign-in links work for 6 hours. We can email you a new one: use it soon after it arrives.',
      };
    case 'LINK_SUPERSEDED':
      return {
        title: 'A newer sign-in link was sent, so this one no longer works',
        explain: 'Only the newest link works. Open the latest email from us, or ask for another link here.',
      };
    default:
      return {
        title: 'This sign-in link is not valid',
        explain:
          'It may be incomplete: make sure you opened the whole link from your email. Or ask for a new one here.',
      };
  }
}

export function resetLinkProblemCopy(problem: ResetLinkProblem): ProblemCopy {
  switch (problem) {
    case 'TOKEN_USED':
      return {
        title: 'This password link has already been used',
        explain:
          'Each link works only once. If you chose a new password with it, sign in with that password. If not, ask for a new link.',
      };
    case 'TOKEN_EXPIRED':
      return {
        title: 'This password link has expired',
        explain:
          'Links to choose a new password work for 1 hour. Ask for a new one and use it soon after it arrives.',
      };
    case 'TOKEN_SUPERSEDED':
      return {
        title: 'A newer password link was sent, so this one no longer works',
        explain: 'Only the newest link works. Open the latest email from us, or ask for a new link.',
      };
    default:
      return {
        title: 'This password link is not valid',
        explain:
          'It may be incomplete: make sure you opened the whole link from your email. If it still doesn’t work, ask for a new one.',
      };
  }
}
