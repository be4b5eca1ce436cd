/* cvpdf - an application file: the documents of a bundle, named in YAML,
 * which `cvpdf render application.yaml` turns into one PDF:
 *
 *   title: Mira Okafor, Data Engineer   # the PDF's title (default: the
 *                                       # first part's)
 *   bundle: [letter.yaml, cv.yaml]      # the parts, relative to this file
 *   layout: modern                      # every part's (default: its own)
 *   lang: de                            # every part's language
 *   page_numbers: continue              # every part's numbering
 *
 * The command line's --layout, --lang and --page-numbers win over these.
 * Parts are opened through base/files.h, beneath the application's
 * directory in safe mode; a part may not be an application itself (so
 * there is no cycle), which the part's own load reports. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/render_int.h"
#include "text/text.h"

static const char *const app_keys[] = {"bundle", "title",        "layout",
                                       "lang",   "page_numbers", NULL};

typedef struct app {
  const cv_render_opts *o;
  cv_diags *d;
  const cvpdf_node *root;
  const char *dir; /* the application's directory; NULL: the working one */
  cv_arena *a;
  int confined;     /* parts and layouts beneath dir only */
  struct stat self; /* the application file */
  int bad;
} app;

static void known_keys(app *p) {
  for (size_t i = 0; i < cv_node_len(p->root); i++) {
    const cvpdf_node *k = cv_node_key_at(p->root, i);
    const char *name = cv_node_str(k);
    size_t j = 0;
    while (name && app_keys[j] && strcmp(app_keys[j], name))
      j++;
    if (name && app_keys[j])
      continue;
    const char *near = name ? cv_nearest(name, app_keys) : NULL;
    cv_diag_at(p->d, CV_SEV_ERROR, k,
               "unknown key '%s' in an application file (expected bundle, "
               "title, layout, lang or page_numbers)%s%s%s",
               name ? name : "?", near ? "; did you mean '" : "",
               near ? near : "", near ? "'?" : "");
    p->bad = 1;
  }
}

/* dir/path, or path when it is absolute or dir is the working one. */
static const char *join(app *p, const char *path) {
  if (!p->dir || path[0] == '/')
    return path;
  return cv_arena_printf(p->a, "%s/%s", p->dir, path);
}

/* The part named at n: its path from the working directory, or NULL
 * after reporting why it cannot be one. */
static const char *part_path(app *p, const cvpdf_node *n) {
  const char *path = cv_node_str(n);
  if (!path || !*path) {
    cv_diag_at(p->d, CV_SEV_ERROR, n,
               "bundle: expected the name of a CV or letter file, found %s",
               path ? "an empty string" : cv_node_kind_name(n));
    return NULL;
  }
  char why[256];
  struct stat sb;
  int fd = cv_input_open(p->dir, path, p->confined ? CV_OPEN_BENEATH : 0, NULL,
                         &sb, why, sizeof why);
  if (fd < 0 && p->confined && errno == EXDEV) {
    cv_diag_at(p->d, CV_SEV_ERROR, n,
               "bundle: expected a file in the application's directory, "
               "found '%s' (files outside it are not read in safe mode)",
               path);
    return NULL;
  }
  if (fd < 0) {
    cv_diag_at(p->d, CV_SEV_ERROR, n, "bundle: cannot read '%s': %s", path,
               why);
    return NULL;
  }
  close(fd);
  if (sb.st_dev == p->self.st_dev && sb.st_ino == p->self.st_ino) {
    cv_diag_at(p->d, CV_SEV_ERROR, n,
               "bundle: expected a CV or letter, found '%s', this "
               "application file itself",
               path);
    return NULL;
  }
  return join(p, path);
}

/* The parts, NULL-terminated, in arena; NULL after reporting. */
static const char **read_parts(app *p) {
  const cvpdf_node *list = cv_node_get(p->root, "bundle");
  size_t n = cv_node_len(list);
  if (list->kind != CVPDF_NODE_SEQ || n == 0) {
    cv_diag_at(p->d, CV_SEV_ERROR, list,
               "bundle: expected a list of files, as in bundle: "
               "[letter.yaml, cv.yaml], found %s",
               list->kind == CVPDF_NODE_SEQ ? "an empty list"
                                            : cv_node_kind_name(list));
    return NULL;
  }
  const char **parts = cv_arena_alloc(p->a, (n + 1) * sizeof *parts);
  if (!parts)
    return NULL;
  int bad = 0;
  for (size_t i = 0; i < n; i++)
    if (!(parts[i] = part_path(p, cv_node_at(list, i))))
      bad = 1;
  parts[n] = NULL;
  return bad ? NULL : parts;
}

/* A text value of the application at key, or NULL (absent, or reported
 * when not text). */
static const char *text_at(app *p, const char *key) {
  const cvpdf_node *n = cv_node_get(p->root, key);
  if (!n)
    return NULL;
  const char *s = cv_node_str(n);
  if (!s || !*s) {
    cv_diag_at(p->d, CV_SEV_ERROR, n, "%s: expected text, found %s", key,
               s ? "an empty string" : cv_node_kind_name(n));
    p->bad = 1;
  }
  return s && *s ? s : NULL;
}

/* The options every part is rendered with: the command line's, else the
 * application's. */
static void part_options(app *p, cv_render_opts *po) {
  const char *layout = text_at(p, "layout");
  const cvpdf_node *at = cv_node_get(p->root, "layout");
  if (layout && !po->layout) {
    if (p->confined && cv_unsafe_layout(at, p->d))
      p->bad = 1;
    size_t len = strlen(layout);
    int path =
        strchr(layout, '/') || (len > 5 && !strcmp(layout + len - 5, ".yaml"));
    po->layout = path ? join(p, layout) : layout;
  }
  const char *lang = text_at(p, "lang");
  if (lang && !cv_language_tag_ok(lang)) {
    cv_diag_at(p->d, CV_SEV_ERROR, cv_node_get(p->root, "lang"),
               "lang: expected a language tag such as en, de or pt-BR, "
               "found '%s'",
               lang);
    p->bad = 1;
  } else if (lang && !po->lang && !po->lang_all) {
    po->lang = lang;
  }
  const char *pn = text_at(p, "page_numbers");
  if (pn && strcmp(pn, "continue") && strcmp(pn, "restart")) {
    cv_diag_at(p->d, CV_SEV_ERROR, cv_node_get(p->root, "page_numbers"),
               "page_numbers: expected continue or restart, found '%s'", pn);
    p->bad = 1;
  } else if (pn && po->page_numbers == CV_PAGES_LAYOUT) {
    po->page_numbers = pn[0] == 'c' ? CV_PAGES_CONTINUE : CV_PAGES_RESTART;
  }
}

int cv_render_application(const cv_render_opts *o, const cv_model *m,
                          cv_diags *d, cv_render_stats *stats) {
  cv_arena a;
  cv_arena_init(&a);
  app p = {.o = o,
           .d = d,
           .root = m->root,
           .a = &a,
           .confined = o->safe || o->confine_files};
  const char *slash = strrchr(m->file, '/');
  if (slash)
    p.dir = slash == m->file
                ? "/"
                : cv_arena_strndup(&a, m->file, (size_t)(slash - m->file));
  if (stat(m->file, &p.self) < 0)
    memset(&p.self, 0, sizeof p.self);
  known_keys(&p);
  cv_render_opts po = *o;
  part_options(&p, &po);
  const char *title = text_at(&p, "title");
  if (title && cv_pdf_text_units(title) > CV_PDF_MAX_TEXT) {
    cv_diag_at(d, CV_SEV_ERROR, cv_node_get(p.root, "title"),
               "title: expected at most %d characters (UTF-16 code units: "
               "the most a PDF string holds), found %zu",
               CV_PDF_MAX_TEXT, cv_pdf_text_units(title));
    p.bad = 1;
  }
  const char **parts = read_parts(&p);
  char *def = o->output ? NULL : cv_default_output(o->input);
  int rc = -1;
  if (parts && !p.bad && (o->output || def)) {
    po.bundle = parts;
    po.output = o->output ? o->output : def;
    cv_inputs app_in;
    cv_inputs_init(&app_in);
    if (p.self.st_ino && cv_inputs_add(&app_in, &p.self, m->file) < 0)
      cv_diags_add(d, CV_SEV_ERROR, m->file, 0, 0, "out of memory");
    else
      rc = cv_render_bundle_of(&po, title, &app_in, d, stats);
    cv_inputs_fini(&app_in);
  }
  free(def);
  cv_arena_fini(&a);
  return rc;
}
