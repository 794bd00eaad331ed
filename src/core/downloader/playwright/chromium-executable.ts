import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';
import {DraglineError} from '../../errors.js';

/** Names the system's Chromium goes by on PATH (Debian's `chromium` package installs the first). */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * The Chromium to launch: PLAYWRIGHT_LAUNCH_OPTIONS.executablePath, else the first Chromium on PATH.
 * dragline never downloads a browser, so when there is none it says which package to install.
 */
export function findChromium(executablePath: unknown, searchPath = process.env.PATH ?? ''): string {
  if (executablePath !== undefined && executablePath !== null && executablePath !== '') {
    if (typeof executablePath !== 'string' || !isExecutableFile(executablePath)) {
      throw new DraglineError('BAD_SETTING', `PLAYWRIGHT_LAUNCH_OPTIONS.executablePath ${JSON.stringify(executablePath)} is not an executable file`);
    }
    return executablePath;
  }
  for (const name of CHROMIUM_NAMES) {
    for (const dir of searchPath.split(path.delimiter)) {
      if (dir === '') continue;
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new DraglineError('BROWSER_NOT_FOUND', 'No Chromium found for DOWNLOAD_HANDLERS "playwright": install the Debian package chromium (apt-get install -y chromium) or set PLAYWRIGHT_LAUNCH_OPTIONS.executablePath');
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
