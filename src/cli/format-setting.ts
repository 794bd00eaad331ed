import type {Settings} from '../core/settings/settings.js';

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
  switch (query.kind) {
    case 'getbool':
      return String(settings.getBool(query.name));
    case 'getint':
      return String(settings.getInt(query.name));
    case 'getfloat':
      return String(settings.getFloat(query.name));
    case 'getlist':
      return JSON.stringify(settings.getList(query.name));
    default: {
      const value = settings.get(query.name);
      return typeof value === 'string' ? value : JSON.stringify(value ?? null);
    }
  }
}
