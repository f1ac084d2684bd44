// quotegraph's only script: keyboard conveniences. Every page works without it.
// "/" jumps to the search box; Escape leaves a focused quote (closing its details).
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  if (event.key === "/" && !typing) {
    var box = document.getElementById("top-q");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  } else if (event.key === "Escape" && target && target.classList && target.classList.contains("quote")) {
    target.blur();
  }
});
