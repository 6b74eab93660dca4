/** Why Google sign-in was refused (`?signInError=` on the sign-in page), said for a person. */
export function googleSignInErrorMessage(code: string): string {
  switch (code) {
    case 'GOOGLE_NOT_INVITED':
      return 'That Google account isn’t invited to this portal. Ask your bookkeeper to invite the email you use with Google, or sign in with an emailed link.';
    case 'GOOGLE_EMAIL_UNVERIFIED':
      return 'Google hasn’t verified the email address of that account, so we can’t sign you in with it. Verify it with Google first, or sign in with an emailed link.';
    case 'GOOGLE_FAILED':
      return 'Signing in with Google didn’t work this time. Please try again, or sign in with an emailed link.';
    default:
      return 'We couldn’t sign you in. Please try again, or sign in with an emailed link.';
  }
}

/** A light check before asking the API: something@something. */
export function emailProblem(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+$/.test(v)) return 'Enter an email address like name@yourbusiness.com.';
  return null;
}
