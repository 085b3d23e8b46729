// Passbook Connect, the upload screen: the customer picks or drops statements (PDFs, or scans and
// photos as JPEG, PNG, BMP, TIFF), sees each file's name and size and may remove one; the files are checked against the intake's limits
// (count, size, total, PDF or image by content), sent with XMLHttpRequest to the intake with a progress
// bar, and the receipt's LoginId is posted to /v2/upload/finish, which ends the widget like a
// linked login. A refusal by the server shows its Flinks error. A password-protected PDF
// (FILE_PASSWORD_REQUIRED / FILE_PASSWORD_INCORRECT) gets a password field beside it; the
// password is sent with the file ("password.N") and kept only in this page's memory.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("pb-upload-data").textContent);
  var data = JSON.parse(document.getElementById("pb-data").textContent);
  var host = window.parent !== window ? window.parent : window.opener;
  var msg = cfg.messages;

  function post(ev) {
    if (!host) return;
    if (cfg.institution) ev.institution = cfg.institution;
    if (cfg.tag) ev.tag = cfg.tag;
    data.origins.forEach(function (origin) {
      try { host.postMessage(ev, origin); } catch (e) { /* closed or gone */ }
    });
  }

  var form = document.getElementById("pb-upload-form");
  var input = document.getElementById("pb-files");
  var zone = document.getElementById("pb-dropzone");
  var list = document.getElementById("pb-upload-files");
  var none = document.getElementById("pb-upload-none");
  var send = document.getElementById("pb-upload-send");
  var bar = document.getElementById("pb-upload-progress");
  var alertBox = document.getElementById("pb-upload-error");
  var alertMsg = document.getElementById("pb-upload-message");
  var alertCode = document.getElementById("pb-upload-code");
  var status = document.getElementById("pb-status");
  var state = form.querySelector("input[name=s]").value;
  var files = []; // the chosen files, in order
  var busy = false;
  var secrets = new Map(); // file → the password typed for it; never stored
  var locked = new Set(); // files the server asked a password for

  function fill(s, name) { return s.split("{name}").join(name); }

  function size(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
    return (n / 1024 / 1024).toFixed(1) + " MB";
  }

  function showError(text, code) {
    alertMsg.textContent = text;
    if (code) {
      alertCode.textContent = msg.code + ": " + code;
      alertCode.hidden = false;
    } else {
      alertCode.hidden = true;
    }
    alertBox.hidden = false;
    alertBox.setAttribute("data-flinks-code", code || "");
    alertBox.focus();
  }

  function clearError() {
    alertBox.hidden = true;
    alertMsg.textContent = "";
  }

  function render() {
    while (list.firstChild) list.removeChild(list.firstChild);
    files.forEach(function (f, i) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "file-name";
      name.textContent = f.name;
      var sz = document.createElement("span");
      sz.className = "file-size";
      sz.textContent = size(f.size);
      var rm = document.createElement("button");
      rm.type = "button";
      rm.className = "link remove";
      rm.textContent = "×";
      rm.setAttribute("aria-label", fill(msg.remove, f.name));
      rm.addEventListener("click", function () {
        if (busy) return;
        files.splice(i, 1);
        secrets.delete(f);
        locked.delete(f);
        clearError();
        render();
        (list.querySelector("button.remove") || input).focus();
      });
      li.appendChild(name);
      li.appendChild(sz);
      li.appendChild(rm);
      if (locked.has(f)) {
        var pw = document.createElement("input");
        pw.type = "password";
        pw.className = "file-password";
        pw.id = "pb-password-" + i;
        pw.autocomplete = "off";
        pw.setAttribute("aria-label", fill(msg.pwLabel, f.name));
        pw.placeholder = fill(msg.pwLabel, f.name);
        pw.value = secrets.get(f) || "";
        pw.disabled = busy;
        pw.addEventListener("input", function () { secrets.set(f, pw.value); });
        li.appendChild(pw);
      }
      list.appendChild(li);
    });
    none.hidden = files.length > 0;
    send.disabled = busy || files.length === 0;
  }

  // isAccepted reads the first bytes of f: a PDF has "%PDF-" within its first 1024 bytes; a
  // JPEG, PNG, TIFF or BMP image (a scan or a photo of a statement) starts with its signature.
  function isAccepted(f) {
    return f.slice(0, 1024).arrayBuffer().then(function (buf) {
      var b = new Uint8Array(buf);
      var starts = function (sig) {
        if (b.length < sig.length) return false;
        for (var j = 0; j < sig.length; j++) if (b[j] !== sig[j]) return false;
        return true;
      };
      if (starts([0xff, 0xd8, 0xff]) || starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
          starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a]) || (b.length >= 14 && starts([0x42, 0x4d]))) return true;
      for (var i = 0; i + 5 <= b.length; i++) {
        if (b[i] === 0x25 && b[i + 1] === 0x50 && b[i + 2] === 0x44 && b[i + 3] === 0x46 && b[i + 4] === 0x2d) return true;
      }
      return false;
    });
  }

  // isEncrypted reads f: a password-protected PDF names its /Encrypt dictionary in the clear.
  function isEncrypted(f) {
    return f.arrayBuffer().then(function (buf) {
      var b = new Uint8Array(buf), k = [0x2f, 0x45, 0x6e, 0x63, 0x72, 0x79, 0x70, 0x74]; // "/Encrypt"
      outer: for (var i = 0; i + k.length <= b.length; i++) {
        for (var j = 0; j < k.length; j++) if (b[i + j] !== k[j]) continue outer;
        return true;
      }
      return false;
    }, function () { return false; });
  }

  // askPassword shows a password field beside each protected file and says which one to fill.
  function askPassword(code) {
    return Promise.all(files.map(isEncrypted)).then(function (enc) {
      var first = null;
      files.forEach(function (f, i) {
        if (!enc[i]) return;
        locked.add(f);
        if (!first && (code === "FILE_PASSWORD_INCORRECT" ? secrets.get(f) : !secrets.get(f))) first = f;
      });
      first = first || files.find(function (f) { return locked.has(f); });
      render();
      var text = first ? fill(code === "FILE_PASSWORD_INCORRECT" ? msg.pwWrong : msg.pwNeeded, first.name) : "";
      var field = first ? document.getElementById("pb-password-" + files.indexOf(first)) : null;
      return { text: text, field: field };
    });
  }

  // add checks the new files one by one and keeps those that pass; the first refusal is shown.
  function add(picked) {
    if (busy) return;
    clearError();
    var refused = null;
    var checks = Array.prototype.map.call(picked, function (f) {
      if (f.size === 0) return Promise.resolve({ f: f, err: fill(msg.empty, f.name) });
      if (f.size > cfg.maxFileBytes) return Promise.resolve({ f: f, err: fill(msg.size, f.name) });
      return isAccepted(f).then(function (ok) { return { f: f, err: ok ? "" : fill(msg.type, f.name) }; },
        function () { return { f: f, err: fill(msg.type, f.name) }; });
    });
    Promise.all(checks).then(function (results) {
      results.forEach(function (r) {
        if (r.err) { refused = refused || r.err; return; }
        if (files.length >= cfg.maxFiles) { refused = refused || msg.count; return; }
        var total = files.reduce(function (s, f) { return s + f.size; }, 0);
        if (total + r.f.size > cfg.maxTotal) { refused = refused || msg.total; return; }
        files.push(r.f);
      });
      render();
      if (refused) showError(refused, "");
      else if (status) status.textContent = msg.added.replace("{count}", String(files.length));
    });
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
  });

  form.addEventListener("submit", function (e) {
    if (document.getElementById("pb-login-id").value) return; // the finish step itself
    e.preventDefault();
    if (busy || files.length === 0) return;
    busy = true;
    clearError();
    render();
    var body = new FormData();
    files.forEach(function (f) { body.append("files", f, f.name); });
    files.forEach(function (f, i) { if (secrets.get(f)) body.append("password." + i, secrets.get(f)); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", cfg.endpoint);
    xhr.setRequestHeader("X-Passbook-Session", state);
    bar.hidden = false;
    bar.value = 0;
    if (status) status.textContent = msg.sending;
    xhr.upload.addEventListener("progress", function (p) {
      if (p.lengthComputable) bar.value = Math.round(100 * p.loaded / p.total);
    });
    function failed(text, code, httpStatus) {
      busy = false;
      bar.hidden = true;
      render();
      if (status) status.textContent = "";
      post({ step: "UPLOAD_ERROR", flinksCode: code || undefined, httpStatusCode: httpStatus || undefined, message: text });
      if (code === "FILE_PASSWORD_REQUIRED" || code === "FILE_PASSWORD_INCORRECT") {
        askPassword(code).then(function (ask) {
          showError(ask.text || text, code);
          if (ask.field) ask.field.focus();
        });
        return;
      }
      showError(text, code);
    }
    xhr.addEventListener("load", function () {
      var res = null;
      try { res = JSON.parse(xhr.responseText); } catch (err) { res = null; }
      if (xhr.status === 200 && res && res.LoginId) {
        bar.value = 100;
        document.getElementById("pb-login-id").value = res.LoginId;
        document.getElementById("pb-file-count").value = String(files.length);
        form.submit();
        return;
      }
      failed(res && res.Message ? res.Message : msg.network, res && res.FlinksCode, xhr.status);
    });
    xhr.addEventListener("error", function () { failed(msg.network, "", 0); });
    xhr.addEventListener("abort", function () { failed(msg.network, "", 0); });
    post({ step: "SUBMIT_UPLOAD", files: files.length });
    xhr.send(body);
  });

  render();
})();
