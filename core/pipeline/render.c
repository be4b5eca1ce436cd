/* cvpdf - the pipeline. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/atomic.h"
#include "document/convert.h"
#include "output/pdf.h"
#include "output/trace.h"
#include "typeset/layout.h"
#include "typeset/services.h"
#include "pipeline/plugin_host.h"
#include "pipeline/sandbox.h"
#include "document/schema.h"
#include "document/tags.h"

/* Keys of the top level that core itself reads; the rest belong to the
 * header plugin. */
static const char *const core_keys[] = {"language", "layout", "theme",
                                        "title",    "subject", "keywords",
                                        "sections", NULL};
static const char *const section_keys[] = {"type", "title", "id", NULL};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

char *cv_default_output(const char *input) {
  size_t n = strlen(input);
  const char *slash = strrchr(input, '/');
  const char *dot = strrchr(input, '.');
  if (dot && (!slash || dot > slash) && dot != input && dot[-1] != '/')
    n = (size_t)(dot - input);
  char *out = malloc(n + 5);
  if (!out)
    return NULL;
  memcpy(out, input, n);
  memcpy(out + n, ".pdf", 5);
  return out;
}

static void diag_at(cv_diags *d, const cvpdf_node *n, const char *fmt, ...)
    CV_PRINTF(3, 4);
static void diag_at(cv_diags *d, const cvpdf_node *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(d, CV_SEV_ERROR, n ? n->file : NULL, n ? n->line : 0,
                n ? n->col : 0, fmt, ap);
  va_end(ap);
}

/* Fields a plugin declares for `type`, NULL-safe. */
static const cvpdf_field *type_fields(const cvpdf_section_type *t) {
  static const cvpdf_field none[] = {{0}};
  return t && t->fields ? t->fields : none;
}

/* The top level: core keys plus the header plugin's fields. */
static int check_top(const cvpdf_node *root, const cv_plugins *ps,
                     cv_diags *d) {
  const cvpdf_section_type *ht = NULL;
  cv_plugins_find(ps, "header", &ht);
  int before = (int)d->nerrors;
  cv_schema_validate(root, type_fields(ht), core_keys, "the CV", d);
  const cvpdf_node *secs = cv_node_get(root, "sections");
  if (secs && secs->kind != CVPDF_NODE_SEQ)
    diag_at(d, secs, "'sections' expected a list of sections, found %s",
            cv_node_kind_name(secs));
  return (int)d->nerrors - before;
}

/* Checks a section against the fields its plugin declares.  Returns the
 * plugin, or NULL after reporting every problem found. */
static const cv_plugin *check_section(const cv_plugins *ps,
                                      const cvpdf_node *sec, cv_diags *d) {
  if (!sec || sec->kind != CVPDF_NODE_MAP) {
    diag_at(d, sec, "expected a section (a mapping with 'type:'), found %s",
            cv_node_kind_name(sec));
    return NULL;
  }
  const cvpdf_node *tn = cv_node_get(sec, "type");
  const char *type = cv_node_str(tn);
  if (!type) {
    diag_at(d, sec, "section is missing required field 'type'");
    return NULL;
  }
  const cvpdf_section_type *st = NULL;
  const cv_plugin *pl = cv_plugins_find(ps, type, &st);
  if (!pl) {
    const char *near = cv_nearest(type, cv_plugins_type_names((cv_plugins *)ps));
    if (near)
      diag_at(d, tn, "unknown section type '%s'; did you mean '%s'?", type,
              near);
    else
      diag_at(d, tn, "unknown section type '%s' (no plugin handles it)", type);
    return NULL;
  }
  char what[96];
  snprintf(what, sizeof what, "%s section", type);
  if (cv_schema_validate(sec, type_fields(st), section_keys, what, d) > 0)
    return NULL;
  return pl;
}

/* `cvpdf check` after an error that stops the build: the sections are
 * still checked, so one run lists every problem. */
static void check_sections(const cv_plugins *ps, const cvpdf_node *root,
                           cv_diags *d) {
  const cvpdf_node *secs = cv_node_get(root, "sections");
  if (!secs || secs->kind != CVPDF_NODE_SEQ)
    return;
  for (size_t i = 0; i < cv_node_len(secs); i++)
    check_section(ps, cv_node_at(secs, i), d);
}

/* Calls the plugin's build with the call recorded (services.h): misuse of
 * the services and a crash are reported naming the plugin and the
 * section. */
static int call_build(const cv_plugin *pl, cvpdf_builder *b, const char *type,
                      const cvpdf_node *at) {
  cv_plugin_call call;
  cv_plugin_call_begin(&call, CV_CALL_BUILD, pl->desc->name, b, type, at);
  int rc = pl->desc->build(pl->state, cv_host_table(), b, type, at);
  cv_plugin_call_end(&call);
  return rc;
}

static int build_section(cvpdf_builder *b, const cv_plugins *ps,
                         const cvpdf_node *sec, cv_diags *d) {
  const cvpdf_host *host = cv_host_table();
  const cv_plugin *pl = check_section(ps, sec, d);
  if (!pl)
    return -1;
  const char *type = cv_node_get_str(sec, "type");
  cv_builder_set_type(b, type);
  cv_builder_set_source(b, sec);
  const char *title = cv_node_get_str(sec, "title");
  if (title && *title)
    host->heading(b, title);
  int rc = call_build(pl, b, type, sec);
  cv_builder_end_section(b);
  if (rc != 0 && !cv_builder_failed(b))
    diag_at(d, sec, "plugin '%s' failed to build this %s section",
            pl->desc->name, type);
  return rc != 0 || cv_builder_failed(b) ? -1 : 0;
}

/* Safe mode: a CV may name an installed layout, never a file.  A name with
 * a '/' or a leading '.' would reach outside the layout dirs, and one
 * ending in .yaml is taken as a path.  Returns 1 (reported) when refused. */
static int unsafe_layout(const cvpdf_node *n, cv_diags *d) {
  const char *name = cv_node_str(n);
  if (!name)
    return 0; /* absent, or not text: the theme reports the latter */
  size_t len = strlen(name);
  if (!strchr(name, '/') && name[0] != '.' &&
      !(len >= 5 && !strcmp(name + len - 5, ".yaml")))
    return 0;
  diag_at(d, n,
          "expected the name of an installed layout, found the path '%s' "
          "(layout files are not read in safe mode)",
          name);
  return 1;
}

/* The scalar equal to `name` under theme (a family named in a style,
 * fallbacks or icons), or NULL.  Depth is bounded by the model's limits. */
static const cvpdf_node *find_scalar(const cvpdf_node *n, const char *name) {
  if (!n)
    return NULL;
  if (n->kind == CVPDF_NODE_SCALAR)
    return strcmp(n->str, name) ? NULL : n;
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *hit = find_scalar(n->items[i], name);
    if (hit)
      return hit;
  }
  return NULL;
}

/* A font family is looked up when text is first shaped, far from the
 * `theme:` that named it, so the error comes without a position.  When the
 * CV's own theme names the family, point there; else at least name the CV
 * (the family then comes from the layout). */
static void place_font_errors(cv_diags *d, size_t from, const cv_model *m) {
  static const char lead[] = "font family \"";
  for (size_t i = from; i < d->n; i++) {
    cv_diag *dg = &d->v[i];
    if (dg->file || strncmp(dg->msg, lead, sizeof lead - 1))
      continue;
    const char *name = dg->msg + sizeof lead - 1;
    const char *end = strchr(name, '"');
    char *fam = end ? cv_strndup(name, (size_t)(end - name)) : NULL;
    const cvpdf_node *at =
        fam ? find_scalar(cv_node_get(m->root, "theme"), fam) : NULL;
    free(fam);
    dg->file = cv_strdup(at ? at->file : m->file);
    if (at) {
      dg->line = at->line;
      dg->col = at->col;
    }
  }
}

/* The PDF's title: the CV's title:, else made from the author's name. */
static const char *doc_title(const cvpdf_node *root, const char *author,
                             cv_arena *a, const char *input) {
  const char *title = cv_node_get_str(root, "title");
  if (!title)
    title =
        author ? cv_arena_printf(a, "%s – Curriculum Vitae", author) : input;
  return title;
}

/* The document information fits the PDF's strings, or the field it comes
 * from is reported.  Returns the number of errors. */
static int check_info(cv_diags *d, const cvpdf_node *root,
                      const cvpdf_builder *b, cv_arena *a, const char *input) {
  const char *author = cv_builder_author(b);
  const cvpdf_node *author_at = cv_builder_author_at(b);
  const cvpdf_node *title_at = cv_node_get(root, "title");
  const struct {
    const char *what, *text;
    const cvpdf_node *at;
  } v[] = {
      {"a document title", doc_title(root, author, a, input),
       title_at ? title_at : author_at},
      {"an author's name", author, author_at},
      {"a subject", cv_node_get_str(root, "subject"),
       cv_node_get(root, "subject")},
      {"keywords", cv_node_get_str(root, "keywords"),
       cv_node_get(root, "keywords")},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    size_t units = v[i].text ? cv_pdf_text_units(v[i].text) : 0;
    if (units <= CV_PDF_MAX_TEXT)
      continue;
    cv_diags_add(d, CV_SEV_ERROR, v[i].at ? v[i].at->file : root->file,
                 v[i].at ? v[i].at->line : 0, v[i].at ? v[i].at->col : 0,
                 "expected %s of at most %d characters (UTF-16 code "
                 "units: the most a PDF string holds), found %zu",
                 v[i].what, CV_PDF_MAX_TEXT, units);
    bad++;
  }
  return bad;
}

static int64_t doc_date(void) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (*end == '\0' && v >= 0)
      return v;
  }
  return (int64_t)time(NULL);
}

/* Writes the PDF through the atomic-file module: whatever fails, the
 * output holds the previous file or the complete new one, and no input of
 * the run is ever replaced. */
static int write_pdf(cv_pdf *pdf, const cv_docinfo *info, const char *out,
                     const cv_inputs *inputs, cv_diags *d, size_t *bytes) {
  cv_status st = {0};
  cv_atomic a;
  struct stat sb;
  int rc = cv_atomic_begin(&a, out, 0, inputs, "the PDF", &st);
  if (rc == 0 && (rc = cv_pdf_save_fd(pdf, info, a.fd, &st)) < 0)
    cv_atomic_abort(&a);
  if (rc == 0) {
    *bytes = fstat(a.fd, &sb) == 0 ? (size_t)sb.st_size : 0;
    rc = cv_atomic_commit(&a, &st);
  }
  if (rc != 0)
    cv_diags_add(d, CV_SEV_ERROR, out, 0, 0, "%s", st.msg);
  return rc;
}

/* The trace's text to path, or to standard output for "-". */
static int write_trace_text(const cv_buf *buf, const char *path,
                            const cv_inputs *inputs, cv_diags *d) {
  cv_status st = {0};
  int rc = 0;
  const char *data = buf->data ? buf->data : "";
  if (!strcmp(path, "-")) {
    if (fwrite(data, 1, buf->len, stdout) != buf->len || fflush(stdout) != 0) {
      cv_status_set(&st, "cannot write the trace to standard output: %s",
                    strerror(errno));
      rc = -1;
    }
  } else {
    rc = cv_atomic_write(path, 0, inputs, "the trace", data, buf->len, &st);
  }
  if (rc != 0)
    cv_diags_add(d, CV_SEV_ERROR, strcmp(path, "-") ? path : NULL, 0, 0, "%s",
                 st.msg);
  return rc;
}

static int write_trace(const cv_docout *doc, const char *path,
                       const cv_inputs *inputs, cv_diags *d) {
  cv_buf buf;
  cv_buf_init(&buf);
  cv_status st = {0};
  int rc = cv_trace_write(doc, &buf, &st);
  if (rc == 0)
    rc = write_trace_text(&buf, path, inputs, d);
  else
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  cv_buf_fini(&buf);
  return rc;
}

/* Before any work: the outputs may not replace a file read so far (the
 * CV, layout files) nor anything but a regular file.  Checked again, with
 * BibTeX files too, when each is written. */
static int check_outputs(const char *pdf, const char *trace,
                         const cv_inputs *inputs, cv_diags *d) {
  cv_status st = {0};
  if (pdf && strcmp(pdf, "/dev/null") && cv_output_check(pdf, inputs, &st) < 0)
    cv_diags_add(d, CV_SEV_ERROR, pdf, 0, 0, "%s", st.msg);
  cv_status ts = {0};
  if (trace && strcmp(trace, "-") && cv_output_check(trace, inputs, &ts) < 0)
    cv_diags_add(d, CV_SEV_ERROR, trace, 0, 0, "%s", ts.msg);
  return st.failed || ts.failed ? -1 : 0;
}

/* The finished files go to the outlet when there is one (the sandboxed
 * child of a safe render, which checks them against the files it read and
 * leaves the writing to its parent), else to the file system. */
static int put_trace(const cv_render_opts *o, const cv_docout *doc,
                     const cv_inputs *inputs, cv_diags *d) {
  if (!o->outlet)
    return write_trace(doc, o->trace, inputs, d);
  if (check_outputs(NULL, o->trace, inputs, d) < 0)
    return -1;
  return o->outlet->trace(o->outlet->ud, doc, d);
}

static int put_pdf(const cv_render_opts *o, cv_pdf *pdf, const cv_docinfo *info,
                   const char *out, const cv_inputs *inputs, cv_diags *d,
                   size_t *bytes) {
  if (!o->outlet)
    return write_pdf(pdf, info, out, inputs, d, bytes);
  if (check_outputs(out, NULL, inputs, d) < 0)
    return -1;
  return o->outlet->pdf(o->outlet->ud, pdf, info, d);
}

int cv_render_write_made(const cv_render_opts *o, const cv_buf *trace,
                         const char *out, const void *pdf, size_t len,
                         cv_diags *d, size_t *bytes) {
  if (o->trace && write_trace_text(trace, o->trace, NULL, d) < 0)
    return -1;
  if (!out)
    return 0;
  cv_status st = {0};
  cv_pdf *made = cv_pdf_made(pdf, len, &st);
  if (!made) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
    return -1;
  }
  int rc = write_pdf(made, NULL, out, NULL, d, bytes);
  cv_pdf_free(made);
  return rc;
}

/* Where the builder's pages go: the PDF writer (while the page limit
 * holds) and, for a trace, a copy of the whole document. */
typedef struct page_tee {
  cv_pdf *pdf;       /* NULL: pages are only counted (-o /dev/null) */
  cv_docout *doc;    /* NULL unless a trace was asked for */
  size_t max_pages;
  size_t pages;
  double t; /* seconds spent writing */
  cv_diags *diags;
  const char *file;
} page_tee;

static int tee_page(void *ud, const cv_page *pg, cv_status *st) {
  page_tee *tee = ud;
  if (++tee->pages > tee->max_pages) {
    /* The render has failed: the builder stops setting text now rather
     * than after the whole document (a status without a message says
     * that the reason is reported). */
    cv_diags_add(tee->diags, CV_SEV_ERROR, tee->file, 0, 0,
                 "expected at most %zu pages, found more; nothing was "
                 "written (raise the limit with --max-pages)",
                 tee->max_pages);
    st->failed = 1;
    st->msg[0] = '\0';
    return -1;
  }
  double t0 = now();
  int rc = 0;
  if (tee->pdf)
    rc = cv_pdf_page(tee->pdf, pg, st);
  if (rc == 0 && tee->doc)
    rc = cv_docout_sink(tee->doc).page(tee->doc, pg, st);
  tee->t += now() - t0;
  return rc;
}

static int tee_margin(void *ud, size_t index, const cv_page *items,
                      cv_status *st) {
  page_tee *tee = ud;
  if (tee->pages > tee->max_pages)
    return 0;
  double t0 = now();
  int rc = 0;
  if (tee->pdf)
    rc = cv_pdf_margin(tee->pdf, index, items, st);
  if (rc == 0 && tee->doc)
    rc = cv_docout_sink(tee->doc).margin(tee->doc, index, items, st);
  tee->t += now() - t0;
  return rc;
}

typedef struct render_ctx {
  cv_model *model;
  cv_plugins *plugins;
  cv_fontset *fonts;
  cv_shaper *shaper;
  cvpdf_builder *builder;
  cv_pdf *pdf;
  char *default_out; /* the output path made from the input's */
  cv_arena arena;
  cv_docout doc;
  cv_inputs inputs; /* every file read: no output may replace one */
} render_ctx;

static void ctx_fini(render_ctx *c) {
  cv_builder_destroy(c->builder);
  cv_pdf_free(c->pdf);
  free(c->default_out);
  cv_shaper_destroy(c->shaper);
  cv_fontset_destroy(c->fonts);
  cv_plugins_destroy(c->plugins);
  cv_model_destroy(c->model);
  cv_docout_fini(&c->doc);
  cv_arena_fini(&c->arena);
  cv_inputs_fini(&c->inputs);
}

static void warn_missing(const render_ctx *c, cv_diags *d) {
  const uint32_t *cps = NULL;
  size_t n = cv_shaper_missing(c->shaper, &cps);
  if (!n)
    return;
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < n && i < 20; i++) {
    char u[8];
    u[cv_utf8_encode(cps[i], u)] = '\0';
    cv_buf_printf(&b, "%s%s (U+%04X)", i ? ", " : "", u, (unsigned)cps[i]);
  }
  /* At the first text that has the first of them. */
  char u[8];
  u[cv_utf8_encode(cps[0], u)] = '\0';
  cv_source src = {.root = c->model->root};
  const cvpdf_node *at = cv_source_find(&src, u);
  cv_diags_add(d, CV_SEV_WARNING, c->model->file, at ? at->line : 0,
               at ? at->col : 0, "no installed font has these characters: %s",
               b.data);
  cv_buf_fini(&b);
}

int cv_render(const cv_render_opts *o, cv_diags *d, cv_render_stats *stats) {
  if (o->safe && !o->outlet)
    return cv_render_isolated(o, d, stats);
  render_ctx c;
  memset(&c, 0, sizeof c);
  cv_arena_init(&c.arena);
  cv_docout_init(&c.doc);
  cv_inputs_init(&c.inputs);
  cv_render_stats local;
  if (!stats)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  cv_status st = {0};
  int rc = -1;
  size_t diags_before = d->n;
  int sections_left = 0; /* for check_only: sections not yet checked */
  double t0 = now(), t;

  c.model = o->data
                ? cv_model_load_buffer(o->input, o->data, o->len, &o->limits, d)
                : cv_model_load_input(o->input, &o->limits, &c.inputs, d);
  if (!c.model)
    goto out;
  if (cv_convert_to_native(c.model, d) < 0) /* JSON Resume, RenderCV */
    goto out;
  const cvpdf_node *root = c.model->root;
  if (!root || root->kind != CVPDF_NODE_MAP) {
    diag_at(d, root, "expected a mapping at the top level (name:, sections:, "
                     "...), found %s", cv_node_kind_name(root));
    goto out;
  }
  /* Tags select items before anything validates them. */
  int tags_bad = cv_tags_apply(c.model->root, o->only, d) > 0;
  t = now();
  stats->t_parse = t - t0;

  c.plugins = cv_plugins_create(cv_host_table());
  if (!c.plugins ||
      cv_plugins_load_search(c.plugins, o->plugin_dirs,
                             o->safe ? NULL : getenv("CVPDF_PLUGIN_PATH"),
                             o->default_plugin_dir, &st) < 0) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s",
                 st.failed ? st.msg : "out of memory");
    goto out;
  }
  stats->t_plugins = now() - t;
  t = now();
  sections_left = 1;
  if (check_top(root, c.plugins, d) > 0 || tags_bad)
    goto out;

  cv_theme *theme = cv_arena_alloc(&c.arena, sizeof *theme);
  if (!theme)
    goto out;
  const char *layout = o->layout ? o->layout : cv_node_get_str(root, "layout");
  int confine = o->safe || o->confine_files;
  if (confine && !o->layout && unsafe_layout(cv_node_get(root, "layout"), d))
    goto out;
  if (cv_theme_load(
          theme, layout, o->layout ? NULL : cv_node_get(root, "layout"),
          o->layout_dirs, cv_node_get(root, "theme"), &c.inputs, &c.arena,
          d) < 0)
    goto out;
  const cvpdf_node *lang_at = cv_node_get(root, "language");
  const char *lang = cv_node_str(lang_at);
  if (lang && !cv_language_tag_ok(lang)) {
    diag_at(d, lang_at,
            "language: expected a language tag such as en, de or pt-BR, "
            "found '%s'",
            lang);
    goto out;
  }
  if (!lang)
    lang = theme->language;

  c.fonts = cv_fontset_create_cached(o->font_cache, &st);
  if (!c.fonts)
    goto fail_status;
  for (size_t i = 0; o->font_dirs && o->font_dirs[i]; i++)
    if (cv_fonts_load_manifests(c.fonts, o->font_dirs[i], d, &st) < 0) {
      if (st.failed)
        goto fail_status;
      goto out;
    }
  c.shaper = cv_shaper_create(c.fonts, &c.arena, lang, o->hyph_dirs, &st);
  cv_shaper_set_hyphcache(c.shaper, o->hyph_cache);
  if (!c.shaper || st.failed)
    goto fail_status;
  if (st.msg[0]) /* missing hyphenation patterns: a warning */
    cv_diags_add(d, CV_SEV_WARNING, c.model->file,
                 cv_node_str(lang_at) ? lang_at->line : 0,
                 cv_node_str(lang_at) ? lang_at->col : 0, "%s", st.msg);
  c.builder = cv_builder_create(theme, c.shaper, &c.arena, d, lang);
  if (c.builder) {
    /* One date for the PDF and the footer: reproducible with
     * SOURCE_DATE_EPOCH. */
    cv_builder_set_date(c.builder, doc_date());
    cv_builder_set_safe(c.builder, confine);
    cv_builder_set_inputs(c.builder, &c.inputs);
  }
  if (!c.builder)
    goto out;
  page_tee tee = {.max_pages =
                      o->max_pages ? o->max_pages : CV_DEFAULT_MAX_PAGES,
                  .diags = d,
                  .file = c.model->file};
  if (tee.max_pages > CV_PDF_MAX_PAGES) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0,
                 "--max-pages: expected at most %d (the most pages the PDF "
                 "writer holds), found %zu",
                 CV_PDF_MAX_PAGES, tee.max_pages);
    goto out;
  }
  c.default_out = o->output ? NULL : cv_default_output(o->input);
  const char *outp = o->output ? o->output : c.default_out;
  if (!outp) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
    goto out;
  }
  snprintf(stats->output, sizeof stats->output, "%s", outp);
  if (!o->check_only && check_outputs(outp, o->trace, &c.inputs, d) < 0)
    goto out;
  if (!o->check_only) {
    if (strcmp(outp, "/dev/null") != 0) {
      c.pdf = cv_pdf_new(&st);
      if (!c.pdf)
        goto fail_status;
      tee.pdf = c.pdf;
    }
    if (o->trace) {
      tee.doc = &c.doc;
      cv_builder_keep_pages(c.builder);
    }
    cv_builder_set_sink(c.builder, (cv_pagesink){&tee, tee_page, tee_margin});
  }

  /* The top level is the header: name, contacts. */
  const cvpdf_section_type *ht = NULL;
  const cv_plugin *hp = cv_plugins_find(c.plugins, "header", &ht);
  if (hp) {
    cv_builder_set_type(c.builder, "header");
    cv_builder_set_source(c.builder, root);
    if (call_build(hp, c.builder, "header", root) != 0 ||
        cv_builder_failed(c.builder))
      goto out;
    cv_builder_end_section(c.builder);
  }
  if (check_info(d, root, c.builder, &c.arena, o->input) > 0)
    goto out;
  const cvpdf_node *secs = cv_node_get(root, "sections");
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(secs); i++)
    if (build_section(c.builder, c.plugins, cv_node_at(secs, i), d) < 0)
      bad = 1;
  sections_left = 0;
  if (bad)
    goto out;
  stats->t_build = now() - t - tee.t;
  const cv_layout_stats *ls = cv_builder_stats(c.builder);
  stats->t_shape = ls->t_shape;
  stats->t_break = ls->t_break;
  stats->lines = ls->lines;
  stats->paragraphs = ls->paragraphs;
  stats->hyphenated = ls->hyphenated;
  stats->overfull = ls->overfull;
  warn_missing(&c, d);
  if (o->check_only) {
    rc = 0;
    goto out;
  }

  t = now();
  double t_sink = tee.t;
  if (cv_builder_finish(c.builder) < 0)
    goto out;
  stats->t_pages = now() - t - (tee.t - t_sink);
  stats->pages = tee.pages;

  const char *author = cv_builder_author(c.builder);
  cv_docinfo *info = &c.doc.info;
  info->title = doc_title(root, author, &c.arena, o->input);
  info->author = author ? author : "";
  info->subject = cv_node_get_str(root, "subject");
  if (!info->subject)
    info->subject = "Curriculum Vitae";
  info->keywords = cv_node_get_str(root, "keywords");
  info->creator = "cvpdf " CVPDF_VERSION;
  info->lang = lang;
  info->date = doc_date();

  if (o->trace && put_trace(o, &c.doc, &c.inputs, d) < 0)
    goto out;
  t = now();
  if (c.pdf &&
      put_pdf(o, c.pdf, info, outp, &c.inputs, d, &stats->bytes) < 0)
    goto out;
  stats->t_write = now() - t + tee.t;
  rc = 0;
  goto out;

fail_status:
  cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s",
               st.failed ? st.msg : "out of memory");
out:
  if (o->check_only && sections_left)
    check_sections(c.plugins, c.model->root, d);
  if (rc != 0 && c.model)
    place_font_errors(d, diags_before, c.model);
  ctx_fini(&c);
  stats->t_total = now() - t0;
  return rc;
}
