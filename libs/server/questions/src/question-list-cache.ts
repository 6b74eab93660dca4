import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { preparedQuery } from '@ledgerport/server/db';

/**
 * The question lists as JSON, kept per version (migration 1765000000000): a firm's version for the
 * console's boards, a client's for its portal list. A request reads the version (one indexed row)
 * and answers the JSON built under it, or builds it. The version is read before the list, so what
 * is kept under a version is never older than it: a reader who sees version n gets a list that
 * includes every change up to n. The sessions read the version as a request begins (the staff
 * session its firm's, the portal session each business's), which keeps the same order. Each API process keeps its own, bounded by QUESTION_CACHE_MB.
 */
@Injectable()
export class QuestionListCache {
  private readonly kept: LRUCache<string, string> | null;
  /** Lists being built, so fifty readers who miss at once build it once. */
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const maxSize = config.QUESTION_CACHE_MB * 1024 * 1024;
    // A JS string costs about two bytes a character.
    this.kept = maxSize > 0 ? new LRUCache<string, string>({ maxSize, sizeCalculation: (json) => 2 * json.length + 200 }) : null;
  }

  /**
   * The list of `scopeId` (a firm or a client) that `key` names, as JSON. `version`: the scope's
   * version when the request already read it (with its session); else it is read here.
   */
  async json(scopeId: string, key: string, build: () => Promise<unknown>, version?: string): Promise<string> {
    if (!this.kept) return JSON.stringify(await build());
    version ??= (await preparedQuery<{ version: string }>(this.db, 'question_version', `SELECT version FROM question_versions WHERE scope_id = $1`, [scopeId]))[0]?.version ?? '0';
    const id = `${scopeId}:${version}:${key}`;
    const hit = this.kept.get(id) ?? this.building.get(id);
    if (hit !== undefined) return hit;
    const json = build().then((value) => JSON.stringify(value));
    this.building.set(id, json);
    try {
      const done = await json;
      this.kept.set(id, done);
      return done;
    } finally {
      this.building.delete(id);
    }
  }
}
