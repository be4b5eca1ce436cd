/* cvpdf - serve: the document being edited.  Edits are rendered one at a
 * time in this process, with its font and hyphenation caches warm; the
 * last good render stays on show until a newer one succeeds. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/atomic.h"
#include "cli/serve.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

void cv_json_str(cv_buf *out, const char *s, size_t len) {
  cv_buf_putc(out, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      cv_buf_printf(out, "\\%c", c);
    else if (c == '\n')
      cv_buf_puts(out, "\\n");
    else if (c < 0x20 || c == 0x7f)
      cv_buf_printf(out, "\\u%04x", c);
    else if (c == '<') /* never "</script>" or "<!--" in a page */
      cv_buf_puts(out, "\\u003c");
    else
      cv_buf_putc(out, (char)c);
  }
  cv_buf_putc(out, '"');
}

static void json_cstr(cv_buf *out, const char *s) {
  if (s)
    cv_json_str(out, s, strlen(s));
  else
    cv_buf_puts(out, "null");
}

int cv_layout_installed(const cv_serve *s, const char *name) {
  for (size_t i = 0; s->layouts && s->layouts[i]; i++)
    if (!strcmp(s->layouts[i], name))
      return 1;
  return 0;
}

/* Reads a whole file of at most limit bytes; NULL with errno set. */
static char *slurp(const char *path, size_t limit, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  cv_buf b;
  cv_buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= limit)
    cv_buf_put(&b, chunk, n);
  int bad = ferror(f) || b.failed || b.len > limit;
  fclose(f);
  if (bad) {
    cv_buf_fini(&b);
    errno = b.len > limit ? EFBIG : EIO;
    return NULL;
  }
  *len = b.len;
  if (!b.data)
    return cv_strdup("");
  return b.data;
}

static void snapshot_free(cv_snapshot *snap) {
  for (size_t i = 0; snap->pages && i < snap->npages; i++)
    cv_buf_fini(&snap->pages[i].png);
  free(snap->pages);
  cv_raster_destroy(snap->raster);
  pthread_mutex_destroy(&snap->mu);
  free(snap->pdf);
  free(snap->text);
  free(snap->layout);
  cv_buf_fini(&snap->file);
  free(snap);
}

/* The preview a render made of text with layout (NULL: the CV's), taken
 * over, opened for drawing. */
static cv_snapshot *snapshot_load(cv_buf *pdf, const char *text, size_t len,
                                  const char *layout, cv_status *st) {
  cv_snapshot *snap = calloc(1, sizeof *snap);
  if (!snap || pthread_mutex_init(&snap->mu, NULL) != 0) {
    free(snap);
    cv_buf_fini(pdf);
    cv_status_set(st, "out of memory");
    return NULL;
  }
  cv_buf_init(&snap->file);
  snap->pdf = pdf->data;
  snap->pdf_len = pdf->len;
  snap->text = cv_strndup(text, len);
  snap->text_len = len;
  snap->layout = layout ? cv_strdup(layout) : NULL;
  if (snap->text && (snap->layout || !layout))
    snap->raster = cv_raster_open(snap->pdf, snap->pdf_len, st);
  snap->npages = cv_raster_pages(snap->raster);
  snap->pages =
      snap->raster ? cv_calloc_n(snap->npages, sizeof *snap->pages) : NULL;
  if (!snap->pages) {
    if (!st->failed)
      cv_status_set(st, "out of memory");
    snapshot_free(snap);
    return NULL;
  }
  return snap;
}

cv_snapshot *cv_serve_snapshot(cv_serve *s) {
  pthread_mutex_lock(&s->mu);
  cv_snapshot *snap = s->snap;
  if (snap)
    snap->refs++;
  pthread_mutex_unlock(&s->mu);
  return snap;
}

void cv_snapshot_release(cv_serve *s, cv_snapshot *snap) {
  if (!snap)
    return;
  pthread_mutex_lock(&s->mu);
  int last = --snap->refs == 0;
  pthread_mutex_unlock(&s->mu);
  if (last)
    snapshot_free(snap);
}

const cv_buf *cv_snapshot_png(cv_snapshot *snap, size_t i, double dpi, int fast,
                              double *ms, cv_status *st) {
  double t0 = now_ms();
  if (i >= snap->npages) {
    cv_status_set(st, "expected a page from 1 to %zu, found %zu", snap->npages,
                  i + 1);
    return NULL;
  }
  struct cv_page_png *p = &snap->pages[i];
  if (p->png.len && p->dpi == dpi && p->fast == fast) {
    *ms = 0;
    return &p->png;
  }
  cv_buf_reset(&p->png);
  p->png.failed = 0;
  if (cv_raster_png(snap->raster, i, dpi, fast, &p->png, st) < 0) {
    cv_buf_reset(&p->png);
    return NULL;
  }
  p->dpi = dpi;
  p->fast = fast;
  p->hash = 1469598103934665603ull; /* FNV-1a */
  for (size_t k = 0; k < p->png.len; k++)
    p->hash = (p->hash ^ (unsigned char)p->png.data[k]) * 1099511628211ull;
  *ms = now_ms() - t0;
  return &p->png;
}

static void diags_json(cv_buf *out, const cv_diags *d, const char *cv_path) {
  cv_buf line;
  cv_buf_init(&line);
  cv_buf_puts(out, "[");
  for (size_t i = 0; i < d->n; i++) {
    const cv_diag *g = &d->v[i];
    cv_buf_reset(&line);
    cv_diag_format(g, &line);
    int in_cv = g->file && !strcmp(g->file, cv_path);
    cv_buf_printf(out, "%s{\"severity\": \"%s\", \"line\": %d, \"col\": %d, ",
                  i ? ", " : "", g->sev == CV_SEV_ERROR ? "error" : "warning",
                  in_cv ? g->line : 0, in_cv ? g->col : 0);
    cv_buf_puts(out, "\"message\": ");
    json_cstr(out, g->msg);
    cv_buf_puts(out, ", \"text\": ");
    json_cstr(out, line.data ? line.data : "");
    cv_buf_puts(out, "}");
  }
  cv_buf_puts(out, "]");
  cv_buf_fini(&line);
}

/* Takes the render lock unless a newer edit has arrived; returns 0 when
 * this edit should render. */
static int claim_render(cv_serve *s) {
  pthread_mutex_lock(&s->mu);
  uint64_t seq = ++s->edit_seq;
  pthread_mutex_unlock(&s->mu);
  pthread_mutex_lock(&s->render_mu);
  pthread_mutex_lock(&s->mu);
  int stale = s->edit_seq != seq || s->stopping;
  pthread_mutex_unlock(&s->mu);
  if (stale)
    pthread_mutex_unlock(&s->render_mu);
  return stale ? -1 : 0;
}

/* Makes snap (may be NULL: a failed render) the one on show; returns the
 * render's number. */
static uint64_t publish(cv_serve *s, cv_snapshot *snap) {
  pthread_mutex_lock(&s->mu);
  uint64_t rev = ++s->rev;
  cv_snapshot *old = NULL;
  if (snap) {
    snap->rev = rev;
    snap->refs = 1;
    old = s->snap;
    s->snap = snap;
  }
  pthread_mutex_unlock(&s->mu);
  cv_snapshot_release(s, old);
  return rev;
}

/* Where a render's PDF goes when it is kept in memory. */
static int keep_pdf(void *ud, cv_pdf *pdf, const cv_docinfo *info,
                    cv_diags *d) {
  cv_status st = {0};
  if (cv_pdf_save_buffer(pdf, info, ud, &st) == 0)
    return 0;
  cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  return -1;
}

/* Renders text as the CV with layout (NULL: the CV's own) into pdf: a
 * preview (output/pdf.h), or the file `cvpdf render` writes.  The caller
 * holds render_mu.  Returns 0, or -1 with d saying why. */
static int render_pdf(cv_serve *s, const char *text, size_t len,
                      const char *layout, int preview, cv_buf *pdf,
                      cv_diags *d) {
  cv_render_opts o = s->args.o;
  o.input = s->cv_path;
  o.data = text;
  o.len = len;
  o.output = s->pdf_tmp;
  o.confine_files = 1;
  o.preview = preview;
  o.font_cache = s->fonts;
  o.hyph_cache = s->hyph;
  o.date_cache = s->dates;
  if (layout)
    o.layout = layout;
  /* The PDF stays in memory, unless a safe render's child process makes
   * it (an outlet would keep the render in this process). */
  const cv_render_outlet keep = {pdf, NULL, keep_pdf};
  if (!o.safe)
    o.outlet = &keep;
  int rc = cv_render(&o, d, NULL);
  if (rc == 0 && o.safe) {
    size_t n = 0;
    char *bytes = slurp(s->pdf_tmp, SIZE_MAX / 2, &n);
    if (!bytes)
      cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "cannot read back the PDF: %s",
                   strerror(errno));
    cv_buf_put(pdf, bytes, bytes ? n : 0);
    free(bytes);
    rc = bytes ? 0 : -1;
  }
  if (rc == 0 && pdf->failed) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
    rc = -1;
  }
  if (rc < 0)
    cv_buf_fini(pdf);
  return rc;
}

const cv_buf *cv_snapshot_file(cv_serve *s, cv_snapshot *snap, cv_status *st) {
  if (snap->file.len)
    return &snap->file;
  cv_diags d;
  cv_diags_init(&d);
  cv_buf_init(&snap->file);
  pthread_mutex_lock(&s->render_mu);
  int rc = render_pdf(s, snap->text, snap->text_len, snap->layout, 0,
                      &snap->file, &d);
  pthread_mutex_unlock(&s->render_mu);
  if (rc < 0)
    cv_status_set(st, "%s", d.n ? d.v[d.n - 1].msg : "the render failed");
  cv_diags_fini(&d);
  return rc < 0 ? NULL : &snap->file;
}

/* The picture a render's answer carries: page want->page of snap, drawn
 * into png, described in out.  Nothing when the page is not there. */
static void answer_picture(cv_snapshot *snap, const cv_picture_req *want,
                           cv_buf *out, cv_buf *png) {
  if (want->page >= snap->npages)
    return;
  cv_status st = {0};
  double ms = 0;
  pthread_mutex_lock(&snap->mu);
  const cv_buf *p = cv_snapshot_png(snap, want->page, want->dpi, 1, &ms, &st);
  if (p) {
    cv_buf_put(png, p->data, p->len);
    cv_buf_printf(out,
                  ", \"picture\": {\"n\": %zu, \"dpi\": %g, \"raster_ms\": "
                  "%.2f, \"hash\": \"%016llx\"}",
                  want->page + 1, want->dpi, ms,
                  (unsigned long long)snap->pages[want->page].hash);
  }
  pthread_mutex_unlock(&snap->mu);
}

void cv_serve_render(cv_serve *s, const char *text, size_t len,
                     const char *layout, const cv_picture_req *want,
                     cv_buf *out, cv_buf *png) {
  if (claim_render(s) < 0) {
    cv_buf_puts(out, "{\"superseded\": true}");
    return;
  }
  cv_buf pdf;
  cv_buf_init(&pdf);
  cv_diags d;
  cv_diags_init(&d);
  cv_status st = {0};
  double t0 = now_ms();
  int rc = render_pdf(s, text, len, layout, 1, &pdf, &d);
  double render_ms = now_ms() - t0;
  cv_snapshot *snap =
      rc == 0 ? snapshot_load(&pdf, text, len, layout, &st) : NULL;
  if (rc == 0 && !snap)
    cv_diags_add(&d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  double total_ms = now_ms() - t0;
  size_t npages = snap ? snap->npages : 0;
  double *sizes = cv_calloc_n(npages * 2 + 1, sizeof *sizes);
  for (size_t i = 0; sizes && i < npages; i++)
    cv_raster_page_size(snap->raster, i, &sizes[2 * i], &sizes[2 * i + 1]);
  int ok = snap != NULL;
  uint64_t rev = publish(s, snap);
  /* A reference of the picture's own: a newer render may replace snap. */
  snap = ok && want ? cv_serve_snapshot(s) : NULL;
  pthread_mutex_unlock(&s->render_mu);

  cv_buf_printf(out,
                "{\"ok\": %s, \"rev\": %llu, \"render_ms\": %.2f, "
                "\"ms\": %.2f, \"pages\": [",
                ok ? "true" : "false", (unsigned long long)rev, render_ms,
                total_ms);
  for (size_t i = 0; sizes && i < npages; i++)
    cv_buf_printf(out, "%s[%.2f, %.2f]", i ? ", " : "", sizes[2 * i],
                  sizes[2 * i + 1]);
  cv_buf_puts(out, "], \"diags\": ");
  diags_json(out, &d, s->cv_path);
  if (snap)
    answer_picture(snap, want, out, png);
  cv_buf_puts(out, "}");
  cv_snapshot_release(s, snap);
  free(sizes);
  cv_diags_fini(&d);
}

int cv_serve_save(cv_serve *s, const char *text, size_t len, uint64_t seen,
                  int force, cv_status *st) {
  char *copy = cv_strndup(text, len);
  if (!copy) {
    cv_status_set(st, "out of memory");
    return -1;
  }
  pthread_mutex_lock(&s->mu);
  if (!force && seen != s->disk_version) {
    pthread_mutex_unlock(&s->mu);
    free(copy);
    return 1;
  }
  int rc = cv_atomic_write(s->real_path, 0, NULL, "the CV", text, len, st);
  if (rc == 0) {
    free(s->disk_text);
    s->disk_text = copy;
    s->disk_len = len;
    s->disk_version++;
    copy = NULL;
    pthread_cond_broadcast(&s->changed);
  }
  pthread_mutex_unlock(&s->mu);
  free(copy);
  return rc;
}

void cv_serve_reload(cv_serve *s) {
  size_t len = 0;
  char *text = slurp(s->real_path, s->args.o.limits.max_input_bytes, &len);
  if (!text) {
    fprintf(stderr, "cvpdf: serve: cannot read %s again: %s\n", s->cv_path,
            strerror(errno));
    return;
  }
  pthread_mutex_lock(&s->mu);
  if (len == s->disk_len && !memcmp(text, s->disk_text, len)) {
    pthread_mutex_unlock(&s->mu); /* our own save coming back */
    free(text);
    return;
  }
  free(s->disk_text);
  s->disk_text = text;
  s->disk_len = len;
  s->disk_version++;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->mu);
  fprintf(stderr, "cvpdf: serve: %s changed on disk; offered to the page\n",
          s->cv_path);
}

void cv_serve_disk_json(cv_serve *s, cv_buf *out) {
  pthread_mutex_lock(&s->mu);
  cv_buf_printf(out, "{\"version\": %llu, \"text\": ",
                (unsigned long long)s->disk_version);
  cv_json_str(out, s->disk_text, s->disk_len);
  cv_buf_puts(out, "}");
  pthread_mutex_unlock(&s->mu);
}

int cv_serve_load(cv_serve *s) {
  struct stat sb;
  if (stat(s->real_path, &sb) < 0) {
    fprintf(stderr, "cvpdf: serve: %s: %s\n", s->cv_path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(sb.st_mode)) {
    fprintf(stderr, "cvpdf: serve: %s is not a regular file\n", s->cv_path);
    return -1;
  }
  s->disk_text =
      slurp(s->real_path, s->args.o.limits.max_input_bytes, &s->disk_len);
  if (!s->disk_text) {
    fprintf(stderr, "cvpdf: serve: cannot read %s: %s\n", s->cv_path,
            errno == EFBIG ? "larger than --max-input-bytes" : strerror(errno));
    return -1;
  }
  return 0;
}
