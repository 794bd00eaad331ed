import {describe, expect, test} from '@jest/globals';
import {deserialize, serialize} from 'node:v8';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {SpiderStateParticipant} from '../../src/extensions/spider-state.js';
import {FailedRequestsParticipant} from '../../src/core/failed-requests.js';
import {Committer, emptyOutputs} from '../../src/core/commit.js';
import {StatsCollector} from '../../src/core/stats.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import type {CommitBatch, CommitReply, Frontier} from '../../src/persistence/frontier.js';
import {JobDirFrontier} from '../../src/persistence/jobdir/jobdir-frontier.js';
import {jobOptions, useTempDirs} from '../persistence/helpers.js';

const dirs = useTempDirs();

function batch(): CommitBatch {
  return {leases: [], requests: [], failed: [], local: []};
}

describe('SpiderStateParticipant', () => {
  test('adds spider.state to a commit only when it changed since the last commit', () => {
    const state: Record<string, unknown> = {pages: 1};
    const participant = new SpiderStateParticipant(() => state, () => undefined);
    const first = batch();
    participant.prepare(emptyOutputs(), first);
    expect(deserialize(first.state!.bytes!)).toEqual({pages: 1});
    participant.committed(first);
    const unchanged = batch();
    participant.prepare(emptyOutputs(), unchanged);
    expect(unchanged.state).toBeUndefined();
    state.pages = 2;
    const changed = batch();
    participant.prepare(emptyOutputs(), changed);
    expect(deserialize(changed.state!.bytes!)).toEqual({pages: 2});
    expect(participant.finalState()).toEqual(changed.state!.bytes);
  });

  test('a state too big to journal stops the tracking once, says why, and the commit says to drop the journaled state', () => {
    const state: Record<string, unknown> = {pages: 1};
    const reasons: string[] = [];
    const participant = new SpiderStateParticipant(() => state, (reason) => reasons.push(reason), 100);
    const small = batch();
    participant.prepare(emptyOutputs(), small);
    participant.committed(small);
    state.blob = 'x'.repeat(500);
    const big = batch();
    participant.prepare(emptyOutputs(), big);
    expect(big.state).toEqual({stopTracking: true});
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/more than the 100 journaled with each page/);
    const later = batch();
    participant.prepare(emptyOutputs(), later);
    expect(later.state).toBeUndefined();
    expect(participant.finalState()).toBeUndefined();
    expect(reasons).toHaveLength(1);
  });

  test('with the jobdir frontier: given up, the last committed state is in the spider.state file and survives a reopen', async () => {
    const dir = dirs.newDir();
    const frontier = new JobDirFrontier(dir, jobOptions());
    await frontier.open();
    await frontier.commit({...batch(), state: {bytes: serialize({pages: 7})}});
    expect(existsSync(join(dir, 'spider.state'))).toBe(false);
    await frontier.commit({...batch(), state: {stopTracking: true}});
    expect(deserialize(readFileSync(join(dir, 'spider.state')))).toEqual({pages: 7});
    await frontier.close('shutdown');
    const again = new JobDirFrontier(dir, jobOptions());
    await again.open();
    expect(again.jobDir!.loadState()).toEqual({pages: 7});
    await again.close('finished');
  });
});

describe('FailedRequestsParticipant', () => {
  test('download failures and statuses the retry middleware gave up on are counted and recorded; other HTTP errors are not', () => {
    const stats = new StatsCollector();
    const participant = new FailedRequestsParticipant({
      stats,
      retryHttpCodes: new Set([503]),
      encode: (request) => (request.url.includes('unstorable') ? undefined : Buffer.from(request.url)),
    });
    const outputs = emptyOutputs();
    const timeout = Object.assign(new Error('took too long'), {code: 'TIMEOUT'});
    const httpError = Object.assign(new Error('Ignoring non-200 response'), {code: 'HTTP_ERROR'});
    const unavailable = new Request('http://a.test/503');
    const missing = new Request('http://a.test/404');
    outputs.failed.push(
      {request: new Request('http://a.test/slow'), error: timeout},
      {request: new Request('http://a.test/unstorable'), error: timeout},
      {request: unavailable, error: httpError, response: new Response({url: unavailable.url, status: 503, request: unavailable})},
      {request: missing, error: httpError, response: new Response({url: missing.url, status: 404, request: missing})},
    );
    const b = batch();
    participant.prepare(outputs, b);
    expect(stats.get('failed_request_count')).toBe(3);
    expect(b.failed.map((record) => [record.payload.toString(), record.reason])).toEqual([
      ['http://a.test/slow', 'TIMEOUT: took too long'],
      ['http://a.test/503', 'HTTP_ERROR: Ignoring non-200 response'],
    ]);
  });
});

describe('Committer', () => {
  test('settled() waits for commits still on the wire of a pipelined frontier, the failed ones too', async () => {
    const pending: Array<{resolve: (reply: CommitReply) => void; reject: (error: Error) => void}> = [];
    const frontier = {pipelined: true, commit: () => new Promise<CommitReply>((resolve, reject) => pending.push({resolve, reject}))} as unknown as Frontier;
    const committer = new Committer(frontier, []);
    await committer.settled(); // nothing asked: at once
    const first = committer.commit([1], emptyOutputs());
    const second = committer.commit([2], emptyOutputs()).catch((error: Error) => error.message);
    committer.stop(); // a pause abandoned the requests in flight: the two commits already sent still land
    let settled = false;
    const waiting = committer.settled().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(2);
    pending[0].resolve({added: []});
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    pending[1].reject(new Error('no space left on device'));
    expect(await second).toBe('no space left on device');
    await waiting;
    expect(settled).toBe(true);
  });
});
