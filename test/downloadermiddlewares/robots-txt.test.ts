import {afterEach, beforeEach, describe, expect, test} from '@jest/globals';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {RobotsTxtMiddleware} from '../../src/downloadermiddlewares/robots-txt.js';
import {fakeCrawler} from '../helpers/fake-crawler.js';

interface Site {
  origin: string;
  hits: string[];
  server: Server;
}

const ROBOTS = ['User-agent: pickybot', 'Disallow: /', '', 'User-agent: *', 'Disallow: /private', 'Allow: /private/open'].join('\n');

function startSite(robots: {status: number; body?: string}): Promise<Site> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/robots.txt') {
      res.writeHead(robots.status, {'Content-Type': 'text/plain'});
      res.end(robots.body ?? '');
    } else {
      res.end('page');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server});
    });
  });
}

/** The engine's download, reduced to a real fetch: what RobotsTxtMiddleware needs from it. */
const fetchingEngine = {
  async download(request: Request): Promise<Response> {
    const reply = await fetch(request.url);
    return new Response({url: reply.url, status: reply.status, body: Buffer.from(await reply.arrayBuffer()), request});
  },
};

async function outcome(middleware: RobotsTxtMiddleware, request: Request): Promise<string> {
  try {
    await middleware.processRequest(request);
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('RobotsTxtMiddleware', () => {
  let sites: Site[] = [];
  beforeEach(() => {
    sites = [];
  });
  afterEach(async () => {
    await Promise.all(sites.map((site) => new Promise((resolve) => site.server.close(resolve))));
  });

  test('drops URLs robots.txt forbids, fetching robots.txt once per origin', async () => {
    const site = await startSite({status: 200, body: ROBOTS});
    sites.push(site);
    const crawler = fakeCrawler({ROBOTSTXT_OBEY: true, USER_AGENT: 'goodbot/1.0'}, {engine: fetchingEngine});
    const middleware = new RobotsTxtMiddleware(crawler);
    const results = await Promise.all([
      outcome(middleware, new Request(`${site.origin}/public`)),
      outcome(middleware, new Request(`${site.origin}/private/secret`)),
      outcome(middleware, new Request(`${site.origin}/private/open/x`)),
    ]);
    expect(results).toEqual(['allowed', 'IgnoreRequest', 'allowed']);
    expect(await outcome(middleware, new Request(`${site.origin}/private/again`))).toBe('IgnoreRequest');
    expect(site.hits.filter((path) => path === '/robots.txt')).toHaveLength(1);
    expect(crawler.stats.get('robotstxt/request_count')).toBe(1);
    expect(crawler.stats.get('robotstxt/response_count')).toBe(1);
    expect(crawler.stats.get('robotstxt/response_status_count/200')).toBe(1);
    expect(crawler.stats.get('robotstxt/forbidden')).toBe(2);
    expect(crawler.logged('DEBUG')).toContain(
      `[dragline.downloadermiddlewares.robotstxt] DEBUG: Forbidden by robots.txt: <GET ${site.origin}/private/secret>`,
    );
  });

  test('matches ROBOTSTXT_USER_AGENT, else the request User-Agent, else USER_AGENT', async () => {
    const site = await startSite({status: 200, body: ROBOTS});
    sites.push(site);
    const byRobotsSetting = new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: true, ROBOTSTXT_USER_AGENT: 'pickybot'}, {engine: fetchingEngine}));
    expect(await outcome(byRobotsSetting, new Request(`${site.origin}/public`))).toBe('IgnoreRequest');
    const byHeader = new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: true}, {engine: fetchingEngine}));
    expect(await outcome(byHeader, new Request(`${site.origin}/public`, {headers: {'User-Agent': 'PickyBot/2.0'}}))).toBe('IgnoreRequest');
    const bySetting = new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: true, USER_AGENT: 'pickybot/3'}, {engine: fetchingEngine}));
    expect(await outcome(bySetting, new Request(`${site.origin}/public`))).toBe('IgnoreRequest');
  });

  test('a missing robots.txt allows everything', async () => {
    const site = await startSite({status: 404, body: 'Disallow: /'});
    sites.push(site);
    const crawler = fakeCrawler({ROBOTSTXT_OBEY: true}, {engine: fetchingEngine});
    const middleware = new RobotsTxtMiddleware(crawler);
    expect(await outcome(middleware, new Request(`${site.origin}/private`))).toBe('allowed');
    expect(crawler.stats.get('robotstxt/response_status_count/404')).toBe(1);
  });

  test('a robots.txt that cannot be downloaded allows everything and is logged', async () => {
    const site = await startSite({status: 200, body: ROBOTS});
    await new Promise((resolve) => site.server.close(resolve));
    const crawler = fakeCrawler({ROBOTSTXT_OBEY: true}, {engine: fetchingEngine});
    const middleware = new RobotsTxtMiddleware(crawler);
    expect(await outcome(middleware, new Request(`${site.origin}/private`))).toBe('allowed');
    expect(crawler.stats.get('robotstxt/request_count')).toBe(1);
    expect(crawler.stats.get('robotstxt/response_count')).toBeUndefined();
    expect(crawler.logged('ERROR')[0]).toContain(`Error downloading <GET ${site.origin}/robots.txt>`);
  });

  test('meta.dont_obey_robotstxt skips the check without fetching anything', async () => {
    let downloads = 0;
    const countingEngine = {
      download: async (request: Request) => {
        downloads += 1;
        return new Response({url: request.url, status: 200, body: Buffer.from('User-agent: *\nDisallow: /'), request});
      },
    };
    const middleware = new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: true}, {engine: countingEngine}));
    expect(await outcome(middleware, new Request('http://a.test/x', {meta: {dont_obey_robotstxt: true}}))).toBe('allowed');
    expect(downloads).toBe(0);
    expect(await outcome(middleware, new Request('http://a.test/x'))).toBe('IgnoreRequest');
    expect(downloads).toBe(1);
  });

  test('asks for robots.txt with a high priority and marks it so it is not checked itself', async () => {
    const asked: Request[] = [];
    const engine = {
      download: async (request: Request) => {
        asked.push(request);
        return new Response({url: request.url, status: 200, body: Buffer.from(''), request});
      },
    };
    await new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: true}, {engine})).processRequest(new Request('https://a.test:8443/deep/page?q=1'));
    expect(asked.map((request) => [request.url, request.meta.dont_obey_robotstxt, request.priority > 0])).toEqual([
      ['https://a.test:8443/robots.txt', true, true],
    ]);
  });

  test('ROBOTSTXT_OBEY off leaves the middleware out', () => {
    expect(() => new RobotsTxtMiddleware(fakeCrawler({ROBOTSTXT_OBEY: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });
});
