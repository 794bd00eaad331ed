// The real pages the benchmark crawls: three documentation sets Debian packages as HTML, served from
// their installed folders. `apt-get install -y python3-doc postgresql-doc-15 sqlite3-doc` brings them.
import {existsSync} from 'node:fs';

export const DOC_SITES = [
  {name: 'PostgreSQL', slug: 'postgresql', pkg: 'postgresql-doc-15', root: '/usr/share/doc/postgresql-doc-15/html', start: '/index.html'},
  {name: 'Python', slug: 'python', pkg: 'python3-doc', root: '/usr/share/doc/python3-doc/html', start: '/index.html'},
  {name: 'SQLite', slug: 'sqlite', pkg: 'sqlite3-doc', root: '/usr/share/doc/sqlite3', start: '/index.html'},
];

/** The sites whose package is installed, and a line for each that is not. */
export function installedDocSites(wanted) {
  const sites = [];
  const missing = [];
  for (const site of DOC_SITES) {
    if (wanted !== undefined && !wanted.has(site.slug)) continue;
    if (existsSync(site.root + site.start)) sites.push(site);
    else missing.push(`${site.name}: not installed (apt-get install -y ${site.pkg})`);
  }
  return {sites, missing};
}
