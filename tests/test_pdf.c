/* Tests for the output backends: display list, trace and PDF.  Fonts are
 * built by hand here (no fontset) so the backends are tested alone; the
 * PDF is checked with poppler-utils and qpdf. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf.h"
#include "output/trace.h"
#include "text/font.h"

#include FT_FONT_FORMATS_H
#include FT_TRUETYPE_TABLES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIBERTINE "/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf"
#define LATO "/usr/share/fonts/truetype/lato/Lato-Regular.ttf"
#define OUT "/tmp/test_pdf.pdf"
#define OUT2 "/tmp/test_pdf2.pdf"
#define MARKED "q\xCC\x83 aq"
#define SAMPLE "office affine Veli\xC4\x8Dkovi\xC4\x87 AVATAR"

static int failures;

static void check(int ok, const char *what, const char *details) {
  if (ok)
    printf("ok - %s\n", what);
  else
    printf("FAIL - %s: %s\n", what, details ? details : "");
  failures += !ok;
}

/* ---- a font made by hand ------------------------------------------- */

static int load_font(FT_Library lib, const char *path, int id, cv_font *f) {
  memset(f, 0, sizeof *f);
  if (FT_New_Face(lib, path, 0, &f->ft) != 0)
    return -1;
  f->id = id;
  f->path = (char *)path;
  const char *ps = FT_Get_Postscript_Name(f->ft);
  f->ps_name = (char *)(ps ? ps : "Unnamed");
  const char *fmt = FT_Get_Font_Format(f->ft);
  f->is_cff = fmt && strcmp(fmt, "CFF") == 0;
  f->upem = f->ft->units_per_EM;
  f->ascender = f->ft->ascender;
  f->descender = f->ft->descender;
  f->bbox[0] = (int)f->ft->bbox.xMin;
  f->bbox[1] = (int)f->ft->bbox.yMin;
  f->bbox[2] = (int)f->ft->bbox.xMax;
  f->bbox[3] = (int)f->ft->bbox.yMax;
  TT_OS2 *os2 = FT_Get_Sfnt_Table(f->ft, FT_SFNT_OS2);
  if (os2 && os2->version >= 2) {
    f->cap_height = os2->sCapHeight;
    f->x_height = os2->sxHeight;
  }
  TT_Postscript *post = FT_Get_Sfnt_Table(f->ft, FT_SFNT_POST);
  if (post)
    f->italic_angle = post->italicAngle / 65536.0;
  f->blob = hb_blob_create_from_file_or_fail(path);
  if (!f->blob)
    return -1;
  f->hb_face = hb_face_create(f->blob, 0);
  f->hb_font = hb_font_create(f->hb_face);
  hb_font_set_scale(f->hb_font, (int)f->upem, (int)f->upem);
  return 0;
}

static void free_font(cv_font *f) {
  hb_font_destroy(f->hb_font);
  hb_face_destroy(f->hb_face);
  hb_blob_destroy(f->blob);
  if (f->ft)
    FT_Done_Face(f->ft);
}

/* Shapes text into a run; each cluster's text goes on its first glyph. */
static cv_run *shape(cv_arena *a, cv_font *f, const char *text, float size) {
  hb_buffer_t *buf = hb_buffer_create();
  size_t n = strlen(text);
  hb_buffer_add_utf8(buf, text, (int)n, 0, (int)n);
  hb_buffer_guess_segment_properties(buf);
  hb_shape(f->hb_font, buf, NULL, 0);
  unsigned len = 0;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &len);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
  cv_run *r = cv_arena_alloc(a, sizeof *r);
  r->g = cv_arena_alloc_n(a, len ? len : 1, sizeof *r->g);
  r->font = f;
  r->size = size;
  r->n = len;
  double k = size / (double)f->upem;
  for (unsigned i = 0; i < len; i++) {
    cv_glyph *g = &r->g[i];
    g->gid = info[i].codepoint;
    g->adv = (float)(pos[i].x_advance * k);
    g->dx = (float)(pos[i].x_offset * k);
    g->dy = (float)(pos[i].y_offset * k);
    r->width += g->adv;
    if (i > 0 && info[i - 1].cluster == info[i].cluster)
      continue;
    uint32_t end = (uint32_t)n;
    for (unsigned j = i + 1; j < len; j++)
      if (info[j].cluster != info[i].cluster) {
        end = info[j].cluster;
        break;
      }
    g->text = text + info[i].cluster;
    g->text_len = end - info[i].cluster;
  }
  r->ascent = (float)(f->ascender * k);
  r->descent = (float)(-f->descender * k);
  hb_buffer_destroy(buf);
  return r;
}

/* ---- helpers ------------------------------------------------------- */

static char *run_cmd(const char *cmd, int *status) {
  FILE *p = popen(cmd, "r");
  if (!p) {
    *status = -1;
    return NULL;
  }
  cv_buf b;
  cv_buf_init(&b);
  char tmp[4096];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, p)) > 0)
    cv_buf_put(&b, tmp, k);
  *status = pclose(p);
  cv_buf_putc(&b, '\0');
  return b.data;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  cv_buf b;
  cv_buf_init(&b);
  char tmp[8192];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
    cv_buf_put(&b, tmp, k);
  fclose(f);
  *len = b.len;
  return b.data;
}

static int count_substr(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static cv_dl_item *add_text(cv_page *pg, double x, double y, cv_run *r) {
  cv_dl_item *it = cv_page_add(pg);
  it->kind = CV_DL_TEXT;
  it->x = x;
  it->y = y;
  it->w = r->width;
  it->run = r;
  return it;
}

/* ---- the document -------------------------------------------------- */

static void build_doc(cv_docout *d, cv_arena *a, cv_font *lib, cv_font *lato) {
  cv_docout_init(d);
  d->info.title = "Test CV \xE2\x80\x94 Veli\xC4\x8Dkovi\xC4\x87";
  d->info.author = "Petar Veli\xC4\x8Dkovi\xC4\x87";
  d->info.subject = "Curriculum vitae";
  d->info.keywords = "cv, test";
  d->info.creator = "cvpdf test";
  d->info.lang = "en";
  d->info.date = 1700000000; /* 2023-11-14T22:13:20Z */

  cv_page *pg = cv_docout_add_page(d, 595.28, 841.89);
  cv_dl_item *m = cv_page_add(pg);
  m->kind = CV_DL_MARK;
  m->level = 1;
  m->y = 800;
  m->title = "\xC3\x89"
             "ducation \xF0\x9D\x84\x9E"; /* beyond the BMP */

  cv_run *r1 = shape(a, lib, SAMPLE, 14);
  add_text(pg, 72, 780, r1);
  cv_run *r2 = shape(a, lato, SAMPLE, 12);
  r2->color = (cv_color){0.2f, 0.4f, 0.6f};
  r2->link = "https://example.org/v\xC3\xA9lo?a=1";
  add_text(pg, 72, 750, r2);
  cv_dl_item *l = cv_page_add(pg);
  l->kind = CV_DL_LINK;
  l->x = 72;
  l->y = 747;
  l->w = r2->width;
  l->h = 12;
  l->uri = r2->link;

  cv_dl_item *rule = cv_page_add(pg);
  rule->kind = CV_DL_RECT;
  rule->x = 72;
  rule->y = 740;
  rule->w = 451.28;
  rule->h = 0.4;
  rule->color = (cv_color){0.2f, 0.4f, 0.6f};

  /* An "icon": extraction must give its ActualText, not the glyph. */
  cv_run *icon = shape(a, lib, "@", 10);
  icon->actual_text = "Email";
  add_text(pg, 72, 720, icon);
  cv_run *silent = shape(a, lib, "#", 10);
  silent->actual_text = "";
  add_text(pg, 90, 720, silent);
  add_text(pg, 110, 720, shape(a, lib, "quote \" and \\ end", 10));
  /* q + combining tilde: the q glyph's ToUnicode says "q\u0303" (first
   * seen), so the plain q in the same run forces ActualText. */
  add_text(pg, 72, 700, shape(a, lib, MARKED, 10));

  cv_page *pg2 = cv_docout_add_page(d, 595.28, 841.89);
  cv_dl_item *m2 = cv_page_add(pg2);
  m2->kind = CV_DL_MARK;
  m2->level = 2;
  m2->y = 800;
  m2->title = "Second page";
  add_text(pg2, 72, 780, shape(a, lato, "Page two", 11));
}

/* ---- the writer fed page by page ---------------------------------- */

#define OUT3 "/tmp/test_pdf3.pdf"

/* Each page's runs live in an arena freed right after the page is handed
 * over, as layout frees its lines: under AddressSanitizer a writer that
 * kept a pointer into them fails here.  The footers come after all
 * pages, as a second content stream. */
static void check_streaming(cv_font *lib, cv_font *lato) {
  cv_status st = {0};
  cv_pdf *w = cv_pdf_new(&st);
  check(w != NULL, "cv_pdf_new", st.msg);
  if (!w)
    return;
  int rc = 0;
  const char *body[2] = {"First streamed page", "Second streamed page"};
  for (int p = 0; p < 2 && rc == 0; p++) {
    cv_arena a;
    cv_arena_init(&a);
    cv_page pg = {.width = 595.28, .height = 841.89};
    add_text(&pg, 72, 760, shape(&a, lib, body[p], 12));
    add_text(&pg, 72, 740, shape(&a, lato, "office AVATAR", 10));
    rc = cv_pdf_page(w, &pg, &st);
    free(pg.items);
    cv_arena_fini(&a);
  }
  check(rc == 0, "pages written one at a time", st.msg);
  for (int p = 0; p < 2 && rc == 0; p++) {
    cv_arena a;
    cv_arena_init(&a);
    char foot[32];
    snprintf(foot, sizeof foot, "Folio %d of 2", p + 1);
    cv_page items = {.width = 595.28, .height = 841.89};
    add_text(&items, 280, 30, shape(&a, lato, foot, 9));
    rc = cv_pdf_margin(w, (size_t)p, &items, &st);
    free(items.items);
    cv_arena_fini(&a);
  }
  check(rc == 0, "footers added after the last page", st.msg);
  cv_docinfo info = {.title = "Streamed", .date = 1700000000};
  rc = rc == 0 ? cv_pdf_save(w, &info, OUT3, &st) : -1;
  check(rc == 0, "streamed document saved", st.msg);
  cv_pdf_free(w);
  if (rc != 0)
    return;
  int status;
  char *out = run_cmd("pdftotext -enc UTF-8 " OUT3 " - 2>&1", &status);
  check(out && strstr(out, "First streamed page\nofce AVATAR") == NULL &&
            strstr(out, "First streamed page") &&
            strstr(out, "Second streamed page") &&
            count_substr(out, "office AVATAR") == 2 &&
            strstr(out, "Folio 1 of 2") && strstr(out, "Folio 2 of 2") &&
            strstr(out, "Folio 1 of 2") < strstr(out, "Second streamed"),
        "streamed pages and their footers extract in order", out);
  free(out);
  out = run_cmd("qpdf --check " OUT3 " 2>&1", &status);
  check(status == 0, "qpdf --check (streamed)", out);
  free(out);
  out = run_cmd("qpdf --qdf --object-streams=disable " OUT3 " - 2>&1", &status);
  /* Pages were written before the fonts were subset; their codes must
   * have become the subsets' glyph ids under Identity-H (the text above
   * extracts only if they did), with no embedded Encoding CMap, which
   * pdfminer and the applicant tracking systems built on it cannot read. */
  check(out && count_substr(out, "/Encoding /Identity-H") == 2 &&
            !strstr(out, "/Type /CMap"),
        "fonts are Identity-H, with no embedded encoding CMap", NULL);
  check(out && strstr(out, "/Contents [") != NULL,
        "a page with a footer has two content streams", NULL);
  free(out);
  unlink(OUT3);

  /* A footer for a page that was never written is an error. */
  cv_status st2 = {0};
  cv_pdf *w2 = cv_pdf_new(&st2);
  cv_page none = {0};
  check(w2 && cv_pdf_margin(w2, 3, &none, &st2) < 0 &&
            strstr(st2.msg, "page not written"),
        "a footer for a page never written is refused", st2.msg);
  cv_pdf_free(w2);
}

/* ---- checks -------------------------------------------------------- */

static void check_shaping(const cv_docout *d) {
  const cv_run *r = d->pages[0].items[1].run;
  /* "office" has an ffi ligature in Libertine: fewer glyphs than chars. */
  check(r->n < 31, "Libertine shapes ligatures", "no ligature formed");
  int lig = 0;
  for (uint32_t i = 0; i < r->n; i++)
    if (r->g[i].text_len == 3 && memcmp(r->g[i].text, "ffi", 3) == 0)
      lig = 1;
  check(lig, "ffi ligature glyph carries the text \"ffi\"", NULL);
}

static void check_pdffonts(void) {
  int status;
  char *out = run_cmd("pdffonts " OUT " 2>&1", &status);
  check(status == 0 && out, "pdffonts runs", out);
  if (!out)
    return;
  int fonts = 0, good = 0;
  char *save = NULL;
  int line_no = 0;
  for (char *line = strtok_r(out, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    if (line_no++ < 2)
      continue;
    char *tok[32];
    int nt = 0;
    char *s2 = NULL;
    for (char *t = strtok_r(line, " ", &s2); t && nt < 32;
         t = strtok_r(NULL, " ", &s2))
      tok[nt++] = t;
    if (nt < 6)
      continue;
    fonts++;
    /* ... emb sub uni object-id gen */
    if (!strcmp(tok[nt - 5], "yes") && !strcmp(tok[nt - 4], "yes") &&
        !strcmp(tok[nt - 3], "yes") && strchr(tok[0], '+') == tok[0] + 6)
      good++;
  }
  char msg[128];
  snprintf(msg, sizeof msg, "%d fonts, %d embedded+subset+unicode", fonts,
           good);
  check(fonts == 2 && good == 2, "pdffonts: 2 fonts, all emb/sub/uni yes", msg);
  free(out);
}

static void check_text(void) {
  int status;
  char *out = run_cmd("pdftotext -enc UTF-8 " OUT " - 2>&1", &status);
  check(status == 0 && out, "pdftotext runs", out);
  if (!out)
    return;
  check(count_substr(out, SAMPLE) == 2, "text extracts exactly (both fonts)",
        out);
  check(!strstr(out, "\xEF\xAC\x80") && !strstr(out, "\xEF\xAC\x81") &&
            !strstr(out, "\xEF\xAC\x82") && !strstr(out, "\xEF\xAC\x83") &&
            !strstr(out, "\xEF\xAC\x84"),
        "no ligature code points extracted", out);
  check(strstr(out, "Email") && !strchr(out, '@') && !strchr(out, '#'),
        "ActualText replaces icon glyphs", out);
  check(strstr(out, "quote \" and \\ end") != NULL, "quote and backslash", out);
  check(strstr(out, "Page two") != NULL, "second page text", out);
  check(count_substr(out, MARKED) == 1, "combining mark run extracts exactly",
        out);
  free(out);
}

static void check_tools(void) {
  int status;
  char *out = run_cmd("qpdf --check " OUT " 2>&1", &status);
  check(status == 0, "qpdf --check", out);
  free(out);

  out = run_cmd("pdfinfo " OUT " 2>&1", &status);
  check(status == 0 && out &&
            strstr(out, "Title:           Test CV \xE2\x80\x94 "
                        "Veli\xC4\x8Dkovi\xC4\x87\n"),
        "pdfinfo: UTF-16 title", out);
  check(out && strstr(out, "Author:          Petar Veli\xC4\x8Dkovi\xC4\x87"),
        "pdfinfo: author", out);
  check(out && strstr(out, "Pages:           2"), "pdfinfo: 2 pages", out);
  check(out && strstr(out, "595.28 x 841.89 pts (A4)"), "pdfinfo: A4", out);
  check(out && strstr(out, "CreationDate:") && strstr(out, "2023"),
        "pdfinfo: creation date from d->date", out);
  free(out);

  /* The link annotation and the outline are in the uncompressed object
   * structure: look for them with qpdf's JSON. */
  out = run_cmd("qpdf --json --json-key=outlines --json-key=pages " OUT " 2>&1",
                &status);
  check(status == 0 && out &&
            strstr(out, "\"title\": \"\xC3\x89"
                        "ducation "
                        "\xF0\x9D\x84\x9E\""),
        "outline title beyond the BMP", out);
  check(out && strstr(out, "\"title\": \"Second page\""),
        "second outline entry", out);
  free(out);
  out = run_cmd("qpdf --qdf --object-streams=disable " OUT " - 2>&1", &status);
  check(out && strstr(out, "/URI (https://example.org/v%C3%A9lo?a=1)"),
        "link URI percent-encoded", NULL);
  check(out && strstr(out, "/Border [") && strstr(out, "0 0 0"),
        "link without border", NULL);
  check(out && strstr(out, "/FontFile3") && strstr(out, "/OpenType") &&
            strstr(out, "/FontFile2") && strstr(out, "/CIDToGIDMap /Identity"),
        "CFF as FontFile3/OpenType, TrueType as FontFile2", NULL);
  free(out);
}

/* The targets a PDF may hold: the builder drops the others with a
 * warning, and the writer, given one anyway, leaves it out. */
static void check_link_policy(void) {
  static const struct {
    const char *uri;
    int safe, refused;
  } cases[] = {
      {"https://example.org/a?b#c", 1, 0},
      {"HTTP://EXAMPLE.ORG", 1, 0},
      {"mailto:a@example.org", 1, 0},
      {"tel:+15550100", 1, 0},
      {"docs/cv.pdf", 0, 0},
      {"docs/cv.pdf", 1, 1},
      {"../a.pdf#page=2", 0, 0},
      {"javascript:alert(1)", 0, 1},
      {"JavaScript:alert(1)", 0, 1},
      {"file:///etc/passwd", 0, 1},
      {"data:text/html,x", 0, 1},
      {"vbscript:x", 0, 1},
      {"ftp://example.org", 0, 1},
      {"java\tscript:x", 0, 1},
      {"java script:x", 0, 1},
      {" javascript:x", 0, 1},
      {"https://a.example/\x7f", 0, 1},
      {"/etc/passwd", 0, 1},
      {"//host.example/share/x", 0, 1},
      {"\\\\host\\share", 0, 1},
      {"#top", 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char why[96] = "", what[160];
    int got = cv_link_refused(cases[i].uri, cases[i].safe, why, sizeof why);
    snprintf(what, sizeof what, "link '%s'%s is %s", cases[i].uri,
             cases[i].safe ? " in safe mode" : "",
             cases[i].refused ? "refused" : "allowed");
    check(got == cases[i].refused, what, why);
  }
  char why[96];
  char *longest = malloc(CV_MAX_LINK + 2);
  memset(longest, 'a', CV_MAX_LINK + 1);
  memcpy(longest, "https://", 8);
  longest[CV_MAX_LINK + 1] = '\0';
  check(cv_link_refused(longest, 0, why, sizeof why) &&
            !strcmp(why, "a link of 16385 bytes (at most 16384)"),
        "a link longer than CV_MAX_LINK is refused", why);
  longest[CV_MAX_LINK] = '\0';
  check(!cv_link_refused(longest, 0, why, sizeof why),
        "a link of CV_MAX_LINK bytes is allowed", why);
  free(longest);
}

/* Link areas past the page's edge (a word wider than the page) are
 * clipped to it, so no coordinate leaves PDF's range; a target the PDF
 * may not hold is left out even when a caller hands it over. */
static void check_link_areas(void) {
  cv_docout d;
  cv_docout_init(&d);
  cv_page *pg = cv_docout_add_page(&d, 595.28, 841.89);
  static const struct {
    double x, w;
    const char *uri;
  } links[] = {{500, 60000, "https://a.example/wide"},
               {40000, 100, "https://a.example/off"},
               {72, 100, "javascript:alert(1)"}};
  for (size_t i = 0; i < 3; i++) {
    cv_dl_item *l = cv_page_add(pg);
    l->kind = CV_DL_LINK;
    l->x = links[i].x;
    l->y = 700;
    l->w = links[i].w;
    l->h = 12;
    l->uri = links[i].uri;
  }
  d.info.title = "links";
  cv_status st = {0};
  int rc = cv_pdf_write(&d, OUT2, &st);
  check(rc == 0, "links past the page's edge are written", st.msg);
  int status = 0;
  char *out =
      rc ? NULL
         : run_cmd("qpdf --qdf --object-streams=disable " OUT2 " - 2>&1",
                   &status);
  check(out && strstr(out, "/URI (https://a.example/wide)") &&
            strstr(out, "/Rect [\n    500\n    700\n    595.28") &&
            !strstr(out, "a.example/off") && !strstr(out, "javascript"),
        "a wide link is clipped to the page, one off it and javascript: are "
        "left out",
        out);
  free(out);
  unlink(OUT2);
  cv_docout_fini(&d);
}

static void check_trace(const cv_docout *d) {
  cv_buf b;
  cv_buf_init(&b);
  cv_status st = {0};
  int rc = cv_trace_write(d, &b, &st);
  check(rc == 0 && b.data, "trace written", st.msg);
  if (rc != 0 || !b.data)
    return;
  FILE *f = fopen("/tmp/test_pdf.trace", "w");
  if (f) {
    fputs(b.data, f);
    fclose(f);
  }
  check(strncmp(b.data, "page 1 595.28x841.89\n", 21) == 0, "trace page line",
        b.data);
  check(strstr(b.data, "\nrect 72.00 740.00 451.28 0.40 #336699\n") != NULL,
        "trace rect line", b.data);
  check(strstr(b.data, "\nmark 1 800.00 \"\xC3\x89"
                       "ducation \xF0\x9D\x84\x9E"
                       "\"\n") != NULL,
        "trace mark line", b.data);
  check(strstr(b.data,
               "\ntext 72.00 780.00 LinLibertineO 14.00 #000000 \"" SAMPLE
               "\" gids=") != NULL,
        "trace text line", b.data);
  check(strstr(b.data, " link=https://example.org/v\xC3\xA9lo?a=1\n") != NULL,
        "trace run link", b.data);
  check(strstr(b.data, "\"quote \\\" and \\\\ end\"") != NULL,
        "trace escapes quotes and backslashes", b.data);
  check(strstr(b.data, "\npage 2 595.28x841.89\nmark 2 800.00 \"Second "
                       "page\"\n") != NULL,
        "trace second page", b.data);
  cv_buf_fini(&b);
}

static void check_errors(const cv_docout *d) {
  cv_docout empty;
  cv_docout_init(&empty);
  cv_status st = {0};
  int rc = cv_pdf_write(&empty, "/tmp/test_pdf_empty.pdf", &st);
  struct stat sb;
  check(rc == -1 && st.failed && strstr(st.msg, "nothing to write") &&
            stat("/tmp/test_pdf_empty.pdf", &sb) != 0,
        "empty document refused", st.msg);
  cv_docout_fini(&empty);

  cv_status st2 = {0};
  rc = cv_pdf_write(d, "/nonexistent-dir/x.pdf", &st2);
  check(rc == -1 && st2.failed && strstr(st2.msg, "/nonexistent-dir/x.pdf"),
        "unwritable path reported", st2.msg);
}

int main(void) {
  FT_Library ft;
  if (FT_Init_FreeType(&ft) != 0) {
    printf("FAIL - FreeType init\n");
    return 1;
  }
  cv_font lib, lato;
  if (load_font(ft, LIBERTINE, 0, &lib) < 0 ||
      load_font(ft, LATO, 1, &lato) < 0) {
    printf("FAIL - loading test fonts %s, %s\n", LIBERTINE, LATO);
    return 1;
  }
  check(lib.is_cff && !lato.is_cff, "font formats (CFF, TrueType)", NULL);

  cv_arena a;
  cv_arena_init(&a);
  cv_docout d;
  build_doc(&d, &a, &lib, &lato);
  check_shaping(&d);

  cv_status st = {0};
  int rc = cv_pdf_write(&d, OUT, &st);
  check(rc == 0 && !st.failed, "cv_pdf_write", st.msg);
  if (rc == 0) {
    check_pdffonts();
    check_text();
    check_tools();
    cv_status st2 = {0};
    int rc2 = cv_pdf_write(&d, OUT2, &st2);
    size_t l1 = 0, l2 = 0;
    char *b1 = slurp(OUT, &l1), *b2 = slurp(OUT2, &l2);
    check(rc2 == 0 && b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0,
          "same input gives identical bytes", NULL);
    char msg[64];
    snprintf(msg, sizeof msg, "%zu bytes", l1);
    check(l1 > 1000 && l1 < 40000, "PDF size is subset-sized", msg);
    printf("# PDF size: %zu bytes\n", l1);
    free(b1);
    free(b2);
    unlink(OUT2);
  }
  check_trace(&d);
  check_errors(&d);
  check_link_policy();
  check_link_areas();
  check_streaming(&lib, &lato);

  cv_docout_fini(&d);
  cv_arena_fini(&a);
  free_font(&lib);
  free_font(&lato);
  FT_Done_FreeType(ft);
  return failures ? 1 : 0;
}
