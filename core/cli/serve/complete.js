// cvpdf serve: completion of field names, from the JSON Schema the server
// makes of the plugins' field declarations.  The place of the cursor in the
// YAML is found from indentation alone: the keys above it that open the
// mappings and lists it is in, and for a section the `type:` it has.
"use strict";

(function () {
  const src = document.getElementById("src");
  const box = document.getElementById("complete");
  let schema = null;
  let items = [];  // [{name, doc}]
  let chosen = 0;
  let word = null; // {start, end} of the key being typed

  // One line: where its dash and key are, and whether the key has a value.
  function parse(line) {
    const m = /^(\s*)(-\s+)?(?:([\w.-]+|"[^"]*"|'[^']*')\s*:(?=\s|$)(.*))?/.exec(line);
    const blank = /^\s*(#.*)?$/.test(line);
    return {
      blank,
      indent: m[1].length,
      dash: !!m[2],
      dashCol: m[1].length,
      keyCol: m[1].length + (m[2] ? m[2].length : 0),
      key: m[3] ? m[3].replace(/^["']|["']$/g, "") : null,
      value: m[4] !== undefined ? m[4].replace(/\s+#.*$/, "").trim() : null,
    };
  }

  // The value of `type:` of the list item whose dash is on line row.
  function itemType(lines, row) {
    const head = parse(lines[row]);
    if (head.key === "type") return head.value;
    for (let r = row + 1; r < lines.length; r++) {
      const l = parse(lines[r]);
      if (l.blank) continue;
      if (l.indent <= head.dashCol) break;
      if (l.key === "type" && !l.dash && l.keyCol === head.keyCol) return l.value;
    }
    return null;
  }

  // The path from the top to the mapping a key at column col of line row
  // belongs to: [{key}, {item, type}, ...].
  function pathTo(lines, row, col, dashHere) {
    const path = [];
    let seq = false;
    if (dashHere) {
      path.push({ item: row, type: itemType(lines, row) });
      col = parse(lines[row]).dashCol;
      seq = true;
    }
    for (let r = row - 1; r >= 0 && col > 0; r--) {
      const l = parse(lines[r]);
      if (l.blank) continue;
      if (seq && l.dash && l.dashCol === col) continue;
      if (!seq && l.keyCol === col && !l.dash) continue;
      if (!seq && l.dash && l.keyCol === col) {
        path.push({ item: r, type: itemType(lines, r) });
        col = l.dashCol;
        seq = true;
        continue;
      }
      if (l.key && l.keyCol <= col && !l.value) {
        path.push({ key: l.key });
        col = l.keyCol;
        seq = false;
        if (l.dash) {
          path.push({ item: r, type: itemType(lines, r) });
          col = l.dashCol;
          seq = true;
        }
        continue;
      }
      if (l.indent < col) return null; // not YAML this reads
    }
    return path.reverse();
  }

  function resolve(s) {
    for (let i = 0; s && s.$ref && i < 16; i++) {
      s = s.$ref.replace(/^#\//, "").split("/").reduce((o, k) => (o ? o[k] : null), schema);
    }
    return s;
  }

  // The branch of an anyOf that is an object, or a list, as asked.
  function pick(s, kind) {
    s = resolve(s);
    if (s && s.anyOf) {
      const b = s.anyOf.map(resolve).find((x) => x && (x.type === kind ||
        (kind === "object" && x.properties) || (kind === "array" && x.items)));
      if (b) return b;
    }
    return s;
  }

  // The fields of an object schema; a section's from its type's definition.
  function fields(s, type) {
    s = pick(s, "object");
    if (!s) return {};
    const out = { ...(s.properties || {}) };
    for (const branch of s.allOf || []) {
      const want = branch.if && branch.if.properties && branch.if.properties.type;
      if (want && want.const === type) Object.assign(out, fields(branch.then, type));
    }
    return out;
  }

  function candidates(path) {
    let s = schema, type = null;
    for (const step of path) {
      if (step.item !== undefined) {
        const arr = pick(s, "array");
        s = arr && arr.items;
        type = step.type;
      } else {
        s = fields(s, type)[step.key];
        type = null;
      }
      if (!s) return {};
    }
    return fields(s, type);
  }

  function close() {
    box.hidden = true;
    items = [];
    word = null;
  }

  function update() {
    if (!schema || src.selectionStart !== src.selectionEnd) return close();
    const at = src.selectionStart;
    const text = src.value;
    const lineStart = text.lastIndexOf("\n", at - 1) + 1;
    const before = text.slice(lineStart, at);
    const m = /^(\s*)(-\s+)?([\w-]*)$/.exec(before);
    if (!m || (!m[3] && !box.dataset.forced)) return close();
    const lines = text.slice(0, at).split("\n");
    const row = lines.length - 1;
    const all = text.split("\n");
    const path = pathTo(all, row, m[1].length + (m[2] ? m[2].length : 0), !!m[2]);
    if (!path) return close();
    const fs = candidates(path);
    const typed = m[3].toLowerCase();
    items = Object.keys(fs).filter((k) => k.toLowerCase().startsWith(typed) && k !== m[3])
      .map((k) => ({ name: k, doc: fs[k].description || "" }));
    if (!items.length) return close();
    word = { start: at - m[3].length, end: at };
    chosen = Math.min(chosen, items.length - 1);
    box.innerHTML = items.map((it, i) =>
      `<li role="option" class="${i === chosen ? "on" : ""}" data-i="${i}">` +
      `<b>${it.name}</b><span>${it.doc.replace(/[&<>]/g, "")}</span></li>`).join("");
    box.hidden = false;
    place();
  }

  // Puts the list under the cursor: a monospace line is easy to measure.
  function place() {
    if (box.hidden || !word) return;
    const cs = getComputedStyle(src);
    const lh = parseFloat(cs.lineHeight);
    const probe = document.createElement("span");
    probe.style.font = cs.font;
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    probe.textContent = "M".repeat(20);
    document.body.appendChild(probe);
    const cw = probe.getBoundingClientRect().width / 20;
    probe.remove();
    const before = src.value.slice(0, word.start);
    const row = before.split("\n").length - 1;
    const col = word.start - (before.lastIndexOf("\n") + 1);
    box.style.top = `${parseFloat(cs.paddingTop) + (row + 1) * lh - src.scrollTop + 2}px`;
    box.style.left = `${parseFloat(cs.paddingLeft) + col * cw - src.scrollLeft}px`;
  }

  function accept(i) {
    const it = items[i];
    if (!it || !word) return;
    src.focus();
    src.setSelectionRange(word.start, word.end);
    document.execCommand("insertText", false, `${it.name}: `);
    close();
  }

  function key(e) {
    if (e.ctrlKey && e.key === " ") {
      e.preventDefault();
      box.dataset.forced = "1";
      update();
      delete box.dataset.forced;
      return true;
    }
    if (box.hidden) return false;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      chosen = (chosen + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      [...box.children].forEach((li, i) => li.classList.toggle("on", i === chosen));
      box.children[chosen].scrollIntoView({ block: "nearest" });
      return true;
    }
    if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      accept(chosen);
      return true;
    }
    if (e.key === "Escape") {
      close();
      return true;
    }
    return false;
  }

  box.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li");
    if (li) {
      e.preventDefault();
      accept(Number(li.dataset.i));
    }
  });
  src.addEventListener("input", () => { chosen = 0; update(); });
  src.addEventListener("blur", () => setTimeout(close, 100));
  src.addEventListener("click", close);

  window.cvpdfComplete = { key, place };
  window.cvpdfCompleteInit = (j) => { schema = j; };
})();
