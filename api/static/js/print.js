// The Lab's printable pages: a "Print" button (the print stylesheet hides forms and navigation).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
