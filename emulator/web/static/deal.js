/* The deal card: the stage list behind the current stage, and the funnel switch's stage list. */
"use strict";

(function () {
  const stageButton = document.getElementById("stage-button");
  const stageMenu = document.getElementById("stage-menu");
  if (stageButton && stageMenu) window.crmPopup(stageButton, stageMenu);

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
