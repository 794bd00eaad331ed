import {serialize} from 'node:v8';
import type {CommitParticipant, CrawlOutputs} from '../core/commit.js';
import type {CommitBatch} from '../persistence/frontier.js';

/** Larger states are saved to the spider.state file only (periodically), not with each page. */
export const STATE_JOURNAL_MAX_BYTES = 64 * 1024;

/**
 * spider.state's part of each commit: its v8 bytes whenever they changed, so that after a crash the
 * state is exactly what the committed pages made it. Gives up (and says why, once) for a state that
 * cannot be serialized or outgrows `maxBytes`; the periodically saved spider.state file then stands
 * alone.
 */
export class SpiderStateParticipant implements CommitParticipant {
  private last?: Buffer;
  private tracking = true;

  constructor(
    private readonly source: () => Record<string, unknown>,
    private readonly onGiveUp: (reason: string) => void,
    private readonly maxBytes = STATE_JOURNAL_MAX_BYTES,
  ) {}

  prepare(_outputs: CrawlOutputs, batch: CommitBatch): void {
    if (!this.tracking) return;
    const bytes = this.changed();
    if (!this.tracking) batch.state = {stopTracking: true};
    else if (bytes !== undefined) batch.state = {bytes};
  }

  committed(batch: CommitBatch): void {
    if (batch.state?.bytes !== undefined) this.last = batch.state.bytes;
  }

  /** The state's bytes at close, if tracked and changed since the last commit. */
  finalState(): Buffer | undefined {
    return this.tracking ? this.changed() : undefined;
  }

  private changed(): Buffer | undefined {
    let bytes: Buffer;
    try {
      bytes = serialize(this.source());
    } catch (error) {
      this.giveUp(`it cannot be serialized (${(error as Error).message})`);
      return undefined;
    }
    if (bytes.length > this.maxBytes) {
      this.giveUp(`it is ${bytes.length} bytes, more than the ${this.maxBytes} journaled with each page`);
      return undefined;
    }
    return this.last !== undefined && bytes.equals(this.last) ? undefined : bytes;
  }

  private giveUp(reason: string): void {
    this.tracking = false;
    this.onGiveUp(reason);
  }
}
