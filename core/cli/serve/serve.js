// cvpdf serve: the page.  The CV's source is edited here; each pause in
// typing sends it to the server, which renders it and answers with the
// pages' sizes and the problems found; the new page pictures then replace
// the old ones once decoded, so nothing flashes and the scroll stays put.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const DEBOUNCE_MS = 30; // a pause in typing, when renders take a while
const CHEAP_MS = 100;   // renders quicker than this go without waiting
const $ = (id) => document.getElementById(id);

function url(path, params = {}) {
  const q = new URLSearchParams({ token: TOKEN, ...params });
  return `${path}?${q}`;
}

const el = {
  src: $("src"), hl: $("hl"), gutter: $("gutter"), problems: $("problems"),
  pages: $("pages"), preview: $("preview"), status: $("status"),
  layout: $("layout"), save: $("save"), dirty: $("dirty"), file: $("file"),
  pdf: $("pdf"), pnglist: $("pnglist"), complete: $("complete"),
  banner: $("banner"), bannerText: $("banner-text"),
};

// What the page knows.  Exposed for the project's browser test and
// benchmark, which read it and never write it.
const state = {
  disk: { version: 0, text: "" }, // the file as this page last took it
  watched: 0,        // the newest version of the file the server told of
  edits: 0,          // edits typed so far
  sentEdit: 0,       // the edit the render in flight (or last sent) holds
  inflight: false,
  timer: 0,
  rev: 0,            // the render whose pages are on show
  diags: [],
  pageSizes: [],     // [w, h] in points, of the pages on show
  editTime: 0,       // when the edit in the newest render was typed
  renderMs: 0,       // how long the server took for the last render
  timings: [],       // {edit, sent, answer, picture, shown, render_ms, ms, raster_ms}
  schema: null,
  offered: null,     // a version of the file on disk not yet taken or left
};
window.cvpdf = state;

// ---- the editor: highlighting, line numbers, problems --------------------

function esc(s) {
  return s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
}

// One line of YAML, coloured: comments, keys, strings, numbers and words,
// list dashes and block scalar marks.  Enough for a CV, not a parser.
function colourLine(line) {
  let out = "", rest = line;
  const m = /^(\s*)((?:-\s+)*)/.exec(rest);
  out += m[1] + (m[2] ? `<span class="p">${m[2]}</span>` : "");
  rest = rest.slice(m[0].length);
  const key = /^("[^"]*"|'[^']*'|[^\s#'"{[][^:#]*?)(\s*:)(?=\s|$)/.exec(rest);
  if (key) {
    out += `<span class="k">${esc(key[1])}</span>${key[2]}`;
    rest = rest.slice(key[0].length);
  }
  const c = /(^|\s)#.*$/.exec(rest);
  let tail = "";
  if (c) {
    tail = `${c[1]}<span class="c">${esc(c[0].slice(c[1].length))}</span>`;
    rest = rest.slice(0, c.index);
  }
  const v = rest.trim();
  if (!v) out += esc(rest);
  else if (/^["']/.test(v) || /^[|>][-+]?$/.test(v))
    out += rest.replace(v, `<span class="${/^[|>]/.test(v) ? "p" : "s"}">${esc(v)}</span>`);
  else if (/^(-?\d+(\.\d+)?|true|false|yes|no|null|present)$/i.test(v))
    out += rest.replace(v, `<span class="n">${esc(v)}</span>`);
  else out += esc(rest);
  return out + tail;
}

// The problems of each line: {sev, col} of the first one found there.
function marksByLine() {
  const marks = new Map();
  for (const d of state.diags) {
    if (!d.line || marks.has(d.line)) continue;
    marks.set(d.line, { sev: d.severity, col: d.col, msg: d.message });
  }
  return marks;
}

// Underlines the word at column col (1-based) of a line already coloured.
function markWord(raw, col) {
  let start = Math.max(0, col - 1);
  let end = start;
  while (end < raw.length && !/[\s:,\]}]/.test(raw[end])) end++;
  if (end === start) end = Math.min(raw.length, start + 1);
  if (start >= raw.length) return colourLine(raw) + '<span class="mark"> </span>';
  return colourLine(raw.slice(0, start)) +
    `<span class="mark">${esc(raw.slice(start, end))}</span>` + esc(raw.slice(end));
}

// What each line element of the highlighting shows, so a keystroke
// redraws only the lines it changed (a long CV has hundreds).
let drawnKeys = [];
let gutterKey = "";

function lineKey(raw, m) {
  return m ? `${raw}\u0000${m.sev}\u0000${m.col}\u0000${m.msg}` : raw;
}

function lineElement(raw, m) {
  const div = document.createElement("div");
  div.className = m ? `ln ${m.sev}` : "ln";
  // The message after the line, where the eye already is.
  const note = m ? `<span class="note">${esc(m.msg)}</span>` : "";
  div.innerHTML = (m ? markWord(raw, m.col) : colourLine(raw)) + note;
  return div;
}

function paintGutter(n, marks) {
  const key = `${n}:${[...marks].map(([l, m]) => `${l}${m.sev}`).join(",")}`;
  if (key === gutterKey) return;
  gutterKey = key;
  const gut = [];
  for (let i = 1; i <= n; i++) {
    const m = marks.get(i);
    const title = m ? ` title="${esc(m.msg).replace(/"/g, "&quot;")}"` : "";
    gut.push(`<div class="${m ? m.sev : ""}"${title}>${i}</div>`);
  }
  el.gutter.innerHTML = gut.join("");
}

function paint() {
  const lines = el.src.value.split("\n");
  const marks = marksByLine();
  const keys = lines.map((raw, i) => lineKey(raw, marks.get(i + 1)));
  const old = drawnKeys;
  let a = 0;
  while (a < keys.length && a < old.length && keys[a] === old[a]) a++;
  let b = 0;
  while (b < keys.length - a && b < old.length - a &&
    keys[keys.length - 1 - b] === old[old.length - 1 - b]) b++;
  const kids = el.hl.children;
  for (let i = old.length - b - 1; i >= a; i--) kids[i].remove();
  const frag = document.createDocumentFragment();
  for (let i = a; i < keys.length - b; i++) frag.appendChild(lineElement(lines[i], marks.get(i + 1)));
  el.hl.insertBefore(frag, kids[a] || null);
  drawnKeys = keys;
  paintGutter(lines.length, marks);
  syncScroll();
}

function syncScroll() {
  const x = el.src.scrollLeft, y = el.src.scrollTop;
  el.hl.style.transform = `translate(${-x}px, ${-y}px)`;
  el.gutter.scrollTop = y;
  placeCompletion();
}

function showProblems() {
  el.problems.textContent = "";
  for (const d of state.diags) {
    const li = document.createElement("li");
    li.className = d.severity;
    const where = d.line ? `line ${d.line}, col ${d.col}` : "";
    li.innerHTML = `<span class="where">${esc(where)}</span>` +
      `<span class="sev">${d.severity}</span>: ${esc(d.message)}`;
    li.title = d.text;
    if (d.line) li.addEventListener("click", () => goTo(d.line, d.col));
    el.problems.appendChild(li);
  }
}

function goTo(line, col) {
  const lines = el.src.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  at += Math.max(0, (col || 1) - 1);
  el.src.focus();
  el.src.setSelectionRange(at, at);
  const lh = parseFloat(getComputedStyle(el.src).lineHeight);
  el.src.scrollTop = Math.max(0, (line - 5) * lh);
}

function setDirty() {
  el.dirty.hidden = el.src.value === state.disk.text;
}

// ---- rendering -----------------------------------------------------------

function setStatus(text, cls) {
  el.status.textContent = text;
  el.status.className = "status" + (cls ? " " + cls : "");
}

// While renders are cheap an edit goes at once (one render in flight
// holds the next back anyway); slower ones wait for a pause in typing.
function schedule(delay = state.renderMs < CHEAP_MS ? 0 : DEBOUNCE_MS) {
  clearTimeout(state.timer);
  state.timer = setTimeout(sendRender, delay);
}

// The page in view, and the resolution to draw it at, for the server to
// draw as soon as it has rendered and send with its answer.
function firstPicture() {
  const n = state.pageSizes.length;
  const i = n ? pageOrder(n)[0] : 0;
  return { first: i + 1, dpi: dpiFor(n ? state.pageSizes[i][0] : 595) };
}

// The answer to a render: JSON, followed by the PNG of the page asked for
// when X-Render-Length says where the JSON ends.
async function readAnswer(res) {
  if (!res.ok) return { failed: `${res.status} ${await res.text()}` };
  const cut = res.headers.get("X-Render-Length");
  if (cut === null) return res.json();
  const bytes = await res.arrayBuffer();
  const n = Number(cut);
  const answer = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 0, n)));
  if (answer.picture)
    answer.picture.blob = new Blob([new Uint8Array(bytes, n)], { type: "image/png" });
  return answer;
}

// At most one render in flight; when it returns, the latest edit goes next.
async function sendRender() {
  if (state.inflight || state.sentEdit === state.edits) return;
  state.inflight = true;
  state.sentEdit = state.edits;
  const editTime = state.lastEditTime || performance.now();
  state.sentTime = performance.now();
  setStatus("rendering…", "busy");
  let answer = null;
  try {
    const res = await fetch(url("/render", { layout: el.layout.value, ...firstPicture() }), {
      method: "POST", body: el.src.value,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
    answer = await readAnswer(res);
  } catch (e) {
    answer = { failed: "the server does not answer (was it stopped?)" };
  }
  state.inflight = false;
  state.answerTime = performance.now();
  if (answer.render_ms !== undefined) state.renderMs = answer.render_ms;
  if (state.sentEdit !== state.edits) schedule(0); // newer edits wait
  if (answer.superseded) return;
  if (answer.failed) {
    setStatus(answer.failed.trim(), "failed");
    return;
  }
  await showRender(answer, editTime);
}

async function showRender(r, editTime) {
  state.diags = r.diags || [];
  paint();
  showProblems();
  const errors = state.diags.filter((d) => d.severity === "error").length;
  if (!r.ok) {
    setStatus(`${errors || "an"} error${errors === 1 ? "" : "s"}; showing the last good pages`, "failed");
    el.pages.classList.add("stale");
    return;
  }
  const first = await showPages(r);
  if (first === null) return; // a newer render took over
  el.pages.classList.remove("stale");
  const { raster, shown } = first;
  state.timings.push({
    edit: editTime, sent: state.sentTime, answer: state.answerTime,
    picture: state.pictureTime, shown, render_ms: r.render_ms, ms: r.ms,
    raster_ms: raster,
  });
  const warn = state.diags.length ? ` · ${state.diags.length} warning${state.diags.length === 1 ? "" : "s"}` : "";
  setStatus(`rendered in ${r.render_ms.toFixed(0)} ms · shown after ${(shown - editTime).toFixed(0)} ms${warn}`);
}

// The resolution that fills the preview's width at this screen's density,
// in steps so a small resize keeps the pictures drawn.
function dpiFor(wPt) {
  const box = el.pages.querySelector(".page") || el.pages;
  const px = box.clientWidth * (window.devicePixelRatio || 1);
  const dpi = Math.round((px / (wPt / 72)) / 12) * 12;
  return Math.max(36, Math.min(300, dpi || 96));
}

function pageBox(i) {
  let box = el.pages.children[i];
  if (!box || !box.classList.contains("page")) {
    if (!el.pages.querySelector(".page")) el.pages.textContent = "";
    box = document.createElement("div");
    box.className = "page";
    const img = document.createElement("img");
    img.alt = `page ${i + 1}`;
    box.appendChild(img);
    el.pages.appendChild(box);
  }
  return box;
}

// Which pages to draw first: those in view, then the nearest.
function pageOrder(n) {
  const view = el.preview.getBoundingClientRect();
  const mid = (view.top + view.bottom) / 2;
  const order = [...Array(n).keys()];
  const dist = (i) => {
    const b = el.pages.children[i];
    if (!b) return 1e9 + i;
    const r = b.getBoundingClientRect();
    if (r.bottom >= view.top && r.top <= view.bottom) return -1e9 + r.top;
    return Math.abs((r.top + r.bottom) / 2 - mid);
  };
  return order.sort((a, b) => dist(a) - dist(b));
}

// Page i's new picture: the one that came with the answer, else asked for,
// naming the picture on show so that an unchanged page is not sent again.
// Returns {blob, raster, hash} ({same: true} for an unchanged page), or null.
async function fetchPicture(r, i, dpi, old) {
  const p = r.picture;
  if (p && p.n === i + 1 && p.dpi === dpi) {
    if (p.hash === old.dataset.hash && old.dataset.dpi === String(dpi)) return { same: true };
    return { blob: p.blob, raster: p.raster_ms, hash: p.hash };
  }
  const q = { rev: r.rev, n: i + 1, dpi };
  if (old.dataset.hash && old.dataset.dpi === String(dpi)) q.have = old.dataset.hash;
  const res = await fetch(url("/page.png", q));
  if (res.status === 204) return { same: true };
  if (!res.ok) return null;
  const timing = /raster;dur=([\d.]+)/.exec(res.headers.get("Server-Timing") || "");
  return {
    blob: await res.blob(), raster: timing ? parseFloat(timing[1]) : 0,
    hash: res.headers.get("X-Picture-Hash") || "",
  };
}

// A picture decoded off the page's main path, or null.
async function decoded(blob, alt) {
  const img = new Image();
  img.alt = alt;
  img.src = URL.createObjectURL(blob);
  try {
    await img.decode();
    return img;
  } catch (e) {
    URL.revokeObjectURL(img.src);
    return null;
  }
}

// Replaces each page's picture, once the new one is decoded, by the new
// element itself (setting the old one's source would decode it again).
// Returns when the first page (the one in view) was shown and how long the
// server took to draw it, or null when a newer render arrived meanwhile.
async function showPages(r) {
  const n = r.pages.length;
  state.pageSizes = r.pages;
  while (el.pages.children.length > n) el.pages.lastChild.remove();
  r.pages.forEach(([w, h], i) => {
    pageBox(i).style.aspectRatio = `${w} / ${h}`;
  });
  state.rev = r.rev;
  updateDownloads(n);
  let firstRaster = 0, firstShown = 0;
  let first = true;
  for (const i of pageOrder(n)) {
    const dpi = dpiFor(r.pages[i][0]);
    const old = pageBox(i).querySelector("img");
    const got = await fetchPicture(r, i, dpi, old);
    if (state.rev !== r.rev) return null;
    if (!got) continue;
    if (first) state.pictureTime = performance.now();
    const img = got.same ? old : await decoded(got.blob, old.alt);
    if (!img) continue;
    if (state.rev !== r.rev) {
      if (img !== old) URL.revokeObjectURL(img.src);
      return null;
    }
    img.dataset.rev = r.rev;
    if (img !== old) {
      img.dataset.hash = got.hash;
      img.dataset.dpi = dpi;
      old.replaceWith(img);
      if (old.src.startsWith("blob:")) URL.revokeObjectURL(old.src);
    }
    if (first) {
      firstRaster = got.raster || 0;
      first = false;
      await new Promise((ok) => requestAnimationFrame(() => ok()));
      firstShown = performance.now();
    }
  }
  el.pages.dataset.rev = r.rev;
  return { raster: firstRaster, shown: firstShown || performance.now() };
}

function updateDownloads(n) {
  el.pdf.href = url("/cv.pdf", { download: 1 });
  el.pnglist.textContent = "";
  for (let i = 1; i <= n; i++) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = url("/page.png", { n: i, dpi: 150, download: 1 });
    a.textContent = `page ${i} (150 dpi)`;
    a.setAttribute("download", "");
    li.appendChild(a);
    el.pnglist.appendChild(li);
  }
}

// ---- saving and changes on disk ------------------------------------------

async function save(force = false) {
  const text = el.src.value;
  const params = { version: state.disk.version };
  if (force) params.force = 1;
  const res = await fetch(url("/save", params), { method: "POST", body: text });
  const a = await res.json().catch(() => ({ saved: false, error: `${res.status}` }));
  if (a.conflict) {
    if (confirm(`${el.file.textContent} changed on disk since it was loaded. Save over it?`))
      return save(true);
    return;
  }
  if (!a.saved) {
    setStatus(`not saved: ${a.error}`, "failed");
    return;
  }
  state.disk = a.disk;
  state.watched = Math.max(state.watched, a.disk.version);
  state.offered = null;
  el.banner.hidden = true;
  setDirty();
  setStatus("saved");
}

// Waits for the server to say the file changed; offers the new text.
async function watchDisk() {
  for (;;) {
    try {
      const res = await fetch(url("/events", { since: state.watched }));
      if (!res.ok) throw new Error(res.status);
      const d = await res.json();
      if (d.version !== state.watched) {
        state.watched = d.version;
        if (d.version !== state.disk.version) offer(d);
      }
    } catch (e) {
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  }
}

// Until the page takes the new text or keeps its own, a save asks first.
function offer(d) {
  if (d.text === el.src.value) {
    state.disk = d;
    setDirty();
    return;
  }
  state.offered = d;
  el.bannerText.textContent = `${el.file.textContent} was changed by another program.`;
  el.banner.hidden = false;
}

function takeOffer(load) {
  const d = state.offered;
  el.banner.hidden = true;
  state.offered = null;
  if (!d) return;
  // Kept or not, this is the file now: a save replaces it without asking.
  state.disk = d;
  if (load) {
    const pos = Math.min(el.src.selectionStart, d.text.length);
    el.src.value = d.text;
    el.src.setSelectionRange(pos, pos);
    edited();
  }
  setDirty();
}

// ---- typing --------------------------------------------------------------

function edited(e) {
  state.edits++;
  state.lastEditTime = e && e.timeStamp ? e.timeStamp : performance.now();
  paint();
  setDirty();
  schedule();
}

function onKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key === "s") {
    e.preventDefault();
    save();
    return;
  }
  if (window.cvpdfComplete && window.cvpdfComplete.key(e)) return;
  if (e.key === "Tab" && !e.shiftKey) {
    e.preventDefault();
    document.execCommand("insertText", false, "  ");
  }
}

function placeCompletion() {
  if (window.cvpdfComplete) window.cvpdfComplete.place();
}

async function start() {
  const res = await fetch(url("/state"));
  if (!res.ok) {
    document.body.textContent = "This page needs the address cvpdf serve printed, with its token.";
    return;
  }
  const s = await res.json();
  el.file.textContent = s.file;
  document.title = `${s.file} · cvpdf`;
  for (const name of s.layouts) {
    const o = document.createElement("option");
    o.value = o.textContent = name;
    el.layout.appendChild(o);
  }
  state.disk = s.disk;
  state.watched = s.disk.version;
  el.src.value = s.disk.text;
  el.src.addEventListener("input", edited);
  el.src.addEventListener("scroll", syncScroll);
  el.src.addEventListener("keydown", onKey);
  el.layout.addEventListener("change", () => { state.edits++; schedule(0); });
  el.save.addEventListener("click", () => save());
  $("banner-load").addEventListener("click", () => takeOffer(true));
  $("banner-keep").addEventListener("click", () => takeOffer(false));
  window.addEventListener("beforeunload", (e) => {
    if (el.src.value !== state.disk.text) e.preventDefault();
  });
  el.pages.innerHTML = '<p class="empty">rendering…</p>';
  paint();
  state.edits++;
  sendRender();
  watchDisk();
  fetch(url("/schema.json")).then((r) => r.json()).then((j) => {
    state.schema = j;
    if (window.cvpdfCompleteInit) window.cvpdfCompleteInit(j);
  }).catch(() => {});
}

start();
