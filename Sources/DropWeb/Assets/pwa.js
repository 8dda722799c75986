// Registers the service worker that makes Drop installable (see /sw.js for what it does and doesn't keep).
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => { navigator.serviceWorker.register("/sw.js").catch(() => {}); });
}
