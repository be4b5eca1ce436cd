/* cvpdf - the pipeline: one render, file to file, in named stages.
 *
 *   load_document   the CV (YAML or JSON; JSON Resume and RenderCV made
 *                   cvpdf's own), tags selected
 *   load_plugins    the section plugins found, the top level checked
 *   prepare         the theme, its fonts resolved, the photo read, the
 *                   shaper, the builder and where its pages go
 *   build_sections  the header, then each section through its plugin;
 *                   pages are written as they fill
 *   write_outputs   the last pages, the document information, the trace
 *                   and the PDF
 *
 * Each stage returns 0, or -1 after reporting why in the diagnostics. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "document/convert.h"
#include "document/lang.h"
#include "document/letter.h"
#include "document/tags.h"
#include "output/raster.h"
#include "pipeline/pdfa.h"
#include "pipeline/photo.h"
#include "pipeline/render_int.h"
#include "pipeline/sandbox.h"
#include "typeset/manifests.h"

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

/* The document's date, taken once per render: the PDF's dates and a
 * footer's {date} agree, and SOURCE_DATE_EPOCH makes it reproducible. */
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

typedef struct render_ctx {
  const cv_render_opts *o;
  cv_diags *d;
  cv_render_stats *stats;
  int64_t date;
  cv_model *model;
  cv_model *cv_model; /* the CV a letter takes its header from, or NULL */
  int letter;         /* the document is a letter (document/letter.h) */
  const cvpdf_node *root;
  int tags_bad;      /* --only named a tag wrongly: reported, fails later */
  int sections_left; /* sections not yet checked */
  int top_bad;       /* the top level had errors */
  cv_plugins *plugins;
  cv_theme *theme;
  const cvpdf_node *lang_at;
  const char *lang;
  cv_fontset *fonts;
  cv_shaper *shaper;
  cvpdf_builder *builder;
  cv_pdf *pdf;
  page_tee tee;
  char *default_out; /* the output path made from the input's */
  const char *out;
  cv_arena arena;
  cv_docout doc;
  cv_inputs inputs;           /* every file read: no output may replace one */
  const cv_image *photo;      /* the CV's photo:, or NULL */
  const cv_part_place *place; /* a bundle's part: where it goes; else NULL */
  int pdfa;                   /* PDF/A-2: --pdfa, or the files' pdf: */
  const unsigned char *icc;   /* PDF/A: the sRGB profile, icc_len bytes */
  size_t icc_len;
  /* For benchmarks only (CVPDF_BENCH_UNTAGGED set, bench/run.py
   * --untagged): no structure tree and no marked content, to measure
   * what tagging costs. */
  int untagged;
  cv_datecache *own_dates; /* the render's own date cache, when the
                              options bring none */
} render_ctx;

static void ctx_fini(render_ctx *c) {
  cv_builder_destroy(c->builder);
  cv_datecache_destroy(c->own_dates);
  cv_pdf_free(c->pdf);
  free(c->default_out);
  cv_shaper_destroy(c->shaper);
  cv_fontset_destroy(c->fonts);
  cv_plugins_destroy(c->plugins);
  cv_model_destroy(c->model);
  cv_model_destroy(c->cv_model);
  cv_docout_fini(&c->doc);
  cv_arena_fini(&c->arena);
  cv_inputs_fini(&c->inputs);
}

/* Reports a failed status without a position; a status whose reason is a
 * diagnostic already adds nothing.  Returns -1. */
static int fail_status(render_ctx *c, const cv_status *st) {
  if (st->code != CV_ERR_REPORTED)
    cv_diags_add(c->d, CV_SEV_ERROR, NULL, 0, 0, "%s",
                 st->failed ? st->msg : "out of memory");
  return -1;
}

static int oom(render_ctx *c) {
  cv_diags_add(c->d, CV_SEV_ERROR, c->o->input, 0, 0, "out of memory");
  return -1;
}

/* ---- load_document ---------------------------------------------------- */

static int load_document(render_ctx *c) {
  const cv_render_opts *o = c->o;
  c->model =
      o->data
          ? cv_model_load_buffer(o->input, o->data, o->len, &o->limits, c->d)
          : cv_model_load_input(o->input, &o->limits, &c->inputs, c->d);
  if (!c->model)
    return -1;
  /* A letter takes the header of the CV it names before anything reads
   * the top level (its `cv:` is not RenderCV's). */
  c->letter = cv_letter_merge(c->model, &o->limits, o->safe || o->confine_files,
                              &c->inputs, c->d, &c->cv_model);
  if (c->letter < 0)
    return -1;
  /* JSON Resume, RenderCV */
  if (cv_convert_to_native_fonts(c->model, c->d, cv_font_installed) < 0)
    return -1;
  c->root = c->model->root;
  if (!c->root || c->root->kind != CVPDF_NODE_MAP) {
    cv_diag_at(c->d, CV_SEV_ERROR, c->root,
               "expected a mapping at the top level (name:, sections:, "
               "...), found %s",
               cv_node_kind_name(c->root));
    return -1;
  }
  const cvpdf_node *bundle = cv_node_get(c->root, "bundle");
  if (bundle && c->place) {
    cv_diag_at(c->d, CV_SEV_ERROR, bundle,
               "expected a CV or letter in a bundle, found an application "
               "file (bundles do not nest)");
    return -1;
  }
  if (bundle && !o->data)
    return 1; /* an application file: cv_render makes its bundle */
  /* Tags select items before anything validates them. */
  c->tags_bad = cv_tags_apply(c->model->root, o->only, c->d) > 0;
  /* Then translated fields, to the language asked for. */
  if (cv_lang_apply(c->model->root, o->lang, o->lang_all, c->d) > 0)
    c->tags_bad = 1;
  return 0;
}

/* ---- load_plugins ----------------------------------------------------- */

/* A letter's own fields become its one section: the keys core reads and
 * the header's fields stay at the top, but for date:, the letter's own. */
static int split_letter(render_ctx *c) {
  const cvpdf_section_type *ht = NULL;
  cv_plugins_find(c->plugins, "header", &ht);
  size_t n = 0, nh = 0;
  while (cv_core_keys[n].name)
    n++;
  while (ht && ht->fields && ht->fields[nh].name)
    nh++;
  const char **keep = cv_arena_alloc_n(&c->arena, n + nh + 1, sizeof *keep);
  if (!keep)
    return oom(c);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(cv_core_keys[i].name, "date"))
      keep[k++] = cv_core_keys[i].name;
  for (size_t i = 0; i < nh; i++)
    keep[k++] = ht->fields[i].name;
  keep[k] = NULL;
  if (cv_letter_split(c->model, keep, c->d) < 0)
    return -1;
  c->root = c->model->root;
  return 0;
}

static int load_plugins(render_ctx *c) {
  const cv_render_opts *o = c->o;
  cv_status st = {0};
  c->plugins = cv_plugins_create(cv_host_table());
  if (!c->plugins ||
      cv_plugins_load_search(c->plugins, o->plugin_dirs,
                             o->safe ? NULL : getenv("CVPDF_PLUGIN_PATH"),
                             o->default_plugin_dir, &st) < 0)
    return fail_status(c, &st);
  c->sections_left = 1;
  if (c->letter && split_letter(c) < 0)
    return -1;
  /* Errors of the top level stop the render after the theme is read, so
   * that its problems are reported too. */
  int langs_bad = cv_check_text_langs(c->root, c->d) > 0;
  c->top_bad =
      cv_check_top(c->root, c->plugins, c->d) > 0 || c->tags_bad || langs_bad;
  return 0;
}

/* ---- prepare ---------------------------------------------------------- */

static int load_theme(render_ctx *c) {
  const cv_render_opts *o = c->o;
  const cvpdf_node *layout_at = cv_node_get(c->root, "layout");
  const char *layout = o->layout ? o->layout : cv_node_str(layout_at);
  if ((o->safe || o->confine_files) && !o->layout &&
      cv_unsafe_layout(layout_at, c->d))
    return -1;
  if (!(c->theme = cv_arena_alloc(&c->arena, sizeof *c->theme)))
    return oom(c);
  if (cv_theme_load(c->theme, layout, o->layout ? NULL : layout_at,
                    o->layout_dirs, cv_node_get(c->root, "theme"), c->letter,
                    cv_plugins_type_decls(c->plugins), &c->inputs, &c->arena,
                    c->d) < 0)
    return -1;
  /* PDF/A: the command line wins, then the CV's pdf:, then its theme:'s,
   * then the layout's. */
  const cvpdf_node *pdf = cv_node_get(c->root, "pdf");
  if (pdf && cv_theme_read_pdf(c->theme, pdf, &c->arena, c->d) < 0)
    return -1;
  c->pdfa = o->pdfa ? o->pdfa > 0 : c->theme->pdfa;
  c->lang_at = cv_node_get(c->root, "language");
  c->lang = o->lang && !o->lang_all ? o->lang : cv_node_str(c->lang_at);
  if (c->lang == o->lang && c->lang && !cv_language_tag_ok(c->lang)) {
    cv_diags_add(c->d, CV_SEV_ERROR, NULL, 0, 0,
                 "--lang: expected a language tag such as en, de or pt-BR, "
                 "found '%s'",
                 c->lang);
    return -1;
  }
  if (c->lang && !cv_language_tag_ok(c->lang)) {
    cv_diag_at(c->d, CV_SEV_ERROR, c->lang_at,
               "language: expected a language tag such as en, de or pt-BR, "
               "found '%s'",
               c->lang);
    return -1;
  }
  if (!c->lang)
    c->lang = c->theme->language;
  return cv_theme_load_locales(c->theme, c->lang, o->locale_dirs, &c->inputs,
                               &c->arena, c->d);
}

/* Reports a font family of the theme that cannot be loaded: at the CV's
 * own `theme:` when it names the family, else at the CV (the family then
 * comes from its layout). */
static void font_error(render_ctx *c, const char *family, const char *msg) {
  const cvpdf_node *at = cv_find_scalar(cv_node_get(c->root, "theme"), family);
  if (at)
    cv_diag_at(c->d, CV_SEV_ERROR, at, "%s", msg);
  else {
    const char *layout =
        c->o->layout ? c->o->layout : cv_node_get_str(c->root, "layout");
    if (!layout)
      layout = c->theme->name ? c->theme->name : "the default";
    cv_diags_add(c->d, CV_SEV_ERROR, c->model->file, 0, 0,
                 "%s (named by the layout %s)", msg, layout);
  }
}

/* Each family the theme's styles name, loaded now: a family that cannot
 * be loaded is reported here, where the theme is known, rather than when
 * text is first shaped in it. */
static int resolve_fonts(render_ctx *c) {
  const cv_theme *t = c->theme;
  const char *seen[2 * CV_MAX_STYLES];
  size_t nseen = 0;
  int bad = 0;
  for (size_t i = 0; i < t->nstyles; i++) {
    const cv_textstyle *ts = &t->styles[i].ts;
    const char *fams[2] = {ts->family, ts->code_family};
    for (int k = 0; k < 2; k++) {
      size_t j = 0;
      while (fams[k] && j < nseen && strcmp(seen[j], fams[k]))
        j++;
      if (!fams[k] || j < nseen)
        continue; /* none, or tried already */
      seen[nseen++] = fams[k];
      cv_status st = {0};
      const cv_font *f = cv_fontset_get(c->fonts, fams[k], CV_REGULAR, &st);
      const char *why = f && c->pdfa ? cv_font_embedding_refused(f) : NULL;
      if (f && !why)
        continue;
      if (!f && st.code != CV_ERR_FONT)
        return fail_status(c, &st);
      if (why)
        cv_status_set(&st,
                      "font '%s' (%s): expected a font whose licence allows "
                      "embedding, as PDF/A embeds every font, found OS/2 "
                      "fsType 0x%04X (%s); name another family",
                      fams[k], f->path, f->fs_type, why);
      font_error(c, fams[k], st.msg);
      bad = 1;
    }
  }
  return bad ? -1 : 0;
}

static int load_fonts(render_ctx *c) {
  const cv_render_opts *o = c->o;
  cv_status st = {0};
  if (!(c->fonts = cv_fontset_create_cached(o->font_cache, &st)))
    return fail_status(c, &st);
  for (size_t i = 0; o->font_dirs && o->font_dirs[i]; i++)
    if (cv_fonts_load_manifests(c->fonts, o->font_dirs[i], c->d, &st) < 0)
      return st.failed ? fail_status(c, &st) : -1;
  if (resolve_fonts(c) < 0)
    return -1;
  c->shaper = cv_shaper_create(c->fonts, &c->arena, c->lang, o->hyph_dirs, &st);
  if (!c->shaper || st.failed)
    return fail_status(c, &st);
  cv_shaper_set_hyphcache(c->shaper, o->hyph_cache);
  /* No warning where nothing is lost or nothing can be installed: a layout
   * that does not hyphenate, a script that needs no patterns, a language
   * Debian ships none for (its locale file says so). */
  if (c->theme->hyphenate && !c->theme->no_patterns &&
      !cv_shaper_hyphenates(c->shaper) && !cv_hyph_needless(c->lang)) {
    const char *lang = c->lang && *c->lang ? c->lang : "en";
    cv_diags_add(c->d, CV_SEV_WARNING, c->model->file,
                 cv_node_str(c->lang_at) ? c->lang_at->line : 0,
                 cv_node_str(c->lang_at) ? c->lang_at->col : 0,
                 "no hyphenation patterns for language \"%s\" (hyph_%s.dic); "
                 "words will not be hyphenated",
                 lang, lang);
  }
  return 0;
}

/* Where the pages go: the PDF writer unless the output is the null
 * device, and the trace's copy of the document. */
static int open_outputs(render_ctx *c) {
  const cv_render_opts *o = c->o;
  c->tee.max_pages = o->max_pages ? o->max_pages : CV_DEFAULT_MAX_PAGES;
  c->tee.diags = c->d;
  c->tee.file = c->model->file;
  if (c->tee.max_pages > CV_PDF_MAX_PAGES) {
    cv_diags_add(c->d, CV_SEV_ERROR, NULL, 0, 0,
                 "--max-pages: expected at most %d (the most pages the PDF "
                 "writer holds), found %zu",
                 CV_PDF_MAX_PAGES, c->tee.max_pages);
    return -1;
  }
  c->default_out = o->output ? NULL : cv_default_output(o->input);
  c->out = o->output ? o->output : c->default_out;
  if (!c->out)
    return oom(c);
  snprintf(c->stats->output, sizeof c->stats->output, "%s", c->out);
  if (o->check_only)
    return 0;
  if ((!c->place || c->place->first) &&
      cv_check_outputs(c->out, o->trace, &c->inputs, c->d) < 0)
    return -1;
  if (c->place) { /* a bundle's part: pages go to the bundle's writer */
    c->tee.pdf = c->place->pdf;
    c->tee.base = c->place->page_base;
    c->tee.max_pages = c->place->max_pages;
  } else if (strcmp(c->out, "/dev/null") != 0) {
    cv_status st = {0};
    if (!(c->pdf = cv_pdf_new(&st)))
      return fail_status(c, &st);
    cv_pdf_set_preview(c->pdf, o->preview);
    c->untagged = getenv("CVPDF_BENCH_UNTAGGED") != NULL;
    cv_pdf_set_untagged(c->pdf, c->untagged);
    c->tee.pdf = c->pdf;
  }
  if (o->trace) {
    c->tee.doc = &c->doc;
    cv_builder_keep_pages(c->builder);
  }
  cv_builder_set_sink(c->builder, cv_tee_sink(&c->tee));
  return 0;
}

static unsigned image_flags(const render_ctx *c) {
  return (c->o->safe || c->o->confine_files ? CV_IMAGE_SAFE : 0) |
         (c->pdfa ? CV_IMAGE_PDFA : 0) |
         (c->o->offline ? CV_IMAGE_OFFLINE : 0) |
         (c->o->safe ? CV_IMAGE_NO_NETWORK : 0);
}

/* Images a plugin places (a letter's signature), read as the photo is. */
static int load_image(void *ud, const cvpdf_node *path, const char *alt,
                      const cv_image **out) {
  render_ctx *c = ud;
  return cv_image_load(path, alt, "image", image_flags(c), &c->inputs,
                       &c->arena, c->d, out);
}

/* "Today" for the document: the CV's date:, a letter's date when it is a
 * day (its own, or its CV's), else the document's date. */
static int64_t doc_day(const render_ctx *c) {
  const cvpdf_node *at = c->root;
  if (c->letter)
    at = cv_node_at(cv_node_get(c->root, "sections"), 0);
  int64_t day;
  return cv_doc_day(at, NULL, &day) > 0 ? day : c->date;
}

static int prepare(render_ctx *c) {
  if (load_theme(c) < 0 || c->top_bad || load_fonts(c) < 0)
    return -1;
  if (cv_photo_load(c->root, image_flags(c), &c->inputs, &c->arena, c->d,
                    &c->photo) < 0)
    return -1;
  if (c->pdfa &&
      cv_pdfa_profile(c->o->input, &c->arena, c->d, &c->icc, &c->icc_len) < 0)
    return -1;
  c->builder = cv_builder_create(c->theme, c->shaper, &c->arena, c->d, c->lang);
  if (!c->builder)
    return oom(c);
  cv_builder_set_date(c->builder, doc_day(c));
  /* A CV repeats its months (each entry's start and end): ICU builds a
   * formatter per date, so even one render keeps what it formatted.  No
   * cache (out of memory) only means formatting each date afresh. */
  cv_datecache *dates = c->o->date_cache;
  if (!dates)
    dates = c->own_dates = cv_datecache_create();
  cv_builder_set_datecache(c->builder, dates);
  cv_builder_set_safe(c->builder, c->o->safe || c->o->confine_files);
  cv_builder_set_inputs(c->builder, &c->inputs);
  cv_builder_set_image_loader(c->builder, load_image, c);
  cv_builder_set_text_langs(c->builder,
                            cv_node_get(c->root, "languages") != NULL);
  return open_outputs(c);
}

/* ---- build_sections --------------------------------------------------- */

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
  const cv_plugin *pl = cv_check_section(ps, sec, d);
  if (!pl)
    return -1;
  const char *type = cv_node_get_str(sec, "type");
  cv_builder_set_type(b, type);
  cv_builder_set_source(b, sec);
  const cvpdf_node *ln = cv_node_get(sec, "lang");
  if (ln && (!ln->str || !cv_lang_key_ok(ln->str))) {
    cv_diag_at(d, CV_SEV_ERROR, ln,
               "lang: expected a language tag (de, pt-BR, zh-Hans), found %s",
               ln->str ? ln->str : "something that is not text");
    return -1;
  }
  cv_builder_set_lang(b, ln ? ln->str : NULL);
  const char *title = cv_node_get_str(sec, "title");
  cv_builder_set_section(b, title, cv_node_get_str(sec, "id"));
  if (title && *title)
    cv_host_table()->heading(b, title);
  int rc = call_build(pl, b, type, sec);
  cv_builder_end_section(b);
  if (rc != 0 && !cv_builder_failed(b))
    cv_diag_at(d, CV_SEV_ERROR, sec,
               "plugin '%s' failed to build this %s section", pl->desc->name,
               type);
  return rc != 0 || cv_builder_failed(b) ? -1 : 0;
}

/* The top level is the header: name, contacts, and the photo beside
 * them. */
static int build_header(render_ctx *c) {
  const cvpdf_section_type *ht = NULL;
  const cv_plugin *hp = cv_plugins_find(c->plugins, "header", &ht);
  if (!hp)
    return 0;
  cv_builder_set_type(c->builder, "header");
  cv_builder_set_source(c->builder, c->root);
  cv_builder_photo_begin(c->builder, c->photo);
  if (call_build(hp, c->builder, "header", c->root) != 0 ||
      cv_builder_failed(c->builder))
    return -1;
  cv_builder_end_section(c->builder);
  cv_builder_photo_end(c->builder);
  return 0;
}

static void warn_missing(const render_ctx *c) {
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
  cv_source src = {.root = c->root};
  const cvpdf_node *at = cv_source_find(&src, u);
  cv_diags_add(c->d, CV_SEV_WARNING, c->model->file, at ? at->line : 0,
               at ? at->col : 0, "no installed font has these characters: %s",
               b.data);
  cv_buf_fini(&b);
}

static int build_sections(render_ctx *c) {
  if (build_header(c) < 0)
    return -1;
  if (cv_check_info(c->d, c->root, c->builder, &c->arena, c->o->input) > 0)
    return -1;
  const cvpdf_node *secs = cv_node_get(c->root, "sections");
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(secs); i++)
    if (build_section(c->builder, c->plugins, cv_node_at(secs, i), c->d) < 0)
      bad = 1;
  c->sections_left = 0;
  if (bad)
    return -1;
  const cv_layout_stats *ls = cv_builder_stats(c->builder);
  cv_render_stats *s = c->stats;
  s->t_shape = ls->t_shape;
  s->t_break = ls->t_break;
  s->lines = ls->lines;
  s->paragraphs = ls->paragraphs;
  s->hyphenated = ls->hyphenated;
  s->overfull = ls->overfull;
  warn_missing(c);
  return 0;
}

/* ---- write_outputs ---------------------------------------------------- */

static void fill_info(render_ctx *c) {
  const char *author = cv_builder_author(c->builder);
  cv_docinfo *info = &c->doc.info;
  info->title = cv_doc_title(c->root, author, &c->arena, c->o->input);
  info->author = author ? author : "";
  info->subject = cv_node_get_str(c->root, "subject");
  if (!info->subject)
    info->subject = c->letter ? "Letter" : "Curriculum Vitae";
  info->keywords = cv_node_get_str(c->root, "keywords");
  info->creator = "cvpdf " CVPDF_VERSION;
  info->lang = c->lang;
  info->date = c->date;
  info->structure = c->untagged ? NULL : cv_builder_structure(c->builder);
  /* PDF/A-2a when tagged (the structure tree), else 2b. */
  info->pdfa = !c->pdfa ? 0 : info->structure ? 'a' : 'b';
  info->icc = c->icc;
  info->icc_len = c->icc_len;
}

/* PNG output: no picture may replace a file the run read (a photo can
 * have a picture's name).  What is no regular file the PNG writer
 * reports itself. */
static int check_png_names(render_ctx *c) {
  size_t n = c->stats->pages ? c->stats->pages : 1;
  for (size_t i = 0; i < n; i++) {
    char *name = cv_png_page_name(c->o->png_output, i, n);
    if (!name)
      return oom(c);
    struct stat sb;
    int bad = stat(name, &sb) == 0 && S_ISREG(sb.st_mode) &&
              cv_check_outputs(name, NULL, &c->inputs, c->d) < 0;
    free(name);
    if (bad)
      return -1;
  }
  return 0;
}

static int write_outputs(render_ctx *c) {
  const cv_render_opts *o = c->o;
  double t = cv_now(), t_sink = c->tee.t;
  if (cv_builder_finish(c->builder) < 0)
    return -1;
  c->stats->t_pages = cv_now() - t - (c->tee.t - t_sink);
  c->stats->pages = c->tee.pages;
  if (o->png_output && check_png_names(c) < 0)
    return -1;
  fill_info(c);
  if (o->trace && cv_put_trace(o, &c->doc, &c->inputs, c->d) < 0)
    return -1;
  t = cv_now();
  if (c->pdf && cv_put_pdf(o, c->pdf, &c->doc.info, c->out, &c->inputs, c->d,
                           &c->stats->bytes) < 0)
    return -1;
  c->stats->t_write = cv_now() - t + c->tee.t;
  return 0;
}

/* ---- one document of a bundle ---------------------------------------- */

int cv_part_continues(const cv_part *p) {
  int n = p->o->page_numbers;
  return n == CV_PAGES_LAYOUT ? p->theme->page_numbers_continue
                              : n == CV_PAGES_CONTINUE;
}

/* The part's first page begins its part of the bundle: its outline entry
 * (the document's title), its structure elements after the earlier
 * parts', its page labels. */
static int begin_part(render_ctx *c) {
  if (!c->place->pdf)
    return 0;
  const char *title = cv_doc_title(c->root, cv_node_get_str(c->root, "name"),
                                   &c->arena, c->o->input);
  cv_status st = {0};
  if (cv_pdf_part(c->place->pdf, title, c->place->tag_base,
                  !cv_part_continues(c), &st) < 0)
    return fail_status(c, &st);
  return 0;
}

cv_part *cv_part_build(const cv_render_opts *o, const cv_part_place *at,
                       cv_diags *d, cv_render_stats *stats) {
  render_ctx *c = calloc(1, sizeof *c);
  if (!c) {
    cv_diags_add(d, CV_SEV_ERROR, o->input, 0, 0, "out of memory");
    return NULL;
  }
  *c = (render_ctx){
      .o = o, .d = d, .stats = stats, .date = doc_date(), .place = at};
  cv_arena_init(&c->arena);
  cv_docout_init(&c->doc);
  cv_inputs_init(&c->inputs);
  int rc = load_document(c) != 0 ? -1 : 0;
  if (rc == 0)
    rc = load_plugins(c);
  if (rc == 0)
    rc = prepare(c) < 0 || begin_part(c) < 0 || build_sections(c) < 0 ? -1 : 0;
  if (rc == 0)
    return c;
  if (c->sections_left && c->plugins)
    cv_check_sections(c->plugins, c->root, d);
  cv_part_free(c);
  return NULL;
}

int cv_part_flush(cv_part *c, size_t *pages) {
  if (cv_builder_flush(c->builder) < 0)
    return -1;
  *pages = cv_builder_pages(c->builder);
  c->stats->pages = *pages;
  return 0;
}

int cv_part_finish(cv_part *c, size_t first, size_t total) {
  if (cv_builder_margins(c->builder, first, total) < 0)
    return -1;
  fill_info(c);
  return 0;
}

const cv_docinfo *cv_part_info(const cv_part *c) {
  return &c->doc.info;
}

int cv_part_pdfa(const cv_part *c) {
  return c->pdfa;
}

const cv_docout *cv_part_pages(const cv_part *c) {
  return &c->doc;
}

const cv_structure *cv_part_structure(const cv_part *c) {
  return cv_builder_structure(c->builder);
}

const cv_inputs *cv_part_inputs(const cv_part *c) {
  return &c->inputs;
}

void cv_part_free(cv_part *c) {
  if (!c)
    return;
  ctx_fini(c);
  free(c);
}

/* ---- the render ------------------------------------------------------- */

static int run_stages(render_ctx *c) {
  double t0 = cv_now(), t;
  int rc = load_document(c);
  if (rc != 0)
    return rc;
  t = cv_now();
  c->stats->t_parse = t - t0;
  if (load_plugins(c) < 0)
    return -1;
  c->stats->t_plugins = cv_now() - t;
  t = cv_now();
  if (prepare(c) < 0 || build_sections(c) < 0)
    return -1;
  c->stats->t_build = cv_now() - t - c->tee.t;
  if (c->o->check_only)
    return 0;
  return write_outputs(c);
}

int cv_render(const cv_render_opts *o, cv_diags *d, cv_render_stats *stats) {
  if (o->safe && !o->outlet)
    return cv_render_isolated(o, d, stats);
  if (o->bundle)
    return cv_render_bundle(o, d, stats);
  cv_render_stats local;
  if (!stats)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  double t0 = cv_now();
  render_ctx c = {.o = o, .d = d, .stats = stats, .date = doc_date()};
  cv_arena_init(&c.arena);
  cv_docout_init(&c.doc);
  cv_inputs_init(&c.inputs);
  int rc = run_stages(&c);
  if (rc == 1) /* an application file */
    rc = cv_render_application(o, c.model, d, stats);
  /* Every problem is listed, by `check` and `render` alike: sections are
   * checked even after an error stopped the build before them. */
  if (c.sections_left && c.plugins)
    cv_check_sections(c.plugins, c.root, d);
  ctx_fini(&c);
  stats->t_total = cv_now() - t0;
  return rc;
}
