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

// A push from Huddle (see src/push.rs): the kind of thing and where to look, never a patient.
self.addEventListener("push", (event) => {
  let notice = { title: "Huddle", body: "Open Huddle to see what is new.", url: "/", tag: "huddle" };
  try {
    notice = Object.assign(notice, event.data ? event.data.json() : {});
  } catch (e) { /* an unreadable payload still tells the person to look */ }
  event.waitUntil(
    self.registration.showNotification(notice.title, {
      body: notice.body,
      tag: notice.tag,
      renotify: true,
      requireInteraction: true,
      icon: "/static/icon-192.png",
      data: { url: notice.url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (w.url.startsWith(self.location.origin) && "navigate" in w) return w.navigate(url.href).then((c) => c && c.focus());
      }
      return self.clients.openWindow(url.href);
    }),
  );
});
