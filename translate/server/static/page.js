// Progressive enhancement only: the page works without this file.
// Adds a copy button for the translation.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const copy = document.getElementById("copy");
  const translation = document.getElementById("translation");
  if (!copy || !translation) {
    return;
  }
  copy.hidden = false;
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(translation.value);
      copy.textContent = "Copied";
    } catch (error) {
      translation.select();
      copy.textContent = "Press Ctrl+C to copy";
    }
  });
  document.body.dataset.enhanced = "yes";
});
