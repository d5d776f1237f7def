/* Live parts of a page: poll the page's live URL with the version it shows; swap in the parts that changed.

   <div data-live-url="/deals/1/live" data-live-version="v1"> ... <div data-live-part="deal-summary"> ...
   The server answers 304 while nothing changed, else <template data-live-part="..."> per part and
   <template data-live-version="v2">. window.crmLive(root, onSwap) starts it; onSwap runs after each swap.
   The document gets "crm:live-swapped" after a swap and "crm:live-deferred" when a change waits for the user. */
"use strict";

window.crmLive = function crmLive(root, onSwap) {
  const url = root.dataset.liveUrl;
  let version = root.dataset.liveVersion;
  const interval = 500;
  let stopped = false;

  async function poll() {
    if (stopped) return;
    if (!document.hidden) {
      try {
        const response = await fetch(url, {
          headers: { "If-None-Match": '"' + version + '"' },
          credentials: "same-origin",
          cache: "no-store",
        });
        if (response.redirected || response.status === 401 || response.status === 403 || response.status === 404) {
          stopped = true;
          return;
        }
        if (response.status === 200) swap(await response.text());
      } catch (error) {
        /* the server is restarting: try again on the next tick */
      }
    }
    setTimeout(poll, interval);
  }

  // Not while the user is in the middle of something there: an open stage list or parameter list, an open
  // confirmation (its form would be swapped away), a field being typed in. The next tick tries again.
  function busy() {
    if (document.querySelector("dialog[open]")) return true;
    if (root.querySelector('[aria-haspopup][aria-expanded="true"]')) return true;
    const active = document.activeElement;
    return active !== null && root.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) &&
      active.closest("[data-live-part]") !== null;
  }

  function swap(html) {
    if (busy()) {
      document.dispatchEvent(new CustomEvent("crm:live-deferred"));
      return;
    }
    const doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    const stamp = doc.querySelector("template[data-live-version]");
    if (!stamp) return;
    doc.querySelectorAll("template[data-live-part]").forEach(function (part) {
      const target = root.querySelector('[data-live-part="' + part.dataset.livePart + '"]');
      if (target) target.replaceChildren(document.importNode(part.content, true));
    });
    version = stamp.dataset.liveVersion;
    root.dataset.liveVersion = version;
    if (onSwap) onSwap();
    document.dispatchEvent(new CustomEvent("crm:live-swapped"));
  }

  setTimeout(poll, interval);
  return { stop: function () { stopped = true; } };
};
