// 公积金个人网厅 — the service worker. The app works offline for what needs no server:
// hashed assets (Trunk's `name-<16 hex>.ext`, never changing) are served cache-first; a page
// navigation goes to the network first and falls back to the cached shell (index.html);
// /api is never cached here (the app keeps its own snapshot of what the citizen last saw).
const SHELL = 'hpf-shell-v1';
const ASSETS = 'hpf-assets-v1';
// Trunk's hash is a u64 in hex without leading zeros: usually 16 digits, sometimes fewer.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;

// The shell and every hashed asset it names, so the first offline reload already works.
async function cacheShell() {
  const response = await fetch('/', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await (await caches.open(SHELL)).put('/', response);
  const named = [...html.matchAll(/['"](\/[^'"\s]+)['"]/g)]
    .map((m) => m[1])
    .filter((path) => HASHED.test(path));
  const wanted = new Set(named.map((path) => new URL(path, self.location.origin).href));
  const assets = await caches.open(ASSETS);
  await assets.addAll([...wanted]);
  // Assets of an older build are dropped.
  for (const request of await assets.keys()) {
    if (!wanted.has(request.url)) await assets.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n !== SHELL && n !== ASSETS).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

async function navigate(request) {
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') || '';
    if (response.ok && type.startsWith('text/html')) {
      await (await caches.open(SHELL)).put('/', response.clone());
    }
    return response;
  } catch (offline) {
    const shell = await (await caches.open(SHELL)).match('/');
    return shell || Response.error();
  }
}

async function cacheFirst(request) {
  const assets = await caches.open(ASSETS);
  const kept = await assets.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await assets.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
