// The roadshow's big screen: a full-screen button through the Fullscreen API (shown only where it works).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-fullscreen]");
  var root = document.documentElement;
  if (!button || !root.requestFullscreen) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else root.requestFullscreen();
  });
  document.addEventListener("fullscreenchange", function () {
    button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  });
});
