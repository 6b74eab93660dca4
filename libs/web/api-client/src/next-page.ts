/**
 * The form in which the API takes the page a sign-in continues to (`next`): its path without the
 * leading slash (the portal's after `/<firm slug>/`). Letters, digits, "-", "_" and single slashes
 * only, so it can never lead to another site. The API checks the same rule (PORTAL_NEXT_PATTERN).
 */
export const NEXT_PAGE_PATTERN = /^(?!.*\/\/)[a-z0-9][a-z0-9/_-]{0,199}$/i;
