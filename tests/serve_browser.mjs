// cvpdf serve in a real browser: headless Chromium driven by puppeteer-core.
//   node serve_browser.mjs URL CV_FILE WORK_DIR [SCREENSHOT.png]
// Types into the editor and checks that the page picture changes and the
// PDF holds the typed word, that a misspelt field shows an error at its
// line, that the completion offers fields from the schema, that a layout
// switch renders again, that saving writes the file, and that a change made
// by another program is offered to the page.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const [url, cvFile, work, screenshot] = process.argv.slice(2);
const base = url.replace(/\/\?.*$/, "");
const token = new URL(url).searchParams.get("token");
let pass = 0, fail = 0;
const ok = (m) => { pass++; console.log(`ok - ${m}`); };
const no = (m) => { fail++; console.log(`FAIL - ${m}`); };
const check = (cond, m, why = "") => (cond ? ok(m) : no(why ? `${m}: ${why}` : m));

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir: mkdtempSync(join(work, "chromium-")),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync"],
});
const page = await browser.newPage();
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(e.message));
await page.setViewport({ width: 1400, height: 900 });

// How many renders the page has shown, and its state's latest problems.
const shown = () => page.evaluate(() => window.cvpdf.timings.length);
const waitShown = (n) => page.waitForFunction((k) => window.cvpdf.timings.length > k,
  { timeout: 20000 }, n);
// Until every edit typed has been rendered and its answer taken in.
const idle = () => page.waitForFunction(() => window.cvpdf.sentEdit === window.cvpdf.edits &&
  !window.cvpdf.inflight, { timeout: 20000 });
// Until the latest edit is rendered and its pages are on show.
const settle = () => page.waitForFunction(() => {
  const s = window.cvpdf;
  return s.sentEdit === s.edits && !s.inflight &&
    Number(document.getElementById("pages").dataset.rev) === s.rev;
}, { timeout: 20000 });
// A digest of page 1's pixels as drawn in the browser.
const pixels = async () => { await settle(); return page.evaluate(async () => {
  const img = document.querySelector(".page img");
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261, ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    h = Math.imul(h ^ (d[i] + 3 * d[i + 1] + 7 * d[i + 2]), 16777619) >>> 0;
    if (d[i] < 200) ink++;
  }
  return { hash: h, ink, w: c.width, h: c.height };
}); };
async function pdfText() {
  const res = await fetch(`${base}/cv.pdf?token=${token}`);
  const pdf = Buffer.from(await res.arrayBuffer());
  const path = join(work, `served-${Date.now()}.pdf`);
  writeFileSync(path, pdf);
  return { bytes: pdf, text: execFileSync("pdftotext", ["-raw", path, "-"]).toString() };
}
// Selects the text from line:col to line:col2 (1-based) in the editor.
const select = (line, col, col2) => page.evaluate((l, a, b) => {
  const ta = document.getElementById("src");
  const lines = ta.value.split("\n");
  let at = 0;
  for (let i = 0; i < l - 1; i++) at += lines[i].length + 1;
  ta.focus();
  ta.setSelectionRange(at + a - 1, at + (b === -1 ? lines[l - 1].length + 1 : b - 1));
}, line, col, col2);
const lineOf = (re) => readFileSync(cvFile, "utf8").split("\n").findIndex((l) => re.test(l)) + 1;

const original = readFileSync(cvFile, "utf8");
try {
  await page.goto(url);
  await waitShown(0);
  const first = await pixels();
  check(first.ink > 1000, "the first page is shown", `ink ${first.ink}`);

  // Typing: the picture changes and the PDF holds the new word.
  const nameLine = lineOf(/^name:/);
  const nameLen = readFileSync(cvFile, "utf8").split("\n")[nameLine - 1].length;
  // Marks on the pictures on show: a picture replaced is a new element.
  await page.evaluate(() => document.querySelectorAll(".page img").forEach((img) => { img.cvpdfOld = true; }));
  let n = await shown();
  await select(nameLine, nameLen + 1, nameLen + 1);
  await page.keyboard.type(" Quokkafield", { delay: 20 });
  await waitShown(n);
  await settle();
  const typed = await pixels();
  check(typed.hash !== first.hash, "the page picture changes as the name is typed");
  const kept = await page.evaluate(() => [...document.querySelectorAll(".page img")].map((img) => !!img.cvpdfOld));
  check(kept.length > 1 && !kept[0] && kept.slice(1).every((k) => k),
    "only the page that changed gets a new picture", JSON.stringify(kept));
  const afterTyping = await pdfText();
  check(afterTyping.text.includes("Quokkafield"), "the served PDF holds the typed word");
  check(!readFileSync(cvFile, "utf8").includes("Quokkafield"), "typing alone does not write the file");

  // A misspelt field: an error at its line, and the last pages stay.
  const headLine = lineOf(/^layout:/);
  n = await shown();
  await select(headLine, 1, 7);
  await page.keyboard.type("layuot", { delay: 10 });
  await idle();
  const err = await page.evaluate(() => {
    const d = window.cvpdf.diags.find((x) => x.severity === "error");
    const gut = [...document.querySelectorAll("#gutter div.error")].map((g) => g.textContent);
    const prob = document.querySelector("#problems li.error");
    const img = document.querySelector(".page img");
    return { line: d.line, msg: d.message, gut, prob: prob && prob.textContent, img: !!(img && img.src) };
  });
  check(err.line === headLine, `the misspelt field is reported at line ${headLine}`, `line ${err.line}: ${err.msg}`);
  check(/layuot/.test(err.msg), "the message names the misspelt field", err.msg);
  check(err.gut.includes(String(headLine)), "the editor's gutter marks that line", err.gut.join(","));
  check(err.prob && err.prob.includes(`line ${headLine}`), "the problems list says where", err.prob);
  check(err.img && (await pixels()).hash === typed.hash, "the last good page stays on show");
  n = await shown();
  await select(headLine, 1, 7);
  await page.keyboard.type("layout", { delay: 10 });
  await waitShown(n);
  check(await page.evaluate(() => window.cvpdf.diags.length === 0), "the error goes once the field is mended");

  // Completion of field names from the schema (a contact field).
  const contactLine = lineOf(/^contact:/);
  await select(contactLine, 9, 9);
  await page.keyboard.press("Enter");
  await page.keyboard.type("  git", { delay: 10 });
  await page.waitForSelector("#complete:not([hidden])", { timeout: 5000 }).catch(() => {});
  const offered = await page.evaluate(() => [...document.querySelectorAll("#complete li b")].map((b) => b.textContent));
  check(offered.includes("github"), "typing a contact field offers its name from the schema", offered.join(","));
  await page.keyboard.press("Escape");
  await select(contactLine + 1, 1, -1);
  await page.keyboard.press("Backspace");

  // The layout switch renders again in the layout chosen.
  await settle();
  const before = await pdfText();
  const pixBefore = await pixels();
  n = await shown();
  await page.select("#layout", "awesome");
  await waitShown(n);
  await settle();
  const after = await pdfText();
  const pixAfter = await pixels();
  check(!before.bytes.equals(after.bytes) && pixAfter.hash !== pixBefore.hash,
    "choosing another layout renders the CV again in it");

  // Saving writes the file (Ctrl+S), and the page says it is saved.
  await page.focus("#src");
  await page.keyboard.down("Control");
  await page.keyboard.press("s");
  await page.keyboard.up("Control");
  await page.waitForFunction(() => document.getElementById("dirty").hidden, { timeout: 10000 }).catch(() => {});
  const saved = readFileSync(cvFile, "utf8");
  const editor = await page.evaluate(() => document.getElementById("src").value);
  check(saved === editor && saved.includes("Quokkafield"), "saving writes the editor's text to the file");

  // Another program changes the file: the page offers the new text.
  writeFileSync(cvFile, saved.replace("Quokkafield", "Wombatline"));
  await page.waitForSelector("#banner:not([hidden])", { timeout: 10000 }).catch(() => {});
  check(await page.evaluate(() => !document.getElementById("banner").hidden),
    "a change made by another program is offered");
  n = await shown();
  await page.click("#banner-load");
  await waitShown(n);
  await settle();
  check((await page.evaluate(() => document.getElementById("src").value)).includes("Wombatline"),
    "taking the offer loads the new text");
  check((await pdfText()).text.includes("Wombatline"), "and renders it");
  // Keeping the page's own text instead: a save then replaces the file.
  writeFileSync(cvFile, readFileSync(cvFile, "utf8") + "# elsewhere\n");
  await page.waitForSelector("#banner:not([hidden])", { timeout: 10000 }).catch(() => {});
  await page.click("#banner-keep");
  check(await page.evaluate(() => !document.getElementById("dirty").hidden &&
    !document.getElementById("src").value.includes("# elsewhere")),
  "keeping the page's text leaves the editor as it was, marked unsaved");
  await page.click("#save");
  await page.waitForFunction(() => document.getElementById("dirty").hidden, { timeout: 10000 }).catch(() => {});
  check(!readFileSync(cvFile, "utf8").includes("# elsewhere"), "and saving then writes it");

  if (screenshot) {
    // The picture in the README: the CV as it came, with a misspelt field
    // under the cursor.
    await page.select("#layout", "");
    await page.evaluate((t) => {
      const ta = document.getElementById("src");
      ta.value = t;
      ta.dispatchEvent(new Event("input"));
    }, original);
    await settle();
    await select(lineOf(/^ {4}title: Education/), 5, 10);
    await page.keyboard.type("titel", { delay: 10 });
    await idle();
    await page.evaluate(() => { document.getElementById("src").scrollTop = 0; });
    await new Promise((ok) => setTimeout(ok, 200));
    await page.screenshot({ path: screenshot });
  }
  check(pageErrors.length === 0, "no script error in the page", pageErrors.join("; "));
} catch (e) {
  no(`the browser test stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
