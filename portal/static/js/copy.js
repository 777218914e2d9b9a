// Adds a "Copy" button to each read-only field marked data-copy. Without JavaScript the field
// still works: its text can be selected and copied by hand.
"use strict";

document.querySelectorAll("input[data-copy]").forEach((field) => {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = field.dataset.copyLabel;
  const status = document.createElement("span");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = field.dataset.copiedLabel;
    } catch {
      status.textContent = field.dataset.selectLabel;
    }
  });
  field.after(button, status);
});
