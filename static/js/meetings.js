/* Meetings pages. No inline scripts: the Content Security Policy allows only
   files served from static/. */
(function () {
  "use strict";

  /* One-click replies: the link in the email names the answer; the page
     posts it at once. Without JavaScript (and for mail scanners that open
     links) nothing is recorded until the button is pressed. */
  function autoReply(form) {
    var answer = form.getAttribute("data-autosubmit");
    var button = form.querySelector('button[name="response"][value="' + answer + '"]');
    if (!button) { return; }
    var note = document.getElementById("reply-recording");
    if (note) { note.classList.remove("d-none"); }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(autoReply);
  });
})();
