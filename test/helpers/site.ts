import {afterAll, beforeAll} from '@jest/globals';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export interface TestSite {
  /** `http://127.0.0.1:PORT`, once the test file's beforeAll hooks ran. */
  readonly base: string;
  /** The path of every request served, in order. */
  readonly served: string[];
}

/**
 * An HTTP server on 127.0.0.1 (port 0) for the tests of one file: started before them, closed after
 * them, logging the path of every request it serves.
 */
export function useTestSite(handle: (request: IncomingMessage, response: ServerResponse) => void): TestSite {
  const served: string[] = [];
  let base = '';
  const server = createServer((request, response) => {
    served.push(request.url ?? '');
    handle(request, response);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    get base() {
      return base;
    },
    served,
  };
}

/** A fresh folder for the tests of one file, removed after them. */
export function useWorkspace(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dragline-${name}-`));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

export function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, {'content-type': contentType});
  response.end(body);
}
