// Registers the service worker that makes Huddle installable and shows the offline page.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      /* Huddle works without it; only the offline page and installing are lost. */
    });
  });
})();
