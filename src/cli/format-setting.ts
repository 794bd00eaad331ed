import type {SettingName, Settings} from '../settings/settings.js';

export interface SettingQuery {
  kind: 'get' | 'getbool' | 'getint' | 'getfloat' | 'getlist';
  name: string;
}

/** What `dragline settings` prints: strings as they are, everything else as JSON. */
export function formatSetting(settings: Settings, query: SettingQuery | undefined): string {
  if (query === undefined) {
    const all = settings.toObject();
    return JSON.stringify(Object.fromEntries(Object.keys(all).sort().map((name) => [name, all[name]])), null, 2);
  }
  // Any name typed on the command line, a project's own settings included.
  const name = query.name as SettingName;
  switch (query.kind) {
    case 'getbool':
      return String(settings.getBool(name));
    case 'getint':
      return String(settings.getInt(name));
    case 'getfloat':
      return String(settings.getFloat(name));
    case 'getlist':
      return JSON.stringify(settings.getList(name));
    default: {
      const value = settings.get(name);
      return typeof value === 'string' ? value : JSON.stringify(value ?? null);
    }
  }
}
