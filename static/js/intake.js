/* Intake: the searchable procedure box, the due date shown before saving, and the slip's print button.
 *
 * Progressive enhancement: without this script the intake form works with its plain <select> of
 * procedures, and the server shows the due date when the form comes back. With it, the <select>
 * becomes a text box (ARIA 1.2 combobox) where the clerk types a code ("1.001193") or a name with
 * or without diacritics ("khai sinh"); arrows move through the suggestions, Enter picks the
 * highlighted one, Enter with nothing highlighted submits the form, Escape closes the list.
 * Texts come from data-msg-* attributes, so they are translated by the template.
 */
(function () {
  "use strict";

  var CODE = /^\s*(\d\.\d{6})(?!\d)/;
  var DELAY_MS = 150;

  function fold(text) {
    return (text || "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      }
    );
  }

  function initIntake(form) {
    var select = form.querySelector("select#id_procedure");
    var receivedAt = form.querySelector("#id_received_at");
    var preview = document.getElementById("due-preview");
    var msg = form.dataset;
    if (!select || !preview) {
      return;
    }

    // --- the due date -------------------------------------------------------------------------
    var currentCode = null;
    var previewSeq = 0;

    function showPreview(text, state) {
      preview.textContent = text;
      preview.classList.toggle("is-empty", state === "empty");
      preview.classList.toggle("is-error", state === "error");
    }

    function clearPreview() {
      currentCode = null;
      previewSeq += 1;
      showPreview(msg.msgPreviewEmpty, "empty");
    }

    function updatePreview(code) {
      currentCode = code;
      var seq = ++previewSeq;
      var url = msg.previewUrl + "?procedure=" + encodeURIComponent(code);
      if (receivedAt && receivedAt.value) {
        url += "&at=" + encodeURIComponent(receivedAt.value);
      }
      getJSON(url)
        .then(function (result) {
          if (seq === previewSeq) {
            showPreview(result.ok ? result.body.text : result.body.message, result.ok ? "ok" : "error");
          }
        })
        .catch(function () {
          if (seq === previewSeq) {
            showPreview(msg.msgPreviewFailed, "error");
          }
        });
    }

    if (receivedAt) {
      receivedAt.addEventListener("change", function () {
        if (currentCode) {
          updatePreview(currentCode);
        }
      });
    }

    // --- the combobox replacing the <select> ---------------------------------------------------
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id;
    input.name = select.name;
    input.className = "combobox-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "procedure-listbox");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    var typed = select.dataset.value || "";
    var chosen = select.options[select.selectedIndex];
    var typedCode = CODE.exec(typed);
    input.value = chosen && chosen.value && typedCode && typedCode[1] === chosen.value ? chosen.text : typed;

    var list = document.createElement("ul");
    list.id = "procedure-listbox";
    list.className = "combobox-list";
    list.hidden = true;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", msg.msgResults);

    var empty = document.createElement("p");
    empty.className = "combobox-empty muted";
    empty.hidden = true;
    empty.textContent = msg.msgNoMatch;

    var wrap = document.createElement("div");
    wrap.className = "combobox";
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(empty);
    var autofocus = select.hasAttribute("autofocus");
    select.parentNode.replaceChild(wrap, select);
    if (autofocus) {
      input.setAttribute("autofocus", "");
      input.focus();
    }
    var initialCode = CODE.exec(input.value);
    if (initialCode && preview.classList.contains("is-empty")) {
      updatePreview(initialCode[1]);
    } else if (initialCode) {
      currentCode = initialCode[1]; // the server already showed its due date
    }

    var results = [];
    var active = -1;
    var searchSeq = 0;
    var timer = null;

    function label(p) {
      return p.code + " – " + p.name;
    }

    function days(p) {
      return p.processing_days === 0 ? msg.msgSameDay : p.processing_days + " " + msg.msgDays;
    }

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setExpanded(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        highlight(-1);
      }
    }

    function highlight(index) {
      active = index;
      options().forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var li = options()[index];
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    }

    function render(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (p, i) {
        var li = document.createElement("li");
        li.id = "procedure-option-" + i;
        li.dataset.index = String(i);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "option-name";
        name.textContent = label(p);
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = p.field + " · " + days(p);
        li.appendChild(name);
        li.appendChild(meta);
        list.appendChild(li);
      });
      empty.hidden = items.length > 0 || !input.value.trim();
      setExpanded(items.length > 0 && document.activeElement === input);
    }

    /* The procedure the server would resolve the text to: a code, an exact name, the only match. */
    function resolved(text, items) {
      var code = CODE.exec(text);
      if (code) {
        return code[1];
      }
      var wanted = fold(text);
      var exact = items.filter(function (p) {
        return fold(p.name) === wanted || fold(label(p)) === wanted;
      });
      if (exact.length === 1) {
        return exact[0].code;
      }
      return items.length === 1 ? items[0].code : null;
    }

    function refresh() {
      var text = input.value.trim();
      var seq = ++searchSeq;
      if (!text) {
        render([]);
        clearPreview();
        return;
      }
      getJSON(msg.searchUrl + "?q=" + encodeURIComponent(text))
        .then(function (result) {
          if (seq !== searchSeq || !result.ok) {
            return;
          }
          render(result.body);
          var code = resolved(text, result.body);
          if (code) {
            updatePreview(code);
          } else {
            clearPreview();
          }
        })
        .catch(function () {
          /* The search is a convenience: typing the code still works and the server checks it. */
        });
    }

    function choose(index) {
      var p = results[index];
      input.value = label(p);
      setExpanded(false);
      empty.hidden = true;
      updatePreview(p.code);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var n = results.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!n) {
          return;
        }
        event.preventDefault();
        if (list.hidden) {
          setExpanded(true);
        }
        if (event.key === "ArrowDown") {
          highlight((active + 1) % n);
        } else {
          highlight(active <= 0 ? n - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault(); // pick the suggestion; the next Enter submits
          choose(active);
        } else {
          setExpanded(false);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          setExpanded(false);
        }
      } else if (event.key === "Tab") {
        setExpanded(false);
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (document.activeElement !== input) {
          setExpanded(false);
        }
      }, 100);
    });

    list.addEventListener("mousedown", function (event) {
      var li = event.target.closest("[role=option]");
      if (li) {
        event.preventDefault(); // keep the focus in the text box
        choose(Number(li.dataset.index));
      }
    });
  }

  function initPrint() {
    document.querySelectorAll("[data-action=print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.querySelectorAll("form.intake-form").forEach(initIntake);
  initPrint();
})();
