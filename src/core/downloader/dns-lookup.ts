import {lookup, type LookupAddress, type LookupOptions} from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup, except that names under `.invalid` fail at once with ENOTFOUND, without asking a DNS
 * server: RFC 6761 reserves that TLD for names that never resolve and asks resolvers to answer so
 * immediately (a resolver without network access may otherwise wait seconds for its timeout).
 */
export function lookupRefusingInvalid(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (/(^|\.)invalid\.?$/i.test(hostname)) {
    const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname});
    process.nextTick(callback, error, options.all === true ? [] : '', undefined);
    return;
  }
  lookup(hostname, options, callback as never);
}
