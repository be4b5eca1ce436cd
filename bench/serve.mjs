// The live preview's latency, measured in the browser: from a keystroke in
// the editor to the new picture of the page being shown, over 50 edits of
// a CV, with the server's own times inside it.
//   node serve.mjs URL EDITS
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const [url, editsArg] = process.argv.slice(2);
const EDITS = Number(editsArg || 50);
const WARMUP = 5;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir: mkdtempSync(join(tmpdir(), "cvpdf-bench-chromium-")),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync"],
});
const version = await browser.version();
const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
await page.goto(url);
await page.waitForFunction(() => window.cvpdf && window.cvpdf.timings.length > 0, { timeout: 30000 });
const info = await page.evaluate(() => ({
  pages: window.cvpdf.pageSizes.length,
  width: document.querySelector(".page img").naturalWidth,
}));

// Each edit: one key typed at the end of the name (then, alternately,
// taken back), so the first page changes every time; the next key waits
// until the page shows the last one.
const nameLine = await page.evaluate(() =>
  document.getElementById("src").value.split("\n").findIndex((l) => l.startsWith("name:")));
await page.evaluate((row) => {
  const ta = document.getElementById("src");
  const lines = ta.value.split("\n");
  let at = 0;
  for (let i = 0; i <= row; i++) at += lines[i].length + (i < row ? 1 : 0);
  ta.focus();
  ta.setSelectionRange(at, at);
}, nameLine);
for (let i = 0; i < WARMUP + EDITS; i++) {
  const n = await page.evaluate(() => window.cvpdf.timings.length);
  if (i % 2 === 0) await page.keyboard.type(String.fromCharCode(97 + ((i / 2) % 26)));
  else await page.keyboard.press("Backspace");
  await page.waitForFunction((k) => window.cvpdf.timings.length > k &&
    window.cvpdf.sentEdit === window.cvpdf.edits && !window.cvpdf.inflight, { timeout: 30000 }, n);
  await new Promise((ok) => setTimeout(ok, 120)); // a typist's pause
}
const all = await page.evaluate(() => window.cvpdf.timings);
await browser.close();

const runs = all.slice(-EDITS);
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const row = (name, xs) =>
  console.log(`${name.padEnd(36)}${q(xs, 50).toFixed(1).padStart(8)} ms${q(xs, 95).toFixed(1).padStart(8)} ms`);
console.log(`cvpdf serve: ${runs.length} edits (after ${WARMUP} to warm up), ${info.pages} pages, ` +
  `page pictures ${info.width} px wide, ${version}`);
console.log(`${"".padEnd(36)}${"median".padStart(11)}${"p95".padStart(11)}`);
row("keystroke -> new page shown", runs.map((r) => r.shown - r.edit));
row("  server: render (warm caches)", runs.map((r) => r.render_ms));
row("  server: render + read back PDF", runs.map((r) => r.ms));
row("  server: draw page 1 as PNG", runs.map((r) => r.raster_ms));
row("  page: key to request sent", runs.map((r) => r.sent - r.edit));
row("  page: request sent to answer", runs.map((r) => r.answer - r.sent));
row("  page: answer to picture received", runs.map((r) => r.picture - r.answer));
row("  page: picture decoded and shown", runs.map((r) => r.shown - r.picture));
