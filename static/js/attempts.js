// Attempt forms: paste (Ctrl+V), drop or choose several screenshots; keep the defaults honest.
// Everything here is an enhancement: without JavaScript the plain file input still works.
(() => {
  "use strict";

  const pad = (n) => String(n).padStart(2, "0");

  // "Now" as the server reads the field: Paris wall-clock time, whatever the laptop's zone.
  function parisNow() {
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date());
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
  }

  function stamp() {
    const d = new Date();
    return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  }

  function setupFiles(form) {
    const input = form.querySelector("input[type=file]");
    const list = form.querySelector("[data-pending-files]");
    const zone = form.querySelector("[data-drop-zone]") || form;
    if (!input || !list || typeof DataTransfer === "undefined") return;
    const held = new DataTransfer();
    const key = (f) => `${f.name}|${f.size}|${f.lastModified}`;

    function render() {
      list.replaceChildren();
      Array.from(held.files).forEach((file, index) => {
        const item = document.createElement("li");
        if (file.type.startsWith("image/")) {
          const img = document.createElement("img");
          img.src = URL.createObjectURL(file);
          img.alt = "";
          img.className = "pending-thumb";
          img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
          item.append(img);
        }
        const label = document.createElement("span");
        label.textContent = `${file.name} (${Math.max(1, Math.round(file.size / 1024))} Ko)`;
        item.append(label);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button-small button-secondary";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `${form.dataset.removeLabel || "Retirer"} ${file.name}`);
        remove.addEventListener("click", () => {
          held.items.remove(index);
          input.files = held.files;
          render();
        });
        item.append(remove);
        list.append(item);
      });
    }

    function add(files) {
      const known = new Set(Array.from(held.files).map(key));
      Array.from(files).forEach((file) => {
        let f = file;
        // Clipboard images arrive as "image.png": give them a name that says when they were pasted.
        if (!f.name || /^image\.(png|jpe?g|webp)$/i.test(f.name)) {
          const ext = (f.type.split("/")[1] || "png").replace("jpeg", "jpg");
          f = new File([f], `capture-${stamp()}.${ext}`, { type: f.type, lastModified: f.lastModified });
        }
        if (!known.has(key(f))) { held.items.add(f); known.add(key(f)); }
      });
      input.files = held.files;
      render();
    }

    input.addEventListener("change", () => {
      // A new choice replaces the input's list: merge it into what is already held.
      const chosen = Array.from(input.files);
      add(chosen);
    });
    document.addEventListener("paste", (event) => {
      const files = event.clipboardData ? Array.from(event.clipboardData.files) : [];
      if (!files.length) return; // plain text pastes go where they were meant to go
      event.preventDefault();
      add(files);
    });
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("drag-over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("drag-over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("drag-over");
      if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
    });
  }

  function setupDefaults(form) {
    const outcome = form.querySelector("select[name=outcome]");
    const channel = form.querySelector("select[name=channel]");
    const message = form.querySelector("textarea[name=message]");
    const moment = form.querySelector("input[name=moment]");
    const written = form.querySelector("[data-written-request]");
    const wording = { no_slot: form.dataset.messageNoSlot, technical_error: form.dataset.messageTechnicalError };
    const official = new Set(Object.values(wording));
    if (outcome && message) {
      outcome.addEventListener("change", () => {
        // Only replace the official wording, never what someone typed.
        if (message.value === "" || official.has(message.value)) message.value = wording[outcome.value] || "";
      });
    }
    if (channel && written) {
      channel.addEventListener("change", () => {
        if (channel.value === "email" || channel.value === "lrar") written.open = true;
      });
    }
    if (moment && "liveMoment" in form.dataset) {
      let touched = false;
      moment.addEventListener("input", () => { touched = true; });
      // A page left open for an hour must not date the next attempt an hour early.
      form.addEventListener("submit", () => { if (!touched) moment.value = parisNow(); });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-js-only]").forEach((el) => { el.hidden = false; });
    document.querySelectorAll("form[data-evidence-drop]").forEach(setupFiles);
    document.querySelectorAll("form[data-attempt-form]").forEach(setupDefaults);
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  });
})();
