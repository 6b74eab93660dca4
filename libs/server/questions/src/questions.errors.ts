import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorDetail } from '@ledgerport/server/errors';

export const QuestionErrorCode = {
  CLIENT_NOT_FOUND: 'CLIENT_NOT_FOUND',
  QUESTION_NOT_FOUND: 'QUESTION_NOT_FOUND',
  TRANSACTION_NOT_FOUND: 'TRANSACTION_NOT_FOUND',
  DUPLICATE_QUESTION: 'DUPLICATE_QUESTION',
  CONTACT_NOT_FOUND: 'CONTACT_NOT_FOUND',
  NO_CONTACTS: 'NO_CONTACTS',
  ASSIGNEE_NOT_FOUND: 'ASSIGNEE_NOT_FOUND',
  CATEGORY_NOT_FOUND: 'CATEGORY_NOT_FOUND',
  CATEGORY_NOT_OFFERED: 'CATEGORY_NOT_OFFERED',
  QUESTION_RESOLVED: 'QUESTION_RESOLVED',
  NOT_RESOLVED: 'NOT_RESOLVED',
  ANSWER_EMPTY: 'ANSWER_EMPTY',
  ATTACHMENT_NOT_FOUND: 'ATTACHMENT_NOT_FOUND',
  QUESTIONS_FOR_US_OFF: 'QUESTIONS_FOR_US_OFF',
  SAME_CONTACT: 'SAME_CONTACT',
  NOT_A_TRANSACTION_QUESTION: 'NOT_A_TRANSACTION_QUESTION',
  NOTHING_TO_APPLY: 'NOTHING_TO_APPLY',
  APPLY_IN_PROGRESS: 'APPLY_IN_PROGRESS',
  NEEDS_RECONNECT: 'NEEDS_RECONNECT',
} as const;

export const questionNotFound = () => new AppException(HttpStatus.NOT_FOUND, QuestionErrorCode.QUESTION_NOT_FOUND, 'We could not find that question.');

export const clientNotFound = () => new AppException(HttpStatus.NOT_FOUND, QuestionErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');

export const contactNotFound = () =>
  new AppException(HttpStatus.NOT_FOUND, QuestionErrorCode.CONTACT_NOT_FOUND, 'That person is not one of this business’s portal users.');

export function duplicateQuestion(details: ErrorDetail[]): AppException {
  const one = details.length === 1;
  return new AppException(
    HttpStatus.CONFLICT,
    QuestionErrorCode.DUPLICATE_QUESTION,
    one
      ? `There is already a question about this transaction (${details[0].message}). Open it instead of asking again.`
      : `${details.length} of these transactions already have a question. Leave them out, or open the questions already asked.`,
    details,
  );
}
