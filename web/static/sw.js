// Huddle's service worker: makes Huddle installable and answers with an offline page when
// there is no connection. It caches only the offline page and the static assets — never a
// page, an API answer, a message or an alert, which may name patients.
"use strict";

const CACHE = "huddle-static-v2";
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

// Tells Huddle what became of a notification, with the capability it carried: no cookie,
// so the request can do only what that one notification allows.
function report(path, body) {
  return fetch(path, {
    method: "POST",
    credentials: "omit",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

// A push from Huddle (see src/push.rs): the kind of thing and where to look, never a patient.
self.addEventListener("push", (event) => {
  let notice = { title: "Huddle", body: "Open Huddle to see what is new.", url: "/", tag: "huddle" };
  try {
    notice = Object.assign(notice, event.data ? event.data.json() : {});
  } catch (e) { /* an unreadable payload still tells the person to look */ }
  const shown = self.registration.showNotification(notice.title, {
    body: notice.body,
    tag: notice.tag,
    renotify: true,
    requireInteraction: true,
    icon: "/static/icon-192.png",
    actions: (notice.actions || []).slice(0, 2),
    data: { url: notice.url, capability: notice.capability || null },
  });
  // Arrived: without this receipt Huddle escalates after the policy's delivery timeout.
  const receipt = notice.capability
    ? report("/api/v1/notifications/receipt", { capability: notice.capability, kind: "delivered" })
    : Promise.resolve();
  event.waitUntil(Promise.all([shown, receipt]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  if (event.action && data.capability) {
    // A button on the lock screen (acknowledge, on my way): done without opening Huddle.
    event.waitUntil(report("/api/v1/notifications/action", { capability: data.capability, action: event.action }));
    return;
  }
  const url = new URL(data.url || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  const seen = data.capability
    ? report("/api/v1/notifications/receipt", { capability: data.capability, kind: "seen" })
    : Promise.resolve();
  event.waitUntil(
    Promise.all([
      seen,
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
        for (const w of windows) {
          if (w.url.startsWith(self.location.origin) && "navigate" in w) return w.navigate(url.href).then((c) => c && c.focus());
        }
        return self.clients.openWindow(url.href);
      }),
    ]),
  );
});
