/* cvpdf - the pipeline. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "display.h"
#include "layout.h"
#include "plugin_host.h"
#include "schema.h"

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

static int build_section(cvpdf_builder *b, const cv_plugins *ps,
                         const cvpdf_node *sec, cv_diags *d) {
  const cvpdf_host *host = cv_host_table();
  if (!sec || sec->kind != CVPDF_NODE_MAP) {
    diag_at(d, sec, "expected a section (a mapping with 'type:'), found %s",
            cv_node_kind_name(sec));
    return -1;
  }
  const cvpdf_node *tn = cv_node_get(sec, "type");
  const char *type = cv_node_str(tn);
  if (!type) {
    diag_at(d, sec, "section is missing required field 'type'");
    return -1;
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
    return -1;
  }
  char what[96];
  snprintf(what, sizeof what, "%s section", type);
  if (cv_schema_validate(sec, type_fields(st), section_keys, what, d) > 0)
    return -1;
  cv_builder_set_type(b, type);
  const char *title = cv_node_get_str(sec, "title");
  if (title && *title)
    host->heading(b, title);
  int rc = pl->desc->build(pl->state, host, b, type, sec);
  cv_builder_end_section(b);
  if (rc != 0 && !cv_builder_failed(b))
    diag_at(d, sec, "plugin '%s' failed to build this %s section",
            pl->desc->name, type);
  return rc != 0 || cv_builder_failed(b) ? -1 : 0;
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

/* Writes the PDF next to the output, then renames it into place. */
static int write_atomic(const cv_docout *doc, const char *out, cv_diags *d,
                        size_t *bytes) {
  size_t n = strlen(out);
  char *tmp = malloc(n + 16);
  if (!tmp) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
    return -1;
  }
  memcpy(tmp, out, n);
  memcpy(tmp + n, ".tmp-XXXXXX", 12);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cv_diags_add(d, CV_SEV_ERROR, out, 0, 0, "cannot write output: %s",
                 strerror(errno));
    free(tmp);
    return -1;
  }
  close(fd);
  cv_status st = {0};
  int rc = cv_pdf_write(doc, tmp, &st);
  if (rc == 0) {
    /* Make sure the bytes are on disk before the name points at them. */
    fd = open(tmp, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fsync(fd) < 0 || fstat(fd, &sb) < 0) {
      cv_status_set(&st, "cannot write '%s': %s", tmp, strerror(errno));
      rc = -1;
    } else {
      *bytes = (size_t)sb.st_size;
    }
    if (fd >= 0)
      close(fd);
  }
  if (rc == 0) {
    /* mkstemp creates 0600; a PDF is for sharing. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0666 & ~mask);
    if (rename(tmp, out) < 0) {
      cv_status_set(&st, "cannot rename to '%s': %s", out, strerror(errno));
      rc = -1;
    }
  }
  if (rc != 0) {
    unlink(tmp);
    cv_diags_add(d, CV_SEV_ERROR, out, 0, 0, "%s", st.msg);
  }
  free(tmp);
  return rc;
}

static int write_trace(const cv_docout *doc, const char *path, cv_diags *d) {
  cv_buf buf;
  cv_buf_init(&buf);
  cv_status st = {0};
  int rc = cv_trace_write(doc, &buf, &st);
  if (rc == 0) {
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!f || fwrite(buf.data ? buf.data : "", 1, buf.len, f) != buf.len) {
      cv_status_set(&st, "cannot write trace '%s': %s", path, strerror(errno));
      rc = -1;
    }
    if (f && f != stdout && fclose(f) != 0 && rc == 0) {
      cv_status_set(&st, "cannot write trace '%s': %s", path, strerror(errno));
      rc = -1;
    }
  }
  if (rc != 0)
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  cv_buf_fini(&buf);
  return rc;
}

typedef struct render_ctx {
  cv_model *model;
  cv_plugins *plugins;
  cv_fontset *fonts;
  cv_shaper *shaper;
  cvpdf_builder *builder;
  cv_arena arena;
  cv_docout doc;
} render_ctx;

static void ctx_fini(render_ctx *c) {
  cv_builder_destroy(c->builder);
  cv_shaper_destroy(c->shaper);
  cv_fontset_destroy(c->fonts);
  cv_plugins_destroy(c->plugins);
  cv_model_destroy(c->model);
  cv_docout_fini(&c->doc);
  cv_arena_fini(&c->arena);
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
  cv_diags_add(d, CV_SEV_WARNING, c->model->file, 0, 0,
               "no installed font has these characters: %s", b.data);
  cv_buf_fini(&b);
}

int cv_render(const cv_render_opts *o, cv_diags *d, cv_render_stats *stats) {
  render_ctx c;
  memset(&c, 0, sizeof c);
  cv_arena_init(&c.arena);
  cv_docout_init(&c.doc);
  cv_render_stats local;
  if (!stats)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  cv_status st = {0};
  int rc = -1;
  double t0 = now(), t;

  c.model = o->data ? cv_model_load_buffer(o->input, o->data, o->len,
                                           &o->limits, d)
                     : cv_model_load_file(o->input, &o->limits, d);
  if (!c.model)
    goto out;
  const cvpdf_node *root = c.model->root;
  if (!root || root->kind != CVPDF_NODE_MAP) {
    diag_at(d, root, "expected a mapping at the top level (name:, sections:, "
                     "...), found %s", cv_node_kind_name(root));
    goto out;
  }
  t = now();
  stats->t_parse = t - t0;

  c.plugins = cv_plugins_create(cv_host_table());
  if (!c.plugins ||
      cv_plugins_load_path(c.plugins, o->plugin_dirs, o->default_plugin_dir,
                           &st) < 0) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s",
                 st.failed ? st.msg : "out of memory");
    goto out;
  }
  stats->t_plugins = now() - t;
  t = now();
  if (check_top(root, c.plugins, d) > 0)
    goto out;

  cv_theme *theme = cv_arena_alloc(&c.arena, sizeof *theme);
  if (!theme)
    goto out;
  const char *layout = o->layout ? o->layout : cv_node_get_str(root, "layout");
  if (cv_theme_load(theme, layout, o->layout_dirs, cv_node_get(root, "theme"),
                    &c.arena, d) < 0)
    goto out;
  const char *lang = cv_node_get_str(root, "language");
  if (!lang)
    lang = theme->language;

  c.fonts = cv_fontset_create(&st);
  if (!c.fonts)
    goto fail_status;
  for (size_t i = 0; o->font_dirs && o->font_dirs[i]; i++)
    if (cv_fonts_load_manifests(c.fonts, o->font_dirs[i], d, &st) < 0) {
      if (st.failed)
        goto fail_status;
      goto out;
    }
  c.shaper = cv_shaper_create(c.fonts, &c.arena, lang, o->hyph_dirs, &st);
  if (!c.shaper || st.failed)
    goto fail_status;
  if (st.msg[0]) /* missing hyphenation patterns: a warning */
    cv_diags_add(d, CV_SEV_WARNING, o->input, 0, 0, "%s", st.msg);
  c.builder = cv_builder_create(theme, c.shaper, &c.arena, d, lang);
  if (!c.builder)
    goto out;

  /* The top level is the header: name, contacts. */
  const cvpdf_section_type *ht = NULL;
  const cv_plugin *hp = cv_plugins_find(c.plugins, "header", &ht);
  if (hp) {
    cv_builder_set_type(c.builder, "header");
    if (hp->desc->build(hp->state, cv_host_table(), c.builder, "header",
                        root) != 0 ||
        cv_builder_failed(c.builder))
      goto out;
    cv_builder_end_section(c.builder);
  }
  const cvpdf_node *secs = cv_node_get(root, "sections");
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(secs); i++)
    if (build_section(c.builder, c.plugins, cv_node_at(secs, i), d) < 0)
      bad = 1;
  if (bad)
    goto out;
  stats->t_build = now() - t;
  const cv_layout_stats *ls = cv_builder_stats(c.builder);
  stats->t_shape = ls->t_shape;
  stats->t_break = ls->t_break;
  stats->lines = ls->lines;
  stats->paragraphs = ls->paragraphs;
  stats->hyphenated = ls->hyphenated;
  stats->overfull = ls->overfull;
  warn_missing(&c, d);

  t = now();
  if (cv_builder_paginate(c.builder, &c.doc, &st) < 0)
    goto fail_status;
  stats->t_pages = now() - t;
  stats->pages = c.doc.npages;

  const char *author = cv_builder_author(c.builder);
  const char *title = cv_node_get_str(root, "title");
  if (!title)
    title = author ? cv_arena_printf(&c.arena, "%s – Curriculum Vitae", author)
                   : o->input;
  c.doc.title = title;
  c.doc.author = author ? author : "";
  c.doc.subject = cv_node_get_str(root, "subject");
  if (!c.doc.subject)
    c.doc.subject = "Curriculum Vitae";
  c.doc.keywords = cv_node_get_str(root, "keywords");
  c.doc.creator = "cvpdf " CVPDF_VERSION;
  c.doc.lang = lang;
  c.doc.date = doc_date();

  if (o->trace && write_trace(&c.doc, o->trace, d) < 0)
    goto out;
  t = now();
  char *def = o->output ? NULL : cv_default_output(o->input);
  const char *outp = o->output ? o->output : def;
  if (!outp)
    goto out;
  snprintf(stats->output, sizeof stats->output, "%s", outp);
  int wr = strcmp(outp, "/dev/null") ? write_atomic(&c.doc, outp, d,
                                                    &stats->bytes)
                                     : 0;
  free(def);
  if (wr < 0)
    goto out;
  stats->t_write = now() - t;
  rc = 0;
  goto out;

fail_status:
  cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s",
               st.failed ? st.msg : "out of memory");
out:
  ctx_fini(&c);
  stats->t_total = now() - t0;
  return rc;
}
