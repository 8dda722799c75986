// Drop's service worker (served at /sw.js so its scope is the whole app). It makes the web app
// installable and shows the offline page instead of the browser's error when there is no network.
// It never stores pages or API answers: they hold balances and personal data, which must be fresh
// and must not stay on a shared phone. Only the shell below is cached.
const CACHE = "drop-shell-v1";
const SHELL = ["/offline", "/assets/app.css", "/assets/inter-regular.woff2", "/assets/icon.svg", "/assets/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Always the network; the offline page only when there is none.
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});
