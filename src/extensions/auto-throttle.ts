import type {Downloader} from '../core/downloader/downloader.js';
import type {Slot} from '../core/downloader/slot.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {Settings} from '../settings/settings.js';

/**
 * Scrapy's AutoThrottle: each domain's download delay follows the server's latency. A slot starts
 * at AUTOTHROTTLE_START_DELAY; after each response the delay moves halfway towards
 * latency / AUTOTHROTTLE_TARGET_CONCURRENCY (never below that target), within DOWNLOAD_DELAY and
 * AUTOTHROTTLE_MAX_DELAY. An error response may raise the delay but never lowers it, so a server
 * that answers errors fast is not hammered faster.
 */
export class AutoThrottle {
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly targetConcurrency: number;
  private readonly debug: boolean;

  constructor(settings: Settings, private readonly logger: Logger) {
    this.minDelay = settings.getFloat('DOWNLOAD_DELAY');
    this.maxDelay = settings.getFloat('AUTOTHROTTLE_MAX_DELAY');
    this.targetConcurrency = settings.getFloat('AUTOTHROTTLE_TARGET_CONCURRENCY');
    this.debug = settings.getBool('AUTOTHROTTLE_DEBUG');
    if (!(this.targetConcurrency > 0)) {
      logger.warning(`AUTOTHROTTLE_TARGET_CONCURRENCY must be above 0, not ${this.targetConcurrency}; using 1`);
      this.targetConcurrency = 1;
    }
  }

  /** Makes the downloader's new slots start at AUTOTHROTTLE_START_DELAY and adjusts them after each response. */
  attach(downloader: Downloader, settings: Settings): void {
    downloader.newSlotDelayMs = Math.max(this.minDelay, settings.getFloat('AUTOTHROTTLE_START_DELAY')) * 1000;
    downloader.onDownloaded = (response, slot) => this.adjust(response, slot);
  }

  adjust(response: Response, slot: Slot): void {
    const latency = response.request.meta.download_latency;
    if (typeof latency !== 'number' || response.request.meta.autothrottle_dont_adjust_delay === true) return;
    const old = slot.delayMs / 1000;
    const target = latency / this.targetConcurrency;
    const next = Math.min(Math.max(this.minDelay, Math.max(target, (old + target) / 2)), this.maxDelay);
    if (response.status !== 200 && next <= old) return;
    slot.delayMs = next * 1000;
    if (this.debug) {
      const change = Math.round((next - old) * 1000);
      this.logger.info(`slot: ${slot.key} | conc:${String(slot.active).padStart(2)} | delay:${String(Math.round(next * 1000)).padStart(5)} ms (${change >= 0 ? '+' : ''}${change}) | latency:${String(Math.round(latency * 1000)).padStart(5)} ms | size:${String(response.body.length).padStart(6)} bytes`);
    }
  }
}
