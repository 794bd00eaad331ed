import {DraglineError} from '../core/errors.js';

/**
 * Python's `re` syntax, as users paste it from Scrapy code, read into an equivalent JavaScript
 * RegExp (with the `v` flag, so `\w` and friends can be given Python's Unicode meaning):
 * leading inline flags `(?aimsux)`, `\A`, `\Z`, `(?P<name>…)`, `(?P=name)`, `(?#…)`, verbose mode,
 * Python's `^`/`$`/`.` (only `\n` is a line break), `{` as a literal when it is no quantifier. What
 * cannot be expressed (scoped flags, conditionals, atomic groups, possessive quantifiers) is a
 * DraglineError naming the construct.
 */
export interface TranslatedRegex {
  source: string;
  /** 'v', plus 'i' for (?i). */
  flags: string;
}

interface Flags {
  ascii: boolean;
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  verbose: boolean;
}

const UNICODE_WORD = '\\p{L}\\p{N}_';
const ASCII_WORD = 'A-Za-z0-9_';
// str.isspace(): Python's \s also matches \x1c-\x1f and \x85, and not U+FEFF.
const UNICODE_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const ASCII_SPACE = ' \\t\\n\\r\\f\\v';
const SIMPLE_ESCAPES: Record<string, string> = {n: '\\n', t: '\\t', r: '\\r', f: '\\f', v: '\\v', a: '\\x07'};
// Characters that need a backslash outside a class in a `v` RegExp.
const SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/');

export interface PythonRegexOptions {
  /** 'g' to add. */
  extraFlags?: string;
  /** As re.IGNORECASE (EXSLT's `i` flag). */
  ignoreCase?: boolean;
  /** As re.UNICODE, which parsel's re() passes, so that `(?a)` is refused there. */
  unicode?: boolean;
}

export function translatePythonRegex(pattern: string, unicode = false): TranslatedRegex {
  return new Translator(pattern, unicode).translate();
}

/** A Python regex string as a JavaScript RegExp (cached: callers reset lastIndex before exec()). */
export function compilePythonRegex(pattern: string, {extraFlags = '', ignoreCase = false, unicode = false}: PythonRegexOptions = {}): RegExp {
  const key = `${extraFlags}${ignoreCase ? 'I' : ''}${unicode ? 'U' : ''}:${pattern}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const {source, flags} = translatePythonRegex(pattern, unicode);
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}${ignoreCase && !flags.includes('i') ? 'i' : ''}${extraFlags}`);
  } catch (error) {
    throw badRegex(pattern, (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, regex);
  return regex;
}

const MAX_CACHED = 500;
const compiled = new Map<string, RegExp>();

class Translator {
  private position = 0;
  private readonly flags: Flags = {ascii: false, ignoreCase: false, multiline: false, dotAll: false, verbose: false};

  /** One entry per open group: whether it is a look-behind (Python wants those fixed-width). */
  private readonly openGroups: boolean[] = [];

  constructor(
    private readonly pattern: string,
    private readonly unicode: boolean,
  ) {}

  translate(): TranslatedRegex {
    this.readLeadingFlags();
    let out = '';
    while (this.position < this.pattern.length) out += this.next();
    return {source: out, flags: this.flags.ignoreCase ? 'vi' : 'v'};
  }

  private fail(construct: string): never {
    throw badRegex(this.pattern, construct);
  }

  /** `(?imsx)` groups at the very start set flags for the whole pattern (Python 3.11 allows them nowhere else). */
  private readLeadingFlags(): void {
    for (;;) {
      const match = /^\(\?([aiLmsux]+)\)/.exec(this.pattern.slice(this.position));
      if (match === null) return;
      for (const letter of match[1]!) {
        if (letter === 'L') this.fail('the (?L) locale flag is not supported');
        if (letter === 'a' && this.unicode) this.fail('(?a): ASCII and UNICODE flags are incompatible (parsel compiles re() patterns with re.UNICODE)');
        if (letter === 'a') this.flags.ascii = true;
        if (letter === 'i') this.flags.ignoreCase = true;
        if (letter === 'm') this.flags.multiline = true;
        if (letter === 's') this.flags.dotAll = true;
        if (letter === 'x') this.flags.verbose = true;
      }
      this.position += match[0].length;
    }
  }

  private next(): string {
    const pattern = this.pattern;
    const char = pattern[this.position]!;
    if (this.flags.verbose && /\s/.test(char)) {
      this.position++;
      return '';
    }
    if (this.flags.verbose && char === '#') {
      const end = pattern.indexOf('\n', this.position);
      this.position = end === -1 ? pattern.length : end + 1;
      return '';
    }
    switch (char) {
      case '\\':
        return this.escape(false);
      case '[':
        return this.characterClass();
      case '(':
        return this.group();
      case '.':
        this.position++;
        return this.flags.dotAll ? '[\\s\\S]' : '[^\\n]';
      case '^':
        this.position++;
        return this.flags.multiline ? '(?<![^\\n])' : '(?<![\\s\\S])';
      case '$':
        this.position++;
        // Python's `$` also matches before a final newline.
        return this.flags.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
      case '*':
      case '+':
      case '?':
        this.position++;
        this.checkFixedWidth(char);
        return char + this.quantifierSuffix();
      case '{': {
        const quantifier = /^\{(\d*)(?:(,)(\d*))?\}/.exec(pattern.slice(this.position));
        if (quantifier !== null && (quantifier[1] !== '' || (quantifier[2] !== undefined && quantifier[3] !== ''))) {
          this.position += quantifier[0].length;
          const min = quantifier[1] === '' ? '0' : quantifier[1]!;
          if (quantifier[2] !== undefined && quantifier[3] !== min) this.checkFixedWidth(quantifier[0]);
          return `{${min}${quantifier[2] ?? ''}${quantifier[3] ?? ''}}${this.quantifierSuffix()}`;
        }
        this.position++;
        return '\\{';
      }
      case ')':
        this.position++;
        this.openGroups.pop();
        return char;
      case '|':
        this.position++;
        return char;
      default: {
        const codePoint = pattern.codePointAt(this.position)!;
        const literal = String.fromCodePoint(codePoint);
        this.position += literal.length;
        return SYNTAX_CHARACTERS.has(literal) ? `\\${literal}` : literal;
      }
    }
  }

  private checkFixedWidth(quantifier: string): void {
    if (this.openGroups.includes(true)) this.fail(`look-behind requires a fixed-width pattern (${quantifier} inside (?<=…) or (?<!…))`);
  }

  /** Lazy `?` passes; Python 3.11's possessive `+` has no JavaScript equivalent. */
  private quantifierSuffix(): string {
    const following = this.pattern[this.position];
    if (following === '?') {
      this.position++;
      return '?';
    }
    if (following === '+') this.fail('possessive quantifiers (*+, ++, ?+, {m,n}+) are not supported');
    return '';
  }

  private group(): string {
    const rest = this.pattern.slice(this.position);
    this.openGroups.push(rest.startsWith('(?<=') || rest.startsWith('(?<!'));
    if (!rest.startsWith('(?')) {
      this.position++;
      return '(';
    }
    const named = /^\(\?P?<([^>=!]\w*)>/u.exec(rest);
    if (named !== null) {
      this.position += named[0].length;
      return `(?<${named[1]}>`;
    }
    const reference = /^\(\?P=(\w+)\)/u.exec(rest);
    if (reference !== null) {
      this.openGroups.pop();
      this.position += reference[0].length;
      return `\\k<${reference[1]}>`;
    }
    for (const opener of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(opener)) {
        this.position += opener.length;
        return opener;
      }
    }
    if (rest.startsWith('(?#')) {
      const end = this.pattern.indexOf(')', this.position);
      if (end === -1) this.fail('a (?#…) comment is missing its )');
      this.openGroups.pop();
      this.position = end + 1;
      return '';
    }
    if (rest.startsWith('(?(')) this.fail('conditional groups (?(id)yes|no) are not supported');
    if (rest.startsWith('(?>')) this.fail('atomic groups (?>…) are not supported');
    if (rest.startsWith('(?P')) this.fail(`${rest.slice(0, 4)} is not a valid named group`);
    const flags = /^\(\?[aiLmsux-]+(:|\))/.exec(rest);
    if (flags !== null) {
      this.fail(flags[1] === ':' ? `scoped inline flags ${flags[0]}…) are not supported; put the flags at the start of the pattern`
        : `inline flags ${flags[0]} must be at the start of the pattern`);
    }
    this.fail(`unknown extension ${rest.slice(0, 3)}`);
  }

  private wordClass(negated: boolean): string {
    const word = this.flags.ascii ? ASCII_WORD : UNICODE_WORD;
    return negated ? `[^${word}]` : `[${word}]`;
  }

  /** An escape outside (inClass false) or inside a character class, in the JavaScript `v` syntax. */
  private escape(inClass: boolean): string {
    const pattern = this.pattern;
    const letter = pattern[this.position + 1];
    if (letter === undefined) this.fail('the pattern ends with a lone backslash');
    this.position += 2;
    const ascii = this.flags.ascii;
    switch (letter) {
      case 'd':
        return ascii ? '[0-9]' : '\\p{Nd}';
      case 'D':
        return ascii ? '[^0-9]' : '\\P{Nd}';
      case 'w':
        return this.wordClass(false);
      case 'W':
        return this.wordClass(true);
      case 's':
        return `[${ascii ? ASCII_SPACE : UNICODE_SPACE}]`;
      case 'S':
        return `[^${ascii ? ASCII_SPACE : UNICODE_SPACE}]`;
      case 'b': {
        if (inClass) return codePointEscape(8);
        const word = this.wordClass(false);
        return `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
      }
      case 'B': {
        if (inClass) this.fail('\\B inside a character class');
        const word = this.wordClass(false);
        return `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`;
      }
      case 'A':
        if (inClass) this.fail('\\A inside a character class');
        return '(?<![\\s\\S])';
      case 'Z':
        if (inClass) this.fail('\\Z inside a character class');
        return '(?![\\s\\S])';
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return this.hexEscape(8);
      case 'N':
        this.fail('\\N{name} escapes are not supported; write the character itself');
    }
    if (SIMPLE_ESCAPES[letter] !== undefined) return SIMPLE_ESCAPES[letter];
    if (/[0-7]/.test(letter)) {
      const octal = /^[0-7]{3}/.exec(pattern.slice(this.position - 1));
      if (letter === '0' || octal !== null || inClass) {
        const digits = (octal?.[0] ?? /^[0-7]{1,3}/.exec(pattern.slice(this.position - 1))![0]);
        this.position += digits.length - 1;
        return codePointEscape(Number.parseInt(digits, 8));
      }
    }
    if (/[1-9]/.test(letter)) {
      const digits = /^\d{1,2}/.exec(pattern.slice(this.position - 1))![0];
      this.position += digits.length - 1;
      return `\\${digits}`;
    }
    if (/[A-Za-z0-9]/.test(letter)) this.fail(`bad escape \\${letter}`);
    const codePoint = pattern.codePointAt(this.position - 1)!;
    this.position += String.fromCodePoint(codePoint).length - 1;
    return inClass ? codePointEscape(codePoint) : SYNTAX_CHARACTERS.has(letter) ? `\\${letter}` : String.fromCodePoint(codePoint);
  }

  private hexEscape(length: number): string {
    const digits = this.pattern.slice(this.position, this.position + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) this.fail(`incomplete escape \\${this.pattern[this.position - 1]}${digits}`);
    this.position += length;
    const codePoint = Number.parseInt(digits, 16);
    if (codePoint > 0x10ffff) this.fail(`bad escape \\U${digits}`);
    return codePointEscape(codePoint);
  }

  /** `[…]`: `]` first is literal, `-` at either end is literal, every literal escaped for the `v` syntax. */
  private characterClass(): string {
    const pattern = this.pattern;
    this.position++;
    let out = '[';
    if (pattern[this.position] === '^') {
      out += '^';
      this.position++;
    }
    let first = true;
    // The previous item: one character (a `-` after it makes a range), a class escape such as \w, or neither.
    let previous: 'single' | 'class' | 'none' = 'none';
    for (;;) {
      const char = pattern[this.position];
      if (char === undefined) this.fail('unterminated character set');
      if (char === ']' && !first) {
        this.position++;
        return `${out}]`;
      }
      first = false;
      const rangeFollows = char === '-' && pattern[this.position + 1] !== undefined && pattern[this.position + 1] !== ']';
      if (rangeFollows && previous === 'class') this.fail('bad character range (a range cannot start with a class escape)');
      if (rangeFollows && previous === 'single') {
        this.position++;
        const end = this.classItem();
        if (!end.single) this.fail('bad character range (a range must end with one character)');
        out += `-${end.text}`;
        previous = 'none';
        continue;
      }
      const item = this.classItem();
      out += item.text;
      previous = item.single ? 'single' : 'class';
    }
  }

  /** One member of a class, and whether it is a single character (which may start or end a range). */
  private classItem(): {text: string; single: boolean} {
    const pattern = this.pattern;
    if (pattern[this.position] === '\\') {
      const text = this.escape(true);
      return {text, single: text.startsWith('\\u{') || text.startsWith('\\x') || Object.values(SIMPLE_ESCAPES).includes(text)};
    }
    const codePoint = pattern.codePointAt(this.position)!;
    const char = String.fromCodePoint(codePoint);
    this.position += char.length;
    return {text: /[A-Za-z0-9]/.test(char) || codePoint > 0x7f ? char : codePointEscape(codePoint), single: true};
  }
}

function codePointEscape(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

export function badRegex(pattern: string, reason: string): DraglineError {
  return new DraglineError('BAD_ARGUMENT', `Cannot use the regular expression ${JSON.stringify(pattern)}: ${reason}.`);
}

/**
 * A Python `re.sub` replacement template (`\1`, `\g<name>`, `\g<0>`, `\n`…) as a function of a
 * match, for EXSLT's re:replace.
 */
export function pythonReplacement(template: string, pattern: string): (match: RegExpExecArray | string[], groups?: Record<string, string | undefined>) => string {
  const parts: Array<string | number | {name: string}> = [];
  let literal = '';
  for (let index = 0; index < template.length; index++) {
    const char = template[index]!;
    if (char !== '\\') {
      literal += char;
      continue;
    }
    const next = template[index + 1];
    if (next === undefined) throw badRegex(pattern, `the replacement ${JSON.stringify(template)} ends with a lone backslash`);
    let reference: string | number | {name: string} | null = null;
    if (next === 'g') {
      const name = /^<([^>]+)>/.exec(template.slice(index + 2));
      if (name === null) throw badRegex(pattern, `bad group reference in the replacement ${JSON.stringify(template)}`);
      reference = /^\d+$/.test(name[1]!) ? Number(name[1]) : {name: name[1]!};
      index += 1 + name[0].length;
    } else if (/[1-9]/.test(next)) {
      const digits = /^\d{1,2}/.exec(template.slice(index + 1))![0];
      reference = Number(digits);
      index += digits.length;
    } else if (next === '0') {
      const digits = /^[0-7]{1,3}/.exec(template.slice(index + 1))![0];
      literal += String.fromCodePoint(Number.parseInt(digits, 8));
      index += digits.length;
      continue;
    } else if (SIMPLE_ESCAPES[next] !== undefined || next === 'b' || next === '\\') {
      literal += next === 'b' ? '\b' : next === '\\' ? '\\' : ({n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07'} as Record<string, string>)[next]!;
      index++;
      continue;
    } else if (/[A-Za-z]/.test(next)) {
      throw badRegex(pattern, `bad escape \\${next} in the replacement ${JSON.stringify(template)}`);
    } else {
      literal += `\\${next}`;
      index++;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(reference);
  }
  if (literal !== '') parts.push(literal);
  return (match, groups) => parts.map((part) => {
    if (typeof part === 'string') return part;
    if (typeof part === 'number') return match[part] ?? '';
    return groups?.[part.name] ?? '';
  }).join('');
}
