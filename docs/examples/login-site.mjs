// A small site with a login form, for the tutorial: `node login-site.mjs` serves it on
// http://127.0.0.1:8000 (PORT=… to change the port). /login has a form with a hidden CSRF token;
// posting it with the user "admin" and the password "secret" sets a session cookie and redirects
// to /members, which without that cookie redirects back to /login.
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';

const tokens = new Set();
const sessions = new Set();
const MEMBERS = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'];

function page(response, status, body, headers = {}) {
  response.writeHead(status, {'Content-Type': 'text/html; charset=utf-8', ...headers});
  response.end(`<!doctype html><html><body>${body}</body></html>`);
}

function loginForm(response, error = '') {
  const token = randomBytes(8).toString('hex');
  tokens.add(token);
  page(response, 200, `${error && `<p class="error">${error}</p>`}
<form action="/login" method="post">
  <input type="hidden" name="csrf_token" value="${token}">
  <input type="text" name="username"> <input type="password" name="password">
  <input type="submit" value="Log in">
</form>`);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const session = /(?:^|;\s*)session=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
  if (url.pathname === '/login' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      // A token is good for one login: a form posted without the one it was served with fails.
      if (!tokens.delete(form.get('csrf_token') ?? '')) return page(response, 403, '<p class="error">Invalid CSRF token</p>');
      if (form.get('username') !== 'admin' || form.get('password') !== 'secret') return loginForm(response, 'Wrong user name or password');
      const id = randomBytes(8).toString('hex');
      sessions.add(id);
      page(response, 302, '', {'Set-Cookie': `session=${id}; Path=/; HttpOnly`, Location: '/members'});
    });
    return;
  }
  if (url.pathname === '/login') return loginForm(response);
  if (url.pathname === '/members') {
    if (session === undefined || !sessions.has(session)) return page(response, 302, '', {Location: '/login'});
    return page(response, 200, `<h1>Members</h1><ul>${MEMBERS.map((name) => `<li class="member">${name}</li>`).join('')}</ul>`);
  }
  page(response, 404, '<p>Not found</p>');
});

server.listen(Number(process.env.PORT ?? 8000), '127.0.0.1', () => {
  console.log(`Login site at http://127.0.0.1:${server.address().port}/login`);
});
