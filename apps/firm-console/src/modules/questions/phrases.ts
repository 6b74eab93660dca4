/** Questions bookkeepers ask again and again, offered as one-click starting points. */
export const TRANSACTION_PHRASES: readonly string[] = [
  'What was this for?',
  'Can you send the receipt?',
  'Was this a business or a personal expense?',
  'Which location or project was this for?',
];

export const OTHER_PHRASES: readonly string[] = [
  'Can you send last month’s bank statement?',
  'Did anything unusual happen this month we should know about?',
  'Are there any invoices or bills we haven’t seen yet?',
];
