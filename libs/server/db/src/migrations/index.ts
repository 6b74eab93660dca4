import { Foundation1763900000000 } from './1763900000000-foundation';
import { Portal1764000000000 } from './1764000000000-portal';

/** Every migration, in order. New migrations are appended here. */
export const migrations = [Foundation1763900000000, Portal1764000000000];
