// Placeholder: the Crawler class is written with the engine. Components receive a Crawler and use
// only these members.
import type {Settings} from './settings/settings.js';
import type {StatsCollector} from './stats.js';
import type {Logger} from './logger.js';
import type {SignalManager} from './signals.js';
import type {Spider} from './spider.js';
import type {Job} from '../persistence/types.js';

export interface Crawler {
  settings: Settings;
  stats: StatsCollector;
  logger: Logger;
  signals: SignalManager;
  spider: Spider;
  /** The open job when JOBDIR is set. */
  job?: Job;
  /** Closes the spider with a reason (what the close-spider limits call). */
  closeSpider(reason: string): void;
}
