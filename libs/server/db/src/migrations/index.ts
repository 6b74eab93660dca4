import { Foundation1763900000000 } from './1763900000000-foundation';
import { Portal1764000000000 } from './1764000000000-portal';
import { LedgerConnections1764100000000 } from './1764100000000-ledger-connections';
import { ClientLedgerConnect1764200000000 } from './1764200000000-client-ledger-connect';
import { LedgerSync1764300000000 } from './1764300000000-ledger-sync';
import { SyncSeen1764400000000 } from './1764400000000-sync-seen';
import { Questions1764500000000 } from './1764500000000-questions';
import { QuestionApply1764600000000 } from './1764600000000-question-apply';
import { QuestionNotices1764700000000 } from './1764700000000-question-notices';
import { QuestionBoard1764800000000 } from './1764800000000-question-board';
import { QuestionCounts1764900000000 } from './1764900000000-question-counts';
import { QuestionVersions1765000000000 } from './1765000000000-question-versions';

/** Every migration, in order. New migrations are appended here. */
export const migrations = [Foundation1763900000000, Portal1764000000000, LedgerConnections1764100000000, ClientLedgerConnect1764200000000, LedgerSync1764300000000, SyncSeen1764400000000, Questions1764500000000, QuestionApply1764600000000, QuestionNotices1764700000000, QuestionBoard1764800000000, QuestionCounts1764900000000, QuestionVersions1765000000000];
