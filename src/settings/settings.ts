import {DraglineError} from '../core/errors.js';
import {DEFAULT_SETTINGS, type BuiltInSettingName, type SettingSpec, type SettingType} from './default-settings.js';

/**
 * A project's own settings, declared so that reading them type-checks:
 *
 *   declare module 'dragline' { interface CustomSettings { SHOP_API_KEY: string } }
 *
 * after which `settings.getString('SHOP_API_KEY')` compiles (and a misspelt name still does not).
 */
export interface CustomSettings {}

/** A setting name `settings.get*()` accept: one of dragline's (docs/settings.md) or a project's CustomSettings. */
export type SettingName = BuiltInSettingName | (keyof CustomSettings & string);

/** Settings by name, for `static customSettings = {...} satisfies SettingValues`: a misspelt name does not compile. */
export type SettingValues = {[Name in SettingName]?: unknown};

/** Scrapy's priority ladder: a value set at a higher priority wins over one set at a lower. */
export const SETTINGS_PRIORITIES = {default: 0, command: 10, project: 20, spider: 30, cmdline: 40} as const;
export type SettingsPriority = keyof typeof SETTINGS_PRIORITIES;

interface Entry {
  value: unknown;
  priority: number;
}

export class Settings {
  private readonly entries = new Map<string, Entry>();

  constructor(values: Record<string, unknown> = {}, priority: SettingsPriority = 'project') {
    for (const [name, spec] of Object.entries(DEFAULT_SETTINGS)) this.entries.set(name, {value: spec.default, priority: 0});
    this.update(values, priority);
  }

  /** Sets `name` unless it already holds a value of higher priority. Values are coerced by the setting's type. */
  set(name: string, value: unknown, priority: SettingsPriority = 'project'): void {
    const level = SETTINGS_PRIORITIES[priority];
    const current = this.entries.get(name);
    if (current !== undefined && current.priority > level) return;
    this.entries.set(name, {value: coerceSetting(name, value), priority: level});
  }

  update(values: Record<string, unknown>, priority: SettingsPriority = 'project'): void {
    for (const [name, value] of Object.entries(values)) this.set(name, value, priority);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get<T = unknown>(name: SettingName, fallback?: T): T {
    const entry = this.entries.get(name);
    return (entry === undefined ? fallback : entry.value) as T;
  }

  getInt(name: SettingName, fallback = 0): number {
    return Math.trunc(Number(this.get(name, fallback)));
  }

  getFloat(name: SettingName, fallback = 0): number {
    return Number(this.get(name, fallback));
  }

  getBool(name: SettingName, fallback = false): boolean {
    return parseBool(this.get(name, fallback)) ?? fallback;
  }

  getString(name: SettingName, fallback = ''): string {
    const value = this.get(name, fallback);
    return value === undefined || value === null ? fallback : String(value);
  }

  getList<T = unknown>(name: SettingName): T[] {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') return [];
    return (Array.isArray(value) ? value : String(value).split(',')) as T[];
  }

  getDict<T = unknown>(name: SettingName): Record<string, T> {
    const value = this.get(name);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, T>) : {};
  }

  priorityOf(name: string): SettingsPriority | undefined {
    const level = this.entries.get(name)?.priority;
    return (Object.keys(SETTINGS_PRIORITIES) as SettingsPriority[]).find((key) => SETTINGS_PRIORITIES[key] === level);
  }

  /** A new Settings with the same values and priorities, to be changed without touching this one. */
  copy(): Settings {
    const copy = new Settings();
    for (const [name, entry] of this.entries) copy.entries.set(name, {...entry});
    return copy;
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries([...this.entries].map(([name, entry]) => [name, entry.value]));
  }
}

export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return undefined;
  const lowered = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lowered)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(lowered)) return false;
  return undefined;
}

/** Coerces a value (usually a string from `-s`) to the type the setting is declared with. */
export function coerceSetting(name: string, value: unknown): unknown {
  const type: SettingType = (DEFAULT_SETTINGS as Record<string, SettingSpec>)[name]?.type ?? 'any';
  if (typeof value !== 'string') return value;
  const bad = (expected: string): never => {
    throw new DraglineError('BAD_SETTING', `Invalid value for setting ${name}: ${JSON.stringify(value)} is not ${expected}`, {
      suggestions: [`Use -s ${name}=<${expected}>`],
    });
  };
  switch (type) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(value.trim())) bad('an integer');
      return Number.parseInt(value, 10);
    }
    case 'float': {
      const number = Number(value);
      if (value.trim() === '' || Number.isNaN(number)) bad('a number');
      return number;
    }
    case 'bool': {
      const parsed = parseBool(value);
      if (parsed === undefined) bad('a boolean (true/false/1/0)');
      return parsed;
    }
    case 'list': {
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) {
        const parsed = tryJson(trimmed);
        if (!Array.isArray(parsed)) bad('a JSON array or a comma-separated list');
        return parsed;
      }
      return trimmed === '' ? [] : trimmed.split(',').map((part) => part.trim()).map((part) => (/^-?\d+$/.test(part) ? Number(part) : part));
    }
    case 'dict': {
      const parsed = tryJson(value);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('a JSON object');
      return parsed;
    }
    default:
      return value;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
