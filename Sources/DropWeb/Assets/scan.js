// Scan/Pay: reads a QR code with the camera where the browser has a barcode detector, then
// submits the link through the same form a person can paste into (the server checks it).
(function () {
  "use strict";
  var scanner = document.getElementById("scanner");
  var form = document.getElementById("scan-form");
  if (!scanner || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  scanner.hidden = false;
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
  }

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.play();
      start.hidden = true;
      status.textContent = status.dataset.looking;
      var look = function () {
        if (!stream) return;
        detector.detect(video).then(function (codes) {
          var found = codes.map(function (code) { return code.rawValue; })
            .filter(function (text) { return /\/pay\/|^drop:\/\/pay\//.test(text); })[0];
          if (found) {
            stop();
            form.elements.link.value = found;
            form.submit();
          } else {
            if (codes.length) status.textContent = status.dataset.foreign;
            window.setTimeout(look, 250);
          }
        }, function () { window.setTimeout(look, 500); });
      };
      look();
    }, function () {
      status.textContent = status.dataset.denied;
    });
  });
  window.addEventListener("pagehide", stop);
})();
