// Interrupts reach a physician on any Huddle page: a banner at the top, a tone and a
// vibration where the browser allows them. Digests that come due show the same way, quietly.
// The alert inbox (/alerts) always has everything; this only makes sure it is noticed.
(function () {
  "use strict";
  var banner = document.getElementById("alert-banner");
  if (!banner || !window.WebSocket) return;
  var delay = 1000;

  function tone() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.4);
    } catch (e) { /* sound is a courtesy; the banner is the alert */ }
  }

  function show(alert, urgent) {
    banner.hidden = false;
    banner.className = urgent ? "alert-banner interrupt" : "alert-banner digest";
    banner.textContent = "";
    var title = document.createElement("strong");
    var kind = alert.moved && alert.moved.kind === "escalated" ? "Escalated to you: " : (urgent ? "Alert: " : "Digest: ");
    title.textContent = kind + alert.category.replace(/_/g, " ");
    var text = document.createElement("span");
    text.textContent = " " + (alert.patient ? "(" + alert.patient + ") " : "") + alert.text + " " +
      (alert.moved ? "(" + alert.why + ") " : "") + (alert.callback ? "Call back " + alert.callback + ". " : "");
    var link = document.createElement("a");
    link.href = "/alerts";
    link.textContent = "Open alerts";
    banner.appendChild(title);
    banner.appendChild(text);
    banner.appendChild(link);
    if (urgent) {
      tone();
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    }
    if (location.pathname === "/alerts") location.reload();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/api/v1/live");
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (e) {
      var event;
      try { event = JSON.parse(e.data); } catch (err) { return; }
      if (event.type === "alert.interrupt") {
        // This page got it: Huddle need not escalate for want of delivery.
        socket.send(JSON.stringify({ type: "delivered", alert: event.alert.id }));
        show(event.alert, true);
      }
      else if (event.type === "alert.digest") show(event.alert, false);
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
