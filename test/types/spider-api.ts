// A type-level test, checked by test/docs/code-blocks.test.ts under `strict: true` against the
// built dragline: the typed style compiles, and each `@ts-expect-error` line must be a compile
// error (an expectation that compiles is itself an error, TS2578). Not run, only type-checked.
import {
  CrawlSpider,
  FormRequest,
  Item,
  JsonRequest,
  Request,
  Spider,
  type Crawler,
  type Failure,
  type ItemPipeline,
  type JobDir,
  type Logger,
  type Response,
  type Settings,
  type SettingValues,
  type SignalManager,
  type StatsCollector,
} from 'dragline';

interface Book {
  title: string;
  price: number;
}

class Quote extends Item<{text: string; author?: string}> {
  static fields = ['text', 'author'] as const;
}

export class BooksSpider extends Spider<{pages: number; seen: string[]}> {
  static spiderName = 'books';
  static customSettings = {DOWNLOAD_DELAY: 2, SHOP_REGION: 'uk'} satisfies SettingValues;
  static misspelt = {
    // @ts-expect-error a misspelt setting name in customSettings-style settings
    DOWLOAD_DELAY: 2,
  } satisfies SettingValues;
  override state = {pages: 0, seen: [] as string[]};

  async *parse(response: Response): AsyncGenerator<Book | Quote | Request> {
    this.state.pages += 1;
    // @ts-expect-error a wrong state type: pages is a number
    this.state.pages = 'many';
    // @ts-expect-error a misspelt state key
    this.state.page = 1;

    for (const link of response.css('h3 a')) {
      const title = link.attrib.title ?? '';
      yield response.follow(link, {callback: this.parseBook, cbKwargs: {title}});
      yield new Request(response.urljoin(link.attrib.href ?? ''), {callback: this.parseBook, cbKwargs: {title}, errback: this.failed});
      // @ts-expect-error cbKwargs of the wrong shape: title is a string
      yield response.follow(link, {callback: this.parseBook, cbKwargs: {title: 42}});
      // @ts-expect-error a misspelt keyword
      yield response.follow(link, {callback: this.parseBook, cbKwargs: {titel: title}});
      // @ts-expect-error a callback that needs keywords, given none
      yield response.follow(link, {callback: this.parseBook});
    }
    yield FormRequest.fromResponse(response, {formdata: {q: 'poetry'}, callback: this.parseBook, cbKwargs: {title: 'poetry'}});
    yield new FormRequest('https://books.example/search', {formdata: {q: 'poetry'}, callback: this.parsePage});
    yield new JsonRequest('https://books.example/api', {data: {q: 'poetry'}, callback: this.parseBook, cbKwargs: {title: 'poetry'}});
    // @ts-expect-error so are a JSON request's
    yield new JsonRequest('https://books.example/api', {data: {q: 'poetry'}, callback: this.parseBook, cbKwargs: {}});
    // @ts-expect-error a form request's cbKwargs are checked the same way
    yield FormRequest.fromResponse(response, {callback: this.parseBook, cbKwargs: {title: 1}});
    yield* response.followAll({css: 'li.next a'}, {callback: this.parsePage, meta: {page: this.state.pages + 1}});
    // @ts-expect-error a callback whose first parameter is not a Response
    yield response.follow('/x', {callback: this.notACallback});
    // @ts-expect-error an errback is given a Failure, not a Response
    yield response.follow('/x', {errback: this.parse});
    yield new Quote({text: 'To be', author: 'W. S.'});
    // @ts-expect-error a field the item does not declare
    yield new Quote({txet: 'To be'});
    // @ts-expect-error a plain object item with a misspelt field
    yield {title: 'A', prise: 1};
  }

  async *parseBook(response: Response, {title}: {title: string}): AsyncGenerator<Book> {
    yield {title, price: Number(response.css('.price::text').get())};
  }

  parsePage(response: Response<{page: number}>): Book {
    const page: number = response.meta.page;
    // Keys a middleware sets are still there, untyped.
    const depth: unknown = response.meta.depth;
    void depth;
    return {title: `page ${page}`, price: 0};
  }

  failed(failure: Failure): void {
    this.logger.warning(`${failure.request.url}: ${failure.error.message}`);
  }

  notACallback(count: number): number {
    return count;
  }
}

/** An untyped spider, as a JavaScript user writes it: state, meta and kwargs are open. */
export class LooseSpider extends CrawlSpider {
  static spiderName = 'loose';

  parseItem(response: Response, kwargs: Record<string, unknown>) {
    this.state.count = (this.state.count ?? 0) + 1;
    response.meta.anything = kwargs.anything;
    return {url: response.url, ...kwargs};
  }
}

export class PricePipeline implements ItemPipeline<Book, Book & {currency: string}> {
  processItem(item: Book) {
    return {...item, currency: 'GBP'};
  }
}

export class DiscountPipeline implements ItemPipeline<Book> {
  // @ts-expect-error a pipeline must pass on what it declares: a Book, not a string
  processItem(item: Book) {
    return item.title;
  }
}

export class Middleware {
  // Every type a component sees can be named.
  constructor(
    readonly logger: Logger,
    readonly stats: StatsCollector,
    readonly signals: SignalManager,
    readonly settings: Settings,
    readonly job: JobDir | undefined,
  ) {}

  static fromCrawler(crawler: Crawler): Middleware {
    return new Middleware(crawler.logger, crawler.stats, crawler.signals, crawler.settings, crawler.job);
  }

  enabled(): boolean {
    // @ts-expect-error a misspelt setting name
    this.settings.getBool('AUTOTHROTLE_ENABLED');
    // @ts-expect-error a setting no table declares (a project declares its own in CustomSettings)
    this.settings.getString('SHOP_API_KEY');
    return this.settings.getBool('AUTOTHROTTLE_ENABLED') && this.settings.getString('SHOP_REGION') !== '';
  }
}

declare module 'dragline' {
  interface CustomSettings {
    SHOP_REGION: string;
  }
}
