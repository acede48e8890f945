// Live updates for a conversation page: new messages appear without a reload. The page
// works without this script (send, then the page reloads); with it, the list stays current.
// On a dropped connection it reconnects and resumes from the last message number shown.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  if (!list || !window.WebSocket) return;
  var conversation = list.getAttribute("data-conversation");
  var lastSeq = parseInt(list.getAttribute("data-last-seq") || "0", 10);
  var members = {};
  try { members = JSON.parse(list.getAttribute("data-members") || "{}"); } catch (e) { members = {}; }
  var csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; } catch (e) { csrf = ""; }
  var delay = 1000;
  // Times read on the viewer's wall clock, as the server renders them ("2026-11-22 13:40 EST").
  var zone = document.body.getAttribute("data-time-zone") || "UTC";

  function localTime(iso) {
    try {
      var parts = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
      }).formatToParts(new Date(iso));
      var get = function (type) {
        for (var i = 0; i < parts.length; i++) if (parts[i].type === type) return parts[i].value;
        return "";
      };
      return get("year") + "-" + get("month") + "-" + get("day") + " " + get("hour") + ":" +
        get("minute") + " " + (zone === "UTC" ? "UTC" : get("timeZoneName"));
    } catch (e) {
      return iso.replace("T", " ").replace("Z", " UTC");
    }
  }

  function markRead(seq) {
    fetch("/api/v1/conversations/" + conversation + "/read", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ seq: seq })
    }).catch(function () {});
  }

  // Opening the page reads what it shows: said by a POST (a GET never writes). The form
  // that does the same without JavaScript is not needed then.
  if (lastSeq > 0) markRead(lastSeq);
  var markForm = document.getElementById("mark-read");
  if (markForm) markForm.hidden = true;

  function show(message) {
    if (message.seq <= lastSeq) return; // already shown (resume may repeat)
    lastSeq = message.seq;
    var item = document.createElement("li");
    item.setAttribute("data-seq", String(message.seq));
    var who = document.createElement("strong");
    who.textContent = members[String(message.sender_id)] || ("Member " + message.sender_id);
    var when = document.createElement("small");
    when.textContent = " " + localTime(message.created_at);
    var body = document.createElement("div");
    body.className = "body";
    // Rendered by the server (markdown, then sanitized: huddle_core::markup).
    body.innerHTML = message.html;
    item.appendChild(who);
    item.appendChild(when);
    item.appendChild(body);
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
    markRead(message.seq);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/api/v1/live");
    socket.onopen = function () {
      delay = 1000;
      var cursors = {};
      cursors[conversation] = lastSeq;
      socket.send(JSON.stringify({ type: "resume", cursors: cursors }));
    };
    socket.onmessage = function (e) {
      var event;
      try { event = JSON.parse(e.data); } catch (err) { return; }
      if (String(event.conversation_id) !== conversation) return;
      if (event.type === "message.created") {
        show(event.message);
      } else if (event.type === "message.edited" || event.type === "message.deleted") {
        var shown = list.querySelector('li[data-seq="' + event.message.seq + '"] .body');
        if (shown) {
          if (event.message.deleted) {
            shown.textContent = "Message deleted";
          } else {
            shown.innerHTML = event.message.html;
          }
        }
      }
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
