/* The deal card: the stage list behind the current stage, collapsing contacts, the funnel switch's stage
   list, and the live parts (stage, contacts, tasks, runs, dialogs, log) that follow changes by themselves. */
"use strict";

(function () {
  let contactsCollapsed = false;

  function bindSummary() {
    const stageButton = document.getElementById("stage-button");
    const stageMenu = document.getElementById("stage-menu");
    if (stageButton && stageMenu) window.crmPopup(stageButton, stageMenu);

    const toggle = document.getElementById("contacts-toggle");
    const list = document.getElementById("contact-list");
    if (!toggle || !list) return;
    function show() {
      list.hidden = contactsCollapsed;
      toggle.setAttribute("aria-expanded", contactsCollapsed ? "false" : "true");
      toggle.textContent = contactsCollapsed ? "Развернуть список контактов" : "Свернуть список контактов";
    }
    toggle.addEventListener("click", function () {
      contactsCollapsed = !contactsCollapsed;
      show();
    });
    show();
  }
  bindSummary();

  const live = document.getElementById("deal-live");
  if (live) window.crmLive(live, bindSummary);

  const funnelSelect = document.getElementById("funnel-select");
  const stageSelect = document.getElementById("funnel-stage-select");
  const data = document.getElementById("funnel-data");
  if (!funnelSelect || !stageSelect || !data) return;
  const funnels = JSON.parse(data.textContent);
  funnelSelect.addEventListener("change", function () {
    const funnel = funnels.find(function (f) { return String(f.id) === funnelSelect.value; });
    const first = stageSelect.options[0];
    stageSelect.replaceChildren(first);
    first.selected = true;
    (funnel ? funnel.stages : []).forEach(function (stage) {
      stageSelect.append(new Option(stage.name, String(stage.id)));
    });
  });
})();
