/* Every page: confirmations of destructive actions, hints behind «?», a note for controls the emulator lacks. */
"use strict";

(function () {
  // A form with data-confirm asks first: the question, what follows (data-confirm-text), the action's button.
  const dialog = document.getElementById("confirm-dialog");
  const ok = document.getElementById("confirm-ok");
  let pending = null;
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.dataset || !form.dataset.confirm || form.dataset.confirmed === "yes" || !dialog) return;
    event.preventDefault();
    pending = form;
    document.getElementById("confirm-title").textContent = form.dataset.confirm;
    document.getElementById("confirm-text").textContent = form.dataset.confirmText || "Это действие нельзя отменить.";
    ok.textContent = form.dataset.confirmButton || "ПОДТВЕРДИТЬ";
    dialog.showModal();
    ok.focus();
  }, true);
  if (dialog) {
    ok.addEventListener("click", function () {
      const form = pending;
      pending = null;
      dialog.close();
      if (form) {
        form.dataset.confirmed = "yes";
        form.submit();
      }
    });
    document.getElementById("confirm-cancel").addEventListener("click", function () {
      pending = null;
      dialog.close();
    });
  }

  // «?»: a button that shows or hides the hint it controls.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.hint");
    if (!button) return;
    const hint = document.getElementById(button.getAttribute("aria-controls"));
    if (!hint) return;
    const open = hint.hidden;
    hint.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // Controls of the real CRM that the emulator only shows.
  const toast = document.getElementById("toast");
  let toastTimer = null;
  document.addEventListener("click", function (event) {
    const control = event.target.closest("[data-unavailable]");
    if (!control || !toast) return;
    toast.textContent = "«" + control.textContent.trim() + "»: в эмуляторе CRM не реализовано";
    toast.classList.add("shown");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.classList.remove("shown"); }, 4000);
  });
})();
