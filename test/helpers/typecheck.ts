// Type-checking user code (docs' examples, a type-level test) against the built dragline, as a
// project that depends on it would: one TypeScript program, `strict: true`, 'dragline' resolved
// through node_modules to this repository's dist/*.d.ts.
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import ts from 'typescript';
import {REPO_ROOT} from './cli.js';

export interface CodeBlock {
  /** The fence's language (its info string's first word). */
  lang: string;
  /** Line (1-based) in the page of the block's first code line. */
  line: number;
  code: string;
  /** Marked as deliberately incomplete: `ts partial` as the info string, or `<!-- partial -->` on the line before the fence. */
  partial: boolean;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/;

/** The fenced code blocks of a Markdown page, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (open === null) continue;
    const [, indent, fence, info] = open;
    const words = info!.trim().split(/\s+/).filter(Boolean);
    const previous = lines.slice(0, index).reverse().find((line) => line.trim() !== '') ?? '';
    const body: string[] = [];
    let end = index + 1;
    // A block ends at a fence of the same character at least as long (CommonMark), or at the page's end.
    while (end < lines.length && !new RegExp(`^\\s*${fence![0]}{${fence!.length},}\\s*$`).test(lines[end]!)) {
      body.push(lines[end]!.startsWith(indent!) ? lines[end]!.slice(indent!.length) : lines[end]!);
      end++;
    }
    blocks.push({
      lang: (words[0] ?? '').toLowerCase(),
      line: index + 2,
      code: body.join('\n'),
      partial: words.slice(1).includes('partial') || /^<!--\s*partial\s*-->$/.test(previous.trim()),
    });
    index = end;
  }
  return blocks;
}

export function isTypeScript(block: CodeBlock): boolean {
  return block.lang === 'ts' || block.lang === 'typescript';
}

/** Makes `dir` a place where `import ... from 'dragline'` means this repository's build. */
export function linkDragline(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), {recursive: true});
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'dragline'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'typecheck', private: true, type: 'module'}));
}

/** The options of a project made by startproject (templates/project/tsconfig.json.tmpl), with Node's types. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  types: ['node'],
  typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
};

export interface Diagnostic {
  file: string;
  line: number;
  code: number;
  message: string;
}

/** Every diagnostic of one program over `files`, with paths relative to `root`. */
export function typecheck(root: string, files: string[], options: ts.CompilerOptions = STRICT_OPTIONS): Diagnostic[] {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const position = diagnostic.file !== undefined && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    return {
      file: diagnostic.file === undefined ? '' : relative(root, diagnostic.file.fileName),
      line: position === undefined ? 0 : position.line + 1,
      code: diagnostic.code,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    };
  });
}
