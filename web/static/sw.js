// Huddle's service worker: makes Huddle installable and answers with an offline page when
// there is no connection. It caches only the offline page and the static assets — never a
// page, an API answer, a message or an alert, which may name patients.
"use strict";

const CACHE = "huddle-static-v1";
const OFFLINE = "/offline";
const ASSETS = [
  OFFLINE,
  "/static/pico.classless.min.css",
  "/static/huddle.css",
  "/static/htmx.min.js",
  "/static/icon-192.png",
  "/static/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network; only when it fails, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      fetch(request).catch(() => caches.match(request).then((hit) => hit || Response.error())),
    );
  }
});
