/* The editor "Настройки бизнес-процесса": delay fields, the stage check's «Да»/«Нет», channel reset,
   parameters at the caret, file uploads (in the chosen order, limits told at once). */
"use strict";

(function () {
  const form = document.getElementById("process-form");
  if (!form) return;
  const data = JSON.parse(document.getElementById("editor-data").textContent);

  // "Когда выполнить действие": the delay and the stage check exist only with "С задержкой".
  const delayFields = document.getElementById("delay-fields");
  const checkRow = document.getElementById("check-stage-row");
  function syncTiming() {
    const chosen = form.querySelector("input[name=timing]:checked");
    const delayed = chosen !== null && chosen.value === "delayed";
    delayFields.hidden = !delayed;
    checkRow.hidden = !delayed;
  }
  form.querySelectorAll("input[name=timing]").forEach(function (radio) {
    radio.addEventListener("change", syncTiming);
  });

  // "Проверить, находится ли сделка на выбранном этапе": the checkbox says «Да» or «Нет» beside it.
  const check = document.getElementById("check_stage");
  const checkState = document.getElementById("check-stage-state");
  check.addEventListener("change", function () {
    checkState.textContent = data.checks[check.checked ? "true" : "false"];
  });

  // "Выберите сервис" -> the channel list of that service, reset to "Не выбрано".
  const provider = document.getElementById("provider");
  const channel = document.getElementById("channel_id");
  provider.addEventListener("change", function () {
    const placeholder = channel.options[0];
    channel.replaceChildren(placeholder);
    (data.channels[provider.value] || []).forEach(function (option) {
      channel.append(new Option(option.label, option.value));
    });
    channel.value = "";
  });

  // "выберите параметры": the chosen parameter's token goes in at the caret of the message text.
  const text = document.getElementById("text");
  const paramButton = document.getElementById("parameters-button");
  const paramList = document.getElementById("parameters-list");
  const popup = window.crmPopup(paramButton, paramList);
  function insertToken(option) {
    const token = option.dataset.token;
    const start = text.selectionStart;
    const end = text.selectionEnd;
    text.value = text.value.slice(0, start) + token + text.value.slice(end);
    popup.close();
    text.focus();
    text.setSelectionRange(start + token.length, start + token.length);
  }
  paramList.addEventListener("click", function (event) {
    const option = event.target.closest("[role=option]");
    if (option) insertToken(option);
  });
  paramList.addEventListener("keydown", function (event) {
    const option = event.target.closest("[role=option]");
    if (!option) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      insertToken(option);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = event.key === "ArrowDown" ? option.nextElementSibling : option.previousElementSibling;
      if (next) next.focus();
    }
  });

  // "Загрузить файл": each file goes to /settings/business-processes/files at once; the form keeps only the
  // file ids, in the order the files were chosen (a chip is placed when chosen and filled when its upload
  // answers). The limits are told when the files are chosen: at most data.limits.max_files files, each at
  // most max_megabytes MB.
  const filesRow = document.getElementById("files-row");
  const input = document.getElementById("file-input");
  const chips = document.getElementById("file-chips");
  const uploadErrors = document.getElementById("upload-errors");
  const maxFiles = data.limits.max_files;
  const maxBytes = data.limits.max_megabytes * 1024 * 1024;
  let uploading = 0;

  function shortName(name) {
    return name.length <= 16 ? name : name.slice(0, 12) + "...";
  }
  function placeChip(filename) {
    const item = document.createElement("li");
    item.className = "chip uploading";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", "Удалить файл " + filename);
    remove.textContent = "X";
    const label = document.createElement("span");
    label.className = "chip-name";
    label.title = filename;
    label.dataset.testid = "file-name";
    label.textContent = shortName(filename);
    item.append(remove, label);
    chips.append(item);
    return item;
  }
  function fillChip(item, file) {
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "file_ids";
    hidden.value = String(file.id);
    item.dataset.fileId = String(file.id);
    item.append(hidden);
    item.classList.remove("uploading");
  }
  // A refusal reads "Label: message", the label being the editor field the CRM named.
  function showUploadError(message, label) {
    const line = document.createElement("p");
    line.textContent = (label || "Добавить файлы") + ": " + message;
    uploadErrors.append(line);
    uploadErrors.hidden = false;
    input.setAttribute("aria-invalid", "true");
  }
  function setBusy(delta) {
    uploading += delta;
    filesRow.setAttribute("aria-busy", uploading > 0 ? "true" : "false");
  }
  async function upload(file, item) {
    const body = new FormData();
    body.append("file", file, file.name);
    try {
      // The page's own upload route: the session cookie and its CSRF token (the REST API takes only a bearer token).
      const response = await fetch("/settings/business-processes/files", {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": form.elements.namedItem("csrf_token").value },
      });
      const answer = await response.json().catch(function () { return {}; });
      if (response.ok) {
        fillChip(item, answer);
        return;
      }
      item.remove();
      if (Array.isArray(answer.errors) && answer.errors.length) {
        answer.errors.forEach(function (error) { showUploadError(error.message, error.label); });
      } else {
        showUploadError("не удалось загрузить «" + file.name + "»: " + (answer.detail || "HTTP " + response.status));
      }
    } catch (error) {
      item.remove();
      showUploadError("не удалось загрузить «" + file.name + "»: " + error);
    } finally {
      setBusy(-1);
    }
  }
  input.addEventListener("change", function () {
    const chosen = Array.from(input.files);
    input.value = "";
    uploadErrors.replaceChildren();
    uploadErrors.hidden = true;
    input.removeAttribute("aria-invalid");
    let room = maxFiles - chips.children.length;
    const accepted = [];
    chosen.forEach(function (file) {
      if (file.size > maxBytes) {
        showUploadError("файл «" + file.name + "» больше " + data.limits.max_megabytes + " МБ");
      } else if (room <= 0) {
        showUploadError("не больше " + maxFiles + " файлов: «" + file.name + "» не добавлен");
      } else {
        room -= 1;
        accepted.push(file);
      }
    });
    setBusy(accepted.length);
    accepted.forEach(function (file) { upload(file, placeChip(file.name)); });
  });
  form.addEventListener("submit", function (event) {
    if (uploading > 0) {
      event.preventDefault();
      showUploadError("дождитесь окончания загрузки файлов");
    }
  });
  chips.addEventListener("click", function (event) {
    const remove = event.target.closest(".chip-remove");
    if (!remove) return;
    remove.closest("li").remove();
    input.focus();
  });

  syncTiming();
})();
