/**
 * Every setting dragline knows, with Scrapy's name and default wherever Scrapy has one, and the type
 * that `-s NAME=VALUE` is coerced to. A setting not listed here is kept as a string.
 */
export type SettingType = 'int' | 'float' | 'bool' | 'string' | 'list' | 'dict' | 'any';

export interface SettingSpec {
  type: SettingType;
  default: unknown;
  /** One line for `dragline settings --list` and docs/settings.md. */
  help: string;
}

export const DEFAULT_SETTINGS = {
  BOT_NAME: {type: 'string', default: 'draglinebot', help: 'Name of the bot implemented by this project'},
  SPIDER_MODULES: {type: 'list', default: [], help: 'Folders or files (relative to the project root) where spiders are looked for'},
  NEWSPIDER_MODULE: {type: 'string', default: '', help: 'Folder where `genspider` writes new spiders'},

  CONCURRENT_REQUESTS: {type: 'int', default: 16, help: 'Maximum concurrent requests overall'},
  CONCURRENT_REQUESTS_PER_DOMAIN: {type: 'int', default: 8, help: 'Maximum concurrent requests to one domain'},
  DOWNLOAD_DELAY: {type: 'float', default: 0, help: 'Seconds to wait between requests to one domain'},
  RANDOMIZE_DOWNLOAD_DELAY: {type: 'bool', default: true, help: 'Wait 0.5 to 1.5 times DOWNLOAD_DELAY'},
  DOWNLOAD_TIMEOUT: {type: 'float', default: 180, help: 'Seconds before a download times out'},
  // Scrapy's default is 1 GiB; a body is held in memory whole, so one hostile response would cost that much (see docs/settings.md).
  DOWNLOAD_MAXSIZE: {type: 'int', default: 64 * 1024 * 1024, help: 'Largest response body accepted, in bytes (0 for no limit); a larger one is cut off as it arrives. Default 64 MiB (Scrapy: 1 GiB), since a body is held in memory'},
  DOWNLOAD_WARNSIZE: {type: 'int', default: 32 * 1024 * 1024, help: 'Response bodies larger than this many bytes are logged as a warning (0: never)'},
  DOWNLOAD_HANDLERS: {type: 'dict', default: {}, help: 'URL scheme to download handler: "http" (the default) or "playwright" (a browser renders requests with meta.playwright; docs/browser.md)'},
  PLAYWRIGHT_LAUNCH_OPTIONS: {type: 'dict', default: {}, help: "Options for Playwright's chromium.launch() (executablePath, headless, args, timeout); the browser is the system's Chromium, never downloaded"},
  PLAYWRIGHT_CONTEXTS: {type: 'dict', default: {}, help: "Browser contexts by name to newContext() options; requests pick one with meta.playwright_context ('default')"},
  PLAYWRIGHT_MAX_PAGES_PER_CONTEXT: {type: 'int', default: 0, help: 'Pages open at once in one browser context; requests wait for a free page (0: CONCURRENT_REQUESTS)'},
  PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT: {type: 'float', default: null, help: 'Milliseconds a page may take to load (unset: DOWNLOAD_TIMEOUT)'},
  PLAYWRIGHT_ABORT_REQUEST: {type: 'any', default: null, help: "A function (in code settings) given each of a page's Playwright requests; true aborts it (images, trackers)"},
  USER_AGENT: {type: 'string', default: 'dragline/0.1 (+https://github.com/dragline-crawler/dragline)', help: 'User-Agent header sent with every request'},
  DEFAULT_REQUEST_HEADERS: {
    type: 'dict',
    default: {Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'Accept-Language': 'en'},
    help: 'Headers added to every request that does not set them',
  },

  ROBOTSTXT_OBEY: {type: 'bool', default: false, help: 'Obey robots.txt rules'},
  ROBOTSTXT_USER_AGENT: {type: 'string', default: '', help: 'User agent matched against robots.txt (USER_AGENT when empty)'},
  RETRY_ENABLED: {type: 'bool', default: true, help: 'Retry failed downloads'},
  RETRY_TIMES: {type: 'int', default: 2, help: 'Retries on top of the first download'},
  RETRY_HTTP_CODES: {type: 'list', default: [500, 502, 503, 504, 522, 524, 408, 429], help: 'Statuses that are retried'},
  RETRY_PRIORITY_ADJUST: {type: 'int', default: -1, help: 'Priority change of a retried request'},
  RETRY_EXCEPTIONS: {
    type: 'list',
    default: ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_GOT_REQUEST_ERROR', 'ERR_STREAM_PREMATURE_CLOSE'],
    help: 'Error codes of failed downloads that are retried',
  },
  RETRY_BACKOFF_BASE: {type: 'float', default: 0, help: 'Seconds of exponential back-off before a retry (0: retry at once)'},
  RETRY_BACKOFF_MAX: {type: 'float', default: 60, help: 'Longest back-off between retries, in seconds'},
  REDIRECT_ENABLED: {type: 'bool', default: true, help: 'Follow redirects'},
  REDIRECT_MAX_TIMES: {type: 'int', default: 20, help: 'Longest chain of redirects followed'},
  REDIRECT_PRIORITY_ADJUST: {type: 'int', default: 2, help: 'Priority change of a redirected request'},
  METAREFRESH_ENABLED: {type: 'bool', default: true, help: 'Follow <meta http-equiv="refresh"> redirects'},
  METAREFRESH_MAXDELAY: {type: 'float', default: 100, help: 'Longest meta-refresh delay followed, in seconds'},
  COOKIES_ENABLED: {type: 'bool', default: true, help: 'Keep cookies in a jar per spider'},
  COOKIES_DEBUG: {type: 'bool', default: false, help: 'Log every cookie sent and received'},
  DOWNLOADER_STATS: {type: 'bool', default: true, help: 'Count requests, responses, bytes and download errors in the stats'},
  REFERER_ENABLED: {type: 'bool', default: true, help: 'Send a Referer header with requests made from a page'},
  REFERRER_POLICY: {type: 'string', default: 'scrapy-default', help: 'Referer policy: scrapy-default, no-referrer, no-referrer-when-downgrade, same-origin, origin, strict-origin, origin-when-cross-origin, strict-origin-when-cross-origin, unsafe-url'},
  URLLENGTH_LIMIT: {type: 'int', default: 2083, help: 'Longest URL followed (0: no limit)'},
  HTTPERROR_ALLOWED_CODES: {type: 'list', default: [], help: 'Non-2xx statuses passed to callbacks'},
  HTTPERROR_ALLOW_ALL: {type: 'bool', default: false, help: 'Pass every status to callbacks'},
  DEPTH_LIMIT: {type: 'int', default: 0, help: 'Deepest link depth followed (0: no limit)'},
  DEPTH_PRIORITY: {type: 'int', default: 0, help: 'Priority change per depth level (positive: breadth-first)'},
  DEPTH_STATS_VERBOSE: {type: 'bool', default: false, help: 'Count requests per depth in the stats'},
  HTTPPROXY_ENABLED: {type: 'bool', default: true, help: 'Send requests through the proxy in meta.proxy or in the http_proxy/https_proxy environment variables'},
  HTTPCACHE_ENABLED: {type: 'bool', default: false, help: 'Store every response on disk and answer repeated requests from there (HttpCacheMiddleware)'},
  HTTPCACHE_DIR: {type: 'string', default: '.dragline/httpcache', help: 'Where the HTTP cache is kept (relative paths: from the folder the command runs in)'},
  HTTPCACHE_EXPIRATION_SECS: {type: 'float', default: 0, help: 'Cached responses older than this are fetched again (0: never expire)'},
  HTTPCACHE_IGNORE_HTTP_CODES: {type: 'list', default: [], help: 'Response statuses never stored in the HTTP cache'},
  HTTPCACHE_IGNORE_MISSING: {type: 'bool', default: false, help: 'Drop requests not found in the HTTP cache instead of downloading them'},
  HTTPCACHE_IGNORE_SCHEMES: {type: 'list', default: ['file'], help: 'URL schemes never cached'},
  AUTOTHROTTLE_ENABLED: {type: 'bool', default: false, help: "Adjust each domain's delay to the server's latency (AutoThrottle)"},
  AUTOTHROTTLE_START_DELAY: {type: 'float', default: 5, help: 'AutoThrottle: the delay a domain starts with, in seconds'},
  AUTOTHROTTLE_MAX_DELAY: {type: 'float', default: 60, help: 'AutoThrottle: the largest delay, in seconds'},
  AUTOTHROTTLE_TARGET_CONCURRENCY: {type: 'float', default: 1, help: 'AutoThrottle: requests in flight to aim for, per domain'},
  AUTOTHROTTLE_DEBUG: {type: 'bool', default: false, help: 'AutoThrottle: log every delay change'},
  CLOSESPIDER_TIMEOUT: {type: 'float', default: 0, help: 'Close the spider after this many seconds'},
  CLOSESPIDER_ITEMCOUNT: {type: 'int', default: 0, help: 'Close the spider after this many items'},
  CLOSESPIDER_PAGECOUNT: {type: 'int', default: 0, help: 'Close the spider after this many responses'},
  CLOSESPIDER_TIMEOUT_NO_ITEM: {type: 'float', default: 0, help: 'Close the spider if no item was scraped in this many seconds'},
  CLOSESPIDER_PAGECOUNT_NO_ITEM: {type: 'int', default: 0, help: 'Close the spider after this many responses in a row without an item'},
  CLOSESPIDER_ERRORCOUNT: {type: 'int', default: 0, help: 'Close the spider after this many errors'},

  DOWNLOADER_MIDDLEWARES: {type: 'dict', default: {}, help: 'Your downloader middlewares, module path to order number'},
  SPIDER_MIDDLEWARES: {type: 'dict', default: {}, help: 'Your spider middlewares, module path to order number'},
  ITEM_PIPELINES: {type: 'dict', default: {}, help: 'Your item pipelines, module path to order number'},
  EXTENSIONS: {type: 'dict', default: {}, help: 'Your extensions, module path to order number; a built-in (LogStats, CloseSpider, MemoryUsage, AutoThrottle, SpiderState, ProgressLine, PoliteDelayNotice) mapped to null is off'},
  DOWNLOADER_MIDDLEWARES_BASE: {type: 'dict', default: {}, help: 'Built-in downloader middlewares and their order (set one to null to disable it)'},
  SPIDER_MIDDLEWARES_BASE: {type: 'dict', default: {}, help: 'Built-in spider middlewares and their order (set one to null to disable it)'},

  FEEDS: {type: 'dict', default: {}, help: 'Feed exports: file path to {format, overwrite, fields}'},
  FEED_EXPORT_FIELDS: {type: 'list', default: [], help: 'Fields (and their order) in exported items; all when empty'},
  FEED_EXPORT_INDENT: {type: 'int', default: 0, help: 'Indentation of JSON feeds'},

  LOG_ENABLED: {type: 'bool', default: true, help: 'Write log messages'},
  LOG_LEVEL: {type: 'string', default: 'DEBUG', help: 'Lowest level logged: DEBUG, INFO, WARNING, ERROR, CRITICAL'},
  LOG_FILE: {type: 'string', default: '', help: 'File the log is written to (stderr when empty)'},
  LOGSTATS_INTERVAL: {type: 'float', default: 60, help: 'Seconds between "Crawled N pages" lines'},
  FILES_STORE: {type: 'string', default: '', help: 'Folder FilesPipeline stores downloaded files in (the pipeline is off without it)'},
  FILES_URLS_FIELD: {type: 'string', default: 'file_urls', help: 'Item field FilesPipeline reads the URLs to download from'},
  FILES_RESULT_FIELD: {type: 'string', default: 'files', help: 'Item field FilesPipeline writes what it stored to'},
  FILES_EXPIRES: {type: 'float', default: 90, help: 'Days a file FilesPipeline stored stays fresh (not downloaded again)'},
  MEMUSAGE_ENABLED: {type: 'bool', default: true, help: 'Track memory use (memusage/* stats) and apply the limits below'},
  MEMUSAGE_LIMIT_MB: {type: 'int', default: 0, help: 'Close the spider (memusage_exceeded; with a JOBDIR, resumable) when resident memory passes this many MiB (0: no limit)'},
  MEMUSAGE_WARNING_MB: {type: 'int', default: 0, help: 'Log a warning once when resident memory passes this many MiB (0: never)'},
  MEMUSAGE_CHECK_INTERVAL_SECONDS: {type: 'float', default: 60, help: 'Seconds between checks of MEMUSAGE_LIMIT_MB and MEMUSAGE_WARNING_MB'},
  PROGRESS_ENABLED: {type: 'bool', default: true, help: 'Show a live progress line when stderr is a terminal'},
  STATS_DUMP: {type: 'bool', default: true, help: 'Print the stats when the spider closes'},

  JOBDIR: {type: 'string', default: '', help: 'Job directory: pending requests, seen requests and spider.state persist here; or a Redis address (redis://host:6379/0#jobkey) shared by several workers'},
  SCHEDULER_BACKEND: {type: 'string', default: '', help: "Where pending requests and the seen set live: jobdir (the default with JOBDIR), memory (the default without), or a frontier class in your project ('./my-frontier.ts#MyFrontier')"},
  SCHEDULER_LEASE_SECONDS: {type: 'float', default: 60, help: 'With a Redis job: a leased request goes back to the queue (for another worker) when its worker has not renewed the lease for this long'},
  REDIS_SEEN_BUCKETS: {type: 'int', default: 65536, help: 'With a Redis job: hashes the seen set is spread over (fixed when the job is created; 65536 stays compact up to about 25 million fingerprints)'},
  REDIS_KEEP_ALIVE: {type: 'bool', default: false, help: 'With a Redis job: never finish; wait for requests pushed by other programs'},
  REDIS_WORKER_DIR: {type: 'string', default: '.dragline/workers', help: "With a Redis job: folder of each worker's local files (lock, feed watermark, stats), under <jobkey>/<worker>"},
  REDIS_WORKER_NAME: {type: 'string', default: '', help: 'With a Redis job: this worker\'s name (default: host and a hash of the folder and feeds, so a restarted worker finds its files again)'},
  SCHEDULER_DEBUG: {type: 'bool', default: false, help: 'Log each request that cannot be stored in the job directory, with the reason'},
  SCHEDULER_DISK_QUEUE: {type: 'string', default: 'lifo', help: 'Order of the on-disk queue within a priority: lifo (depth-first) or fifo'},
  SCHEDULER_MEMORY_QUEUE: {type: 'string', default: 'lifo', help: 'Order of the in-memory queue within a priority: lifo or fifo'},
  SCHEDULER_PRIORITY_QUEUE: {type: 'string', default: 'priority', help: 'How queues are combined: priority (highest priority first)'},
  DUPEFILTER_DEBUG: {type: 'bool', default: false, help: 'Log every filtered duplicate request, not only the first'},
  DUPEFILTER_CLASS: {type: 'string', default: 'RFPDupeFilter', help: 'RFPDupeFilter filters requests already seen (by fingerprint); BaseDupeFilter filters nothing'},
  REQUEST_FINGERPRINTER_CLASS: {type: 'any', default: '', help: "Class deciding when two requests are the same page (a component key such as './fingerprinters.ts#ByPath', or a class in the project file); empty: Scrapy's default"},
  JOBDIR_FSYNC: {type: 'bool', default: false, help: 'fsync job-directory writes in batches, for safety against power loss'},
  JOBDIR_FSYNC_INTERVAL: {type: 'float', default: 1, help: 'Seconds between fsyncs when JOBDIR_FSYNC is on'},
  JOBDIR_STATE_INTERVAL: {type: 'float', default: 5, help: 'Seconds between saves of spider.state, stats and cookies'},
  SHUTDOWN_GRACE_PERIOD: {type: 'float', default: 5, help: 'Seconds a pause waits for in-flight requests before abandoning them (they are fetched again on resume)'},
} satisfies Record<string, SettingSpec>;

/** The name of a setting dragline knows (what `settings.get*()` accept, with a project's `CustomSettings`). */
export type BuiltInSettingName = keyof typeof DEFAULT_SETTINGS;
