import {existsSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {PACKAGE_ROOT} from './paths.js';
import {PROJECT_FILE_NAMES} from './project-file.js';
import {copyProjectTemplate, projectTemplateFiles} from './templates.js';

/** As Scrapy's startproject: a name usable as an identifier. */
const PROJECT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CreatedProject {
  target: string;
  files: string[];
}

export function createProject(name: string, dir: string | undefined, cwd: string = process.cwd()): CreatedProject {
  if (!PROJECT_NAME.test(name)) {
    throw new DraglineError('BAD_NAME', `Invalid project name '${name}': project names must begin with a letter or an underscore and contain only letters, numbers and underscores`);
  }
  const target = resolve(cwd, dir ?? name);
  const existingProject = PROJECT_FILE_NAMES.find((file) => existsSync(join(target, file)));
  if (existingProject !== undefined) {
    throw new DraglineError('PROJECT_EXISTS', `${existingProject} already exists in ${target}`, {
      suggestions: ['Choose another directory: dragline startproject NAME DIR'],
    });
  }
  // Never overwrite a user's file (an existing package.json, say) with a template's.
  const clash = projectTemplateFiles().find((file) => existsSync(join(target, file)));
  if (clash !== undefined) {
    throw new DraglineError('PROJECT_EXISTS', `${clash} already exists in ${target}; startproject does not overwrite files`, {
      suggestions: ['Choose an empty or new directory: dragline startproject NAME DIR'],
    });
  }
  const files = copyProjectTemplate(target, {
    project_name: name,
    ProjectName: camelCase(name),
    package_name: name.toLowerCase(),
    ...dependencyVersions(),
  });
  return {target, files};
}

export function camelCase(name: string): string {
  return name.split(/[_\W]+/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

/**
 * How the project depends on dragline and on what typechecks it: a `file:` link to the running
 * dragline (which works offline and follows it, whether it is a global install or a checkout), and
 * the TypeScript and @types/node versions dragline itself is built with, so `npm install` then
 * `npm run typecheck` resolve dragline's types as the crawler sees them.
 */
function dependencyVersions(): Record<string, string> {
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string; devDependencies?: Record<string, string>};
  const root = PACKAGE_ROOT.replace(/[\\/]+$/, '');
  // Written into package.json: escaped as a JSON string's contents.
  const jsonText = (text: string): string => JSON.stringify(text).slice(1, -1);
  return {
    dragline_version: own.version,
    dragline_root: root,
    dragline_dependency: jsonText(`file:${root}`),
    typescript_version: jsonText(own.devDependencies?.typescript ?? '^5.9.0'),
    types_node_version: jsonText(own.devDependencies?.['@types/node'] ?? '^20.19.0'),
  };
}
