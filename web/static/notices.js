// What reaches a signed-in person on any Huddle page, over one live socket:
// - interrupts (physicians): a banner, a tone and a vibration where the browser allows them;
//   digests that come due, quietly. The page tells Huddle it got each interrupt, so Huddle
//   does not escalate it for want of delivery.
// - new messages: the menu's unread count and the app badge stay current; a direct message
//   or a mention shows a notice with a link, unless that conversation is open.
// - the connection itself: when it is lost the page says so and keeps trying; when the
//   session has ended it says so and links to sign in again.
// The alert inbox (/alerts) and the inbox (/messages) always have everything.
(function () {
  "use strict";
  if (!window.WebSocket) return;
  var body = document.body;
  var me = parseInt(body.getAttribute("data-me") || "0", 10);
  var unread = parseInt(body.getAttribute("data-unread") || "0", 10);
  var banner = document.getElementById("alert-banner");
  var notice = document.getElementById("message-notice");
  var connection = document.getElementById("connection");
  var badge = document.getElementById("unread-badge");
  var openConversation = (document.getElementById("messages") || { getAttribute: function () { return null; } })
    .getAttribute("data-conversation");
  var delay = 1000;
  var lostTimer = null;

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

  function showAlert(alert, urgent) {
    if (!banner) return;
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

  function setUnread(n) {
    unread = Math.max(0, n);
    if (badge) {
      badge.hidden = unread === 0;
      badge.textContent = String(unread);
      badge.setAttribute("aria-label", unread + " unread");
    }
    if (navigator.setAppBadge) {
      (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge()).catch(function () {});
    }
  }

  // A live inbox: the list is read again and replaced in place.
  function refreshInbox() {
    var list = document.getElementById("inbox");
    if (!list) return;
    fetch("/messages", { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("inbox");
      if (fresh) list.replaceWith(fresh);
    }).catch(function () {});
  }

  function onMessage(event) {
    var m = event.message;
    if (!m || m.sender_id === me) return;
    if (String(event.conversation_id) === openConversation) return; // live.js shows it
    setUnread(unread + 1);
    if (location.pathname === "/messages") refreshInbox();
    var mentioned = (m.mentions || []).indexOf(me) !== -1;
    if (!notice || !(mentioned || event.direct)) return;
    notice.hidden = false;
    notice.textContent = "";
    var text = document.createElement("span");
    text.textContent = mentioned ? "You were mentioned in a conversation. " : "New direct message. ";
    var link = document.createElement("a");
    link.href = "/messages/" + event.conversation_id;
    link.textContent = "Read it";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "secondary";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () { notice.hidden = true; });
    notice.appendChild(text);
    notice.appendChild(link);
    notice.appendChild(close);
  }

  function say(text, linkText, href) {
    if (!connection) return;
    connection.hidden = false;
    connection.textContent = text + " ";
    if (linkText) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = linkText;
      connection.appendChild(a);
    }
  }

  // After the socket closes: a session that ended needs a sign-in, anything else a retry.
  function lost() {
    fetch("/api/v1/me", { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) {
        say("Your session has ended, so nothing new reaches this page.", "Sign in again",
          "/signin?next=" + encodeURIComponent(location.pathname));
        return;
      }
      retry();
    }).catch(function () {
      say("No connection: new alerts and messages will not show here until it is back. Trying again…");
      retry();
    });
  }

  function retry() {
    if (lostTimer === null) {
      // A blip is not worth a warning; a few seconds without a connection is.
      lostTimer = setTimeout(function () {
        say("Live updates lost: reconnecting… Alerts still reach your phone if notifications are on.");
      }, 4000);
    }
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/api/v1/live");
    socket.onopen = function () {
      delay = 1000;
      if (lostTimer !== null) { clearTimeout(lostTimer); lostTimer = null; }
      if (connection) connection.hidden = true;
    };
    socket.onmessage = function (e) {
      var event;
      try { event = JSON.parse(e.data); } catch (err) { return; }
      if (event.type === "alert.interrupt") {
        // This page got it: Huddle need not escalate for want of delivery.
        socket.send(JSON.stringify({ type: "delivered", alert: event.alert.id }));
        showAlert(event.alert, true);
      } else if (event.type === "alert.digest") {
        showAlert(event.alert, false);
      } else if (event.type === "message.created") {
        onMessage(event);
      } else if (event.type === "access.ended") {
        // Deactivated or removed by an administrator: nothing more will reach this page.
        socket.onclose = null;
        say("Your access to Huddle has ended. Ask your administrator if this is unexpected.");
      }
    };
    socket.onclose = lost;
  }
  setUnread(unread);
  connect();
})();
