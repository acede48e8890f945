// "Turn on notifications on this device" on the account page: asks the browser, subscribes
// with Huddle's VAPID key and saves the subscription; the page then lists the device.
(function () {
  "use strict";
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  if (!button) return;
  function say(text) { if (status) status.textContent = text; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    button.disabled = true;
    say("This browser cannot receive notifications from Huddle.");
    return;
  }
  function key(b64) {
    var s = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(s);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  button.addEventListener("click", function () {
    say("Asking your browser…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("Notifications are blocked for Huddle in this browser's settings.");
      return Promise.all([navigator.serviceWorker.ready, fetch("/api/v1/push/key", { credentials: "same-origin" }).then(function (r) { return r.json(); })]);
    }).then(function (both) {
      return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(both[1].public_key) });
    }).then(function (subscription) {
      var body = subscription.toJSON();
      body.label = (document.getElementById("push-label") || {}).value || "";
      return fetch("/api/v1/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
      });
    }).then(function (r) {
      if (!r.ok) throw new Error("Huddle could not save this device.");
      location.reload();
    }).catch(function (e) { say(e.message || "Notifications could not be turned on."); });
  });
})();
