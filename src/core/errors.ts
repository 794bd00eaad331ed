/**
 * One error family for everything a user can get wrong. Each error carries a stable `code`;
 * commands map the code to an exit code and a suggestion through EXIT_CODES, and tests assert on
 * codes rather than on classes (jest's module realms can make `instanceof` lie).
 */
export type DraglineErrorCode =
  | 'BAD_ARGUMENT'
  | 'BAD_SETTING'
  | 'BAD_OUTPUT'
  | 'NOT_IN_PROJECT'
  | 'PROJECT_FILE_INVALID'
  | 'PROJECT_EXISTS'
  | 'BAD_NAME'
  | 'SPIDER_NOT_FOUND'
  | 'SPIDER_DUPLICATE'
  | 'SPIDER_LOAD_FAILED'
  | 'SPIDER_INVALID'
  | 'TEMPLATE_NOT_FOUND'
  | 'FILE_EXISTS'
  | 'CALLBACK_NOT_FOUND'
  | 'NO_RESPONSE'
  | 'UNSERIALIZABLE_REQUEST'
  | 'FINGERPRINTER_FAILED'
  | 'WRITE_FAILED'
  | 'JOBDIR_LOCKED'
  | 'JOBDIR_FOREIGN'
  | 'JOBDIR_CORRUPT'
  | 'JOBDIR_VERSION'
  | 'JOBDIR_NOT_FOUND'
  | 'JOBDIR_TAKEN_OVER'
  | 'LOCK_COMPROMISED'
  | 'FORM_NOT_FOUND'
  | 'FORM_CLICK_NOT_FOUND'
  | 'BROWSER_NOT_FOUND'
  | 'REDIS_UNAVAILABLE'
  | 'JOB_LOST'
  | 'WORKER_NAME_TAKEN';

export class DraglineError extends Error {
  readonly code: DraglineErrorCode;
  readonly suggestions: string[];

  constructor(code: DraglineErrorCode, message: string, options: {suggestions?: string[]; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'DraglineError';
    this.code = code;
    this.suggestions = options.suggestions ?? [];
  }
}

/** Exit codes follow Scrapy's: 2 for usage errors, 1 for everything that went wrong at run time. */
export const EXIT_CODES: Record<DraglineErrorCode, number> = {
  BAD_ARGUMENT: 2,
  BAD_SETTING: 2,
  BAD_OUTPUT: 2,
  NOT_IN_PROJECT: 2,
  PROJECT_FILE_INVALID: 1,
  PROJECT_EXISTS: 1,
  BAD_NAME: 2,
  SPIDER_NOT_FOUND: 2,
  SPIDER_DUPLICATE: 1,
  SPIDER_LOAD_FAILED: 1,
  SPIDER_INVALID: 1,
  TEMPLATE_NOT_FOUND: 2,
  FILE_EXISTS: 1,
  CALLBACK_NOT_FOUND: 1,
  NO_RESPONSE: 1,
  UNSERIALIZABLE_REQUEST: 1,
  FINGERPRINTER_FAILED: 1,
  WRITE_FAILED: 1,
  JOBDIR_LOCKED: 3,
  JOBDIR_FOREIGN: 3,
  JOBDIR_CORRUPT: 3,
  JOBDIR_VERSION: 3,
  JOBDIR_NOT_FOUND: 2,
  JOBDIR_TAKEN_OVER: 3,
  LOCK_COMPROMISED: 1,
  FORM_NOT_FOUND: 1,
  FORM_CLICK_NOT_FOUND: 1,
  BROWSER_NOT_FOUND: 1,
  REDIS_UNAVAILABLE: 1,
  JOB_LOST: 1,
  WORKER_NAME_TAKEN: 3,
};

export function isDraglineError(error: unknown): error is DraglineError {
  return typeof error === 'object' && error !== null && (error as {name?: unknown}).name === 'DraglineError'
    && typeof (error as {code?: unknown}).code === 'string';
}

/** Thrown by item pipelines to drop an item, as Scrapy's DropItem. */
export class DropItem extends Error {
  constructor(message = 'Item dropped') {
    super(message);
    this.name = 'DropItem';
  }
}

/** Thrown from a callback to close the spider with a reason, as Scrapy's CloseSpider. */
export class CloseSpider extends Error {
  readonly reason: string;
  constructor(reason = 'cancelled') {
    super(reason);
    this.name = 'CloseSpider';
    this.reason = reason;
  }
}

/** Thrown by a downloader middleware's processRequest to drop a request, as Scrapy's IgnoreRequest. */
export class IgnoreRequest extends Error {
  constructor(message = 'Request ignored') {
    super(message);
    this.name = 'IgnoreRequest';
  }
}
