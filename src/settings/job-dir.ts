import {DraglineError} from '../core/errors.js';

/**
 * JOBDIR's value, refused when it names no folder: `-s JOBDIR=` would otherwise crawl without a
 * job directory (and without saying so), and a JOBDIR of spaces would make a folder named ' '.
 * Leaving the setting out is how a crawl runs without a job directory.
 */
export function checkJobDir(value: string): void {
  if (value.trim() !== '') return;
  const shown = value === '' ? 'empty' : `only spaces ('${value}')`;
  throw new DraglineError('BAD_SETTING', `JOBDIR is ${shown}: give the folder of the job (e.g. -s JOBDIR=crawls/myspider-1), or leave JOBDIR out to crawl without one`, {
    suggestions: ['-s JOBDIR=crawls/<spider>-1'],
  });
}
