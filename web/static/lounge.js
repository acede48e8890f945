// The lounge's two live parts: PHI highlighting in the composer (the server's guard, asked
// as you type) and new replies appearing on a thread page.
(function () {
  "use strict";
  const csrfInput = document.querySelector('input[name="csrf_token"]');
  const csrf = csrfInput ? csrfInput.value : "";

  // Spans are UTF-8 byte offsets: slice the encoded bytes, never the JS string.
  function show(preview, text, spans) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    preview.replaceChildren();
    preview.hidden = false;
    if (spans.length === 0) {
      preview.className = "phi-preview clean";
      preview.textContent = "No patient identifiers found.";
      return;
    }
    preview.className = "phi-preview flagged";
    const head = document.createElement("p");
    const kinds = [...new Set(spans.map((s) => s.label))].join(", ");
    head.textContent = "Possible patient identifiers (" + kinds + "): remove them before publishing.";
    const body = document.createElement("div");
    body.className = "phi-text";
    let at = 0;
    for (const s of spans) {
      body.append(dec.decode(bytes.slice(at, s.start)));
      const mark = document.createElement("mark");
      mark.title = s.explanation || s.label;
      mark.dataset.type = s.type;
      mark.textContent = dec.decode(bytes.slice(s.start, s.end));
      body.append(mark);
      at = s.end;
    }
    body.append(dec.decode(bytes.slice(at)));
    // Each flag in plain words, so the author can tell a real identifier from a false alarm.
    const why = document.createElement("ul");
    why.className = "phi-why";
    for (const s of spans) {
      const item = document.createElement("li");
      item.textContent = "\u201c" + dec.decode(bytes.slice(s.start, s.end)) + "\u201d " + (s.explanation || s.label);
      why.append(item);
    }
    preview.append(head, body, why);
  }

  document.querySelectorAll("[data-phi-form]").forEach((form) => {
    const preview = form.querySelector(".phi-preview");
    const fields = [...form.querySelectorAll("[data-phi]")];
    let timer = null;
    let asked = 0;
    async function check() {
      const text = fields.map((f) => f.value).filter((v) => v.trim() !== "").join("\n\n");
      if (text === "") {
        preview.hidden = true;
        return;
      }
      const mine = ++asked;
      try {
        const r = await fetch("/api/v1/lounge/phi-check", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          body: JSON.stringify({ text }),
        });
        if (!r.ok || mine !== asked) return;
        show(preview, text, (await r.json()).spans);
      } catch (_) {
        // Offline: the server checks again on publish.
      }
    }
    fields.forEach((f) =>
      f.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(check, 250);
      })
    );
  });

  const live = document.querySelector("[data-live-replies]");
  if (live) {
    setInterval(async () => {
      const posts = document.querySelectorAll("article[data-post]");
      const last = posts.length ? posts[posts.length - 1].dataset.post : "0";
      try {
        const r = await fetch("/lounge/threads/" + live.dataset.thread + "/after/" + last, {
          credentials: "same-origin",
        });
        if (r.status === 200) live.insertAdjacentHTML("beforeend", await r.text());
      } catch (_) {
        // Try again at the next tick.
      }
    }, 4000);
  }
})();
