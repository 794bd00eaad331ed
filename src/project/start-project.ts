import {existsSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {DRAGLINE_TYPES_DIR, PACKAGE_ROOT} from './paths.js';
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
    // Written into tsconfig.json: escaped as a JSON string's contents.
    dragline_types: JSON.stringify(join(DRAGLINE_TYPES_DIR, 'index.d.ts')).slice(1, -1),
    dragline_version: draglineVersion(),
  });
  return {target, files};
}

export function camelCase(name: string): string {
  return name.split(/[_\W]+/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

function draglineVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}).version;
}
