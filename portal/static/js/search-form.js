// The search page's sort and language choices apply as soon as they change; without this
// script they apply with the Search button, like the words.
for (const form of document.querySelectorAll("form[data-apply-on-change]")) {
  for (const field of form.querySelectorAll("select, input[type=radio]")) {
    field.addEventListener("change", () => form.requestSubmit());
  }
}
