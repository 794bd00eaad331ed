import {readFileSync} from 'node:fs';

/** One `@name args…` line of a callback's doc comment. */
export interface Contract {
  name: string;
  args: string[];
}

/** A spider method with contracts, as Scrapy finds them in docstrings. */
export interface ContractedCallback {
  method: string;
  contracts: Contract[];
}

export const CONTRACT_NAMES = ['url', 'meta', 'cb_kwargs', 'cbKwargs', 'returns', 'scrapes'];

/**
 * The doc comments (`/** … *\/`) right above the methods of a spider's source file that hold an
 * `@url` line: Scrapy reads contracts from docstrings, a TypeScript or JavaScript spider keeps
 * them in the comment above the method. Tags other than the contract names are left alone.
 */
export function contractsInSource(source: string): ContractedCallback[] {
  const found: ContractedCallback[] = [];
  const commentThenMethod = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:(?:public|protected|private|override|async|static)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/g;
  for (const match of source.matchAll(commentThenMethod)) {
    const contracts: Contract[] = [];
    for (const rawLine of match[1].split('\n')) {
      const line = rawLine.replace(/^\s*\*?\s?/, '').trim();
      const tag = /^@(\w+)\s*(.*)$/.exec(line);
      if (tag === null || !CONTRACT_NAMES.includes(tag[1])) continue;
      const [, name, rest] = tag;
      // @meta and @cb_kwargs take one JSON value, which may hold spaces.
      contracts.push({name, args: name === 'meta' || name === 'cb_kwargs' || name === 'cbKwargs' ? [rest] : rest.split(/\s+/).filter(Boolean)});
    }
    if (contracts.some((contract) => contract.name === 'url')) found.push({method: match[2], contracts});
  }
  return found;
}

export function contractsInFile(file: string): ContractedCallback[] {
  return contractsInSource(readFileSync(file, 'utf8'));
}

/** What one callback produced for its contract URL. */
export interface CallbackOutput {
  items: Array<Record<string, unknown>>;
  requests: number;
}

/**
 * Checks the post-conditions of a callback's contracts (`@returns`, `@scrapes`) against what it
 * produced, as Scrapy's ReturnsContract and ScrapesContract; returns one message per failure.
 */
export function checkContracts(contracts: Contract[], output: CallbackOutput): Array<{contract: string; message: string}> {
  const failures: Array<{contract: string; message: string}> = [];
  for (const {name, args} of contracts) {
    if (name === 'returns') {
      const [kind, min, max] = args;
      const counted = /^items?$/.test(kind ?? '') ? output.items.length : /^requests?$/.test(kind ?? '') ? output.requests : undefined;
      if (counted === undefined) {
        failures.push({contract: 'returns', message: `@returns takes items or requests, not '${kind ?? ''}'`});
        continue;
      }
      const low = min === undefined ? 1 : Number(min);
      const high = max === undefined ? Infinity : Number(max);
      if (!Number.isInteger(low) || (high !== Infinity && !Number.isInteger(high))) {
        failures.push({contract: 'returns', message: `@returns bounds must be whole numbers, not '${args.slice(1).join(' ')}'`});
        continue;
      }
      if (counted < low || counted > high) {
        const expected = high === Infinity ? `at least ${low}` : low === high ? `${low}` : `${low}..${high}`;
        failures.push({contract: 'returns', message: `Returned ${counted} ${kind}, expected ${expected}`});
      }
    } else if (name === 'scrapes') {
      for (const [index, item] of output.items.entries()) {
        const missing = args.filter((field) => !(field in item) || item[field] === undefined);
        if (missing.length > 0) failures.push({contract: 'scrapes', message: `Missing fields in item ${index + 1}: ${missing.join(', ')}`});
      }
    }
  }
  return failures;
}
