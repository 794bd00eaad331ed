import {Request} from '../http/request.js';

/**
 * Whether a callback output is a Request rather than an item. Duck-typed as well, because a request
 * built from another copy of the module (jest realms, a project's own node_modules) fails `instanceof`.
 */
export function isRequest(value: unknown): value is Request {
  if (value instanceof Request) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Request>;
  return typeof candidate.url === 'string' && typeof candidate.method === 'string'
    && typeof candidate.meta === 'object' && typeof candidate.replace === 'function';
}
