/* A button that opens a popup list (menu or listbox): toggling, Escape and clicks outside close it. */
"use strict";

window.crmPopup = function crmPopup(button, popup) {
  function setOpen(open) {
    popup.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      const first = popup.querySelector("[role=menuitem], [role=option]");
      if (first) first.focus();
    }
  }
  button.addEventListener("click", function () {
    setOpen(popup.hidden);
  });
  popup.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!popup.hidden && !popup.contains(event.target) && !button.contains(event.target)) setOpen(false);
  });
  return { close: function () { setOpen(false); } };
};
