// The search page's sort and language choices apply as soon as they change; without this
// script they apply with the Search button, like the words. The page says so beforehand.
for (const form of document.querySelectorAll("form[data-apply-on-change]")) {
  const hint = document.getElementById("search-options-hint");
  if (hint) hint.hidden = false;
  for (const field of form.querySelectorAll("select, input[type=radio]")) {
    if (hint) field.setAttribute("aria-describedby", hint.id);
    field.addEventListener("change", () => form.requestSubmit());
  }
}
