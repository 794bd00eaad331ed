import type {ChildRequest} from './frontier.js';
import type {SeenSet} from './types.js';

/**
 * Enqueue-if-unseen for one commit's children, in order (a later copy of a request in the same
 * batch is a duplicate of the first): the step every backend's commit performs, here for the
 * backends whose seen set is a SeenSet in this process.
 */
export function applyChildren(children: ChildRequest[], seen: SeenSet, push: (payload: Buffer, priority: number) => void): boolean[] {
  const added: boolean[] = new Array(children.length);
  for (let i = 0; i < children.length; i += 1) {
    const {payload, priority, fingerprint, filter, record} = children[i];
    if (fingerprint !== undefined && filter && seen.has(fingerprint)) {
      added[i] = false;
      continue;
    }
    if (payload !== undefined) push(payload, priority);
    if (fingerprint !== undefined && record) seen.add(fingerprint);
    added[i] = true;
  }
  return added;
}
