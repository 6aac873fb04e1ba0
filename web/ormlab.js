// ORM Lab page glue, called by the UI wasm (wasm/app/ui/bridge.go) through
// window.ormlab: the editor (CodeMirror from editor.js, or a plain textarea
// when that bundle did not load), the runner worker with its hard time limit,
// drafts in localStorage, share links and keyboard shortcuts.
(function () {
  "use strict";
  var O = (window.ormlab = {});

  // ---- editor ----
  var ed = null;
  var quiet = false; // true while the page itself replaces the text

  var pending = null; // a mount waiting for the deferred editor bundle

  O.mountEditor = function (id, doc, onChange) {
    if (document.readyState === "loading") {
      // Deferred scripts (the editor bundle) have not all run yet: mount
      // once they have, so a fast wasm start never gets the fallback.
      var first = !pending;
      pending = { id: id, doc: doc, onChange: onChange };
      if (first) {
        document.addEventListener("DOMContentLoaded", function () {
          var p = pending;
          pending = null;
          mount(p.id, p.doc, p.onChange);
        });
      }
      return "pending";
    }
    return mount(id, doc, onChange);
  };

  function mount(id, doc, onChange) {
    var el = document.getElementById(id);
    if (!el) return "";
    el.textContent = "";
    var changed = function (text) {
      if (!quiet) onChange(text);
    };
    if (window.ormlabCM) {
      try {
        ed = window.ormlabCM.create(el, doc, changed);
        el.setAttribute("data-kind", "codemirror");
        return "codemirror";
      } catch (e) {
        el.textContent = "";
      }
    }
    var ta = document.createElement("textarea");
    ta.className = "editor-fallback";
    ta.spellcheck = false;
    ta.setAttribute("aria-label", "Go program");
    ta.value = doc;
    ta.addEventListener("input", function () {
      changed(ta.value);
    });
    ta.addEventListener("keydown", function (e) {
      if (e.key === "Tab" && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        var s = ta.selectionStart;
        ta.setRangeText("\t", s, ta.selectionEnd, "end");
        changed(ta.value);
      }
    });
    el.appendChild(ta);
    ed = {
      plain: true,
      changed: changed,
      get: function () { return ta.value; },
      set: function (d) { ta.value = d; },
      mark: function (n) {
        if (n > 0) ta.setAttribute("data-error-line", String(n));
        else ta.removeAttribute("data-error-line");
      },
    };
    el.setAttribute("data-kind", "textarea");
    return "textarea";
  }
  O.getCode = function () { return ed ? ed.get() : pending ? pending.doc : ""; };
  // setCode replaces the text. With notify the change is reported like an
  // edit (autosaved); without it (the page's own Reset/Format) it is not.
  O.setCode = function (d, notify) {
    if (!ed) {
      if (pending) pending.doc = d;
      return;
    }
    quiet = !notify;
    try { ed.set(d); } finally { quiet = false; }
    if (notify && ed.plain) ed.changed(d); // a textarea reports no programmatic change
  };
  O.markError = function (n) { if (ed) ed.mark(n | 0); };

  // ---- drafts ----
  var PREFIX = "ormlab:draft:";
  O.loadDraft = function (k) {
    try { return window.localStorage.getItem(PREFIX + k); } catch (e) { return null; }
  };
  O.saveDraft = function (k, v) {
    try { window.localStorage.setItem(PREFIX + k, v); } catch (e) { /* storage full or disabled */ }
  };
  O.dropDraft = function (k) {
    try { window.localStorage.removeItem(PREFIX + k); } catch (e) {}
  };

  // ---- share ----
  O.share = function (fragment) {
    var url = location.href.split("#")[0] + "#" + fragment;
    try { history.replaceState(history.state, "", url); } catch (e) {}
    copy(url);
    return url;
  };
  function copy(text) {
    var fallback = function () {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand("copy"); } catch (e) {}
      document.body.removeChild(ta);
    };
    try {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).catch(fallback);
        return;
      }
    } catch (e) {}
    fallback();
  }

  // ---- keyboard ----
  var shortcut = null;
  O.onShortcut = function (cb) { shortcut = cb; };
  // Capture phase: the editor must not see Ctrl+Enter (it would insert a line).
  window.addEventListener("keydown", function (e) {
    if (!shortcut || !(e.ctrlKey || e.metaKey) || e.altKey) return;
    if (e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      shortcut("run");
    } else if (e.key === "s" || e.key === "S") {
      e.preventDefault();
      e.stopPropagation();
      shortcut("share");
    }
  }, true);

  // ---- runner worker ----
  // Protocol (fixed with the runner): page -> worker {type:"run", id, files,
  // options:{timeout_ms}} and {type:"cancel", id}; worker -> page
  // {type:"ready"}, {type:"result", id, trace}, {type:"error", id, message}.
  //
  // A run that will not stop (a tight loop does not let the worker read a
  // cancel message) is ended by terminating its worker. Starting a new one
  // means loading the runner wasm again (seconds on a slow machine), so a
  // spare worker is kept loaded once the page is idle, and takes over at once.
  var GRACE_MS = 1500;  // the runner stops a program itself at timeout_ms; this is for when it cannot
  var CANCEL_MS = 400;  // how long a cancelled run may keep the worker before it is killed
  var SPARE_DELAY_MS = 1500; // after the main worker is ready, so the spare never slows the first load
  var R = { base: "", worker: null, ready: false, busy: 0, cur: null, queue: null, seq: 0, onReady: null,
    cancelTimer: 0, spare: null, spareReady: false, spareTimer: 0 };
  O.runner = R;

  function newWorker() {
    return new Worker(R.base + "/runner-worker.js");
  }

  // mark records a moment of the page's start-up once (performance marks
  // "ormlab:runner-start" when the runner worker is created, "ormlab:ui-up"
  // when the UI wasm has started and asks for it, "ormlab:runner-ready" when
  // the runner first answers), so load time can be split between the two
  // wasm (tests/browser's BenchmarkLoad).
  function mark(name) {
    try {
      if (performance.getEntriesByName(name, "mark").length === 0) performance.mark(name);
    } catch (e) { /* marks are for measuring only */ }
  }

  function spawn() {
    mark("ormlab:runner-start");
    R.ready = false;
    R.busy = 0;
    var w;
    try {
      w = newWorker();
    } catch (e) {
      R.worker = null;
      failCurrent("The runner could not start: " + e.message);
      return;
    }
    adopt(w);
  }

  // adopt makes w the worker that runs programs.
  function adopt(w) {
    R.worker = w;
    w.onmessage = function (ev) {
      if (w !== R.worker) return;
      var m = ev.data || {};
      if (m.type === "ready") {
        mark("ormlab:runner-ready");
        R.ready = true;
        if (R.onReady) R.onReady();
        flush();
        scheduleSpare();
        return;
      }
      if (m.type !== "result" && m.type !== "error") return;
      if (m.type === "error" && (m.id === null || m.id === undefined)) {
        // The runner itself failed (it could not load, or it stopped): fail
        // the waiting run now rather than at its time limit.
        R.busy = 0;
        failCurrent("The runner is not working: " + String(m.message || "unknown error") + ". Reload the page to try again; your code is saved.");
        return;
      }
      if (m.id === R.busy) {
        R.busy = 0;
        clearTimeout(R.cancelTimer);
      }
      var c = R.cur;
      if (c && m.id === c.id) {
        R.cur = null;
        clearTimeout(c.timer);
        if (m.type === "result") {
          c.cb("result", typeof m.trace === "string" ? m.trace : JSON.stringify(m.trace));
        } else {
          c.cb("error", String(m.message || "the runner failed"));
        }
      }
      flush();
    };
    w.onerror = function (ev) {
      if (w !== R.worker) return;
      ev.preventDefault();
      failCurrent("The runner crashed (" + (ev.message || "unknown error") + "). It has been restarted; your code is unchanged.");
      restart();
    };
  }

  function scheduleSpare() {
    if (R.spare || R.spareTimer) return;
    R.spareTimer = setTimeout(function () {
      R.spareTimer = 0;
      if (R.spare) return;
      var w;
      try { w = newWorker(); } catch (e) { return; }
      R.spare = w;
      R.spareReady = false;
      w.onmessage = function (ev) {
        if (w !== R.spare) return;
        var m = ev.data || {};
        if (m.type === "ready") R.spareReady = true;
        else if (m.type === "error") { w.terminate(); R.spare = null; } // a broken spare is not kept
      };
      w.onerror = function (ev) {
        ev.preventDefault();
        if (w === R.spare) { w.terminate(); R.spare = null; }
      };
    }, SPARE_DELAY_MS);
  }

  function failCurrent(msg) {
    var c = R.cur;
    if (!c) return;
    R.cur = null;
    clearTimeout(c.timer);
    c.cb("error", msg);
  }

  // restart replaces a stuck or crashed worker: by the loaded spare when
  // there is one, else by a new worker.
  function restart() {
    if (R.worker) R.worker.terminate();
    R.worker = null;
    R.busy = 0;
    clearTimeout(R.cancelTimer);
    if (R.spare && R.spareReady) {
      var w = R.spare;
      R.spare = null;
      R.spareReady = false;
      adopt(w);
      R.ready = true;
      flush();
      scheduleSpare();
      return;
    }
    if (R.spare) {
      // Still loading: it becomes the main worker and reports ready itself.
      var l = R.spare;
      R.spare = null;
      R.ready = false;
      adopt(l);
      return;
    }
    spawn();
  }

  function flush() {
    if (!R.ready || R.busy || !R.queue || !R.worker) return;
    var c = R.queue;
    R.queue = null;
    R.busy = c.id;
    R.worker.postMessage({ type: "run", id: c.id, files: c.files, options: { timeout_ms: c.timeout } });
    c.timer = setTimeout(function () {
      if (R.cur !== c) return;
      R.cur = null;
      restart();
      c.cb("timeout", "Your program ran longer than " + c.timeout / 1000 + " s and was stopped. The runner was restarted; your code is unchanged.");
    }, c.timeout + GRACE_MS);
  }

  O.startRunner = function (base, onReady) {
    mark("ormlab:ui-up");
    base = base || "";
    R.onReady = onReady;
    if (R.worker && R.base !== base) {
      // Started early (prestart) under a base path the UI does not agree
      // with: the UI knows best.
      R.worker.terminate();
      R.worker = null;
      R.ready = false;
    }
    R.base = base;
    if (!R.worker) spawn();
    else if (R.ready && onReady) onReady();
  };

  // prestart loads the runner worker as soon as a page with a Run button is
  // parsed, instead of when the UI wasm has started and asks for it: the two
  // wasm then load side by side, and Run is ready when the slower one is
  // (on a warm load the runner used to start ~0.8 s in, after the UI wasm).
  // The base path comes from this script's own URL (<base>/web/ormlab.js).
  var scriptBase = (function () {
    try {
      var p = new URL(document.currentScript.src, location.href).pathname;
      var suffix = "/web/ormlab.js";
      if (p.slice(-suffix.length) === suffix) return p.slice(0, -suffix.length);
    } catch (e) { /* no current script: the UI starts the runner itself */ }
    return null;
  })();
  function prestart() {
    if (scriptBase === null || R.worker || !document.getElementById("run")) return;
    if (new URLSearchParams(location.search).get("wasm") === "false") return; // no UI wasm, no Run
    R.base = scriptBase;
    spawn();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", prestart);
  else prestart();

  O.run = function (filesJSON, timeoutMs, cb) {
    if (!R.worker) spawn();
    var old = R.cur;
    if (old) {
      R.cur = null;
      clearTimeout(old.timer);
      old.cb("cancelled", "");
    }
    if (R.queue) R.queue = null;
    if (R.busy && R.worker) {
      // Ask the runner to stop the old run; if it does not answer promptly
      // (a tight loop cannot see the message), kill the worker and start over.
      var busy = R.busy;
      R.worker.postMessage({ type: "cancel", id: busy });
      clearTimeout(R.cancelTimer);
      R.cancelTimer = setTimeout(function () {
        if (R.busy === busy) restart();
      }, CANCEL_MS);
    }
    var c = { id: ++R.seq, files: JSON.parse(filesJSON), timeout: timeoutMs, cb: cb, timer: 0 };
    R.cur = c;
    R.queue = c;
    flush();
  };
})();
