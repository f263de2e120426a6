// Enhancements only: the form works without this script. Drag files onto the page, see which were chosen,
// and watch the upload's progress instead of a blank page.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) { return; }
  var input = document.getElementById("files");
  var drop = form.querySelector(".drop");
  var chosen = document.getElementById("chosen");
  var progress = document.getElementById("progress");

  function show() {
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    chosen.textContent = names.join("、");
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });

  form.addEventListener("submit", function (event) {
    if (!window.XMLHttpRequest || !window.FormData) { return; }
    event.preventDefault();
    var request = new XMLHttpRequest();
    var bar = progress.querySelector(".bar");
    progress.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.style.width = Math.round(90 * e.loaded / e.total) + "%"; }
    });
    request.addEventListener("load", function () {
      bar.style.width = "100%";
      if (request.responseURL && request.responseURL.indexOf("/r/") !== -1 && request.status === 200) {
        window.location.assign(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);  // the server's own error page (already escaped)
      document.close();
    });
    request.addEventListener("error", function () { form.submit(); });
    request.open("POST", form.action);
    request.send(new FormData(form));
  });
})();
