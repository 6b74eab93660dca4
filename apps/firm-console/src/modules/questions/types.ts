import type { RequestBody, SuccessBody, paths } from '@ledgerport/web/api-client';

/*
 * Types of the questions contract (Q1, Q2, Q8, Q10, S6), derived from the generated schema by path
 * so they follow the API when `npm run openapi:generate` runs again.
 */

/** GET /questions: one page of the board, with the counts per status. */
export type QuestionPage = SuccessBody<paths['/api/v1/questions']['get']>;
export type Question = QuestionPage['items'][number];
export type QuestionCounts = QuestionPage['counts'];
export type QuestionStatus = Question['status'];
export type QuestionKind = Question['kind'];
export type QuestionQuery = NonNullable<paths['/api/v1/questions']['get']['parameters']['query']>;

/** GET /questions/:id: the question with its whole thread, internal notes included. */
export type QuestionDetail = SuccessBody<paths['/api/v1/questions/{questionId}']['get']>;
export type QuestionMessage = QuestionDetail['messages'][number];
export type Attachment = QuestionMessage['attachments'][number];
/** An account of the client's chart, offered to the client or picked by them. */
export type Category = Question['categoryOptions'][number];
/** The copy of the transaction the client is shown. */
export type QuestionTransaction = NonNullable<Question['transaction']>;
/** The write-back of a category to the ledger (S6). */
export type ApplyState = NonNullable<Question['apply']>;
export type Person = NonNullable<Question['assignee']>;

export type AskBody = RequestBody<paths['/api/v1/clients/{clientId}/questions']['post']>;
export type BulkAskBody = RequestBody<paths['/api/v1/clients/{clientId}/questions/bulk']['post']>;
export type QuestionUpdate = RequestBody<paths['/api/v1/questions/{questionId}']['patch']>;
export type ApplyBody = RequestBody<paths['/api/v1/questions/{questionId}/apply']['post']>;

/** GET /team/assignable: a teammate who may follow a question up. */
export type Assignable = SuccessBody<paths['/api/v1/team/assignable']['get']>['items'][number];
