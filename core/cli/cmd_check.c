/* cvpdf - the check command: every problem of a CV, without writing a
 * PDF. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pipeline/render.h"

/* Diagnostics come from several passes (tags, top level, sections, the
 * build); a reader wants them in the order of the file.  Ties keep the
 * order they were found in. */
static int cmp_diag(const void *pa, const void *pb) {
  const cv_diag *a = *(const cv_diag *const *)pa;
  const cv_diag *b = *(const cv_diag *const *)pb;
  int fa = a->file != NULL, fb = b->file != NULL;
  if (fa != fb)
    return fa - fb; /* messages without a position first */
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return a < b ? -1 : a > b;
}

static void print_sorted(const cv_diags *d) {
  const cv_diag **v = cv_malloc_n(d->n ? d->n : 1, sizeof *v);
  if (!v) {
    cv_print_diags(d);
    return;
  }
  for (size_t i = 0; i < d->n; i++)
    v[i] = &d->v[i];
  qsort(v, d->n, sizeof *v, cmp_diag);
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < d->n; i++) {
    cv_buf_reset(&b);
    cv_diag_format(v[i], &b);
    fprintf(stderr, "%s\n", b.data ? b.data : "");
  }
  cv_buf_fini(&b);
  free(v);
}

int cv_cmd_check(int argc, char **argv) {
  static const struct option longopts[] = {
      {"layout", required_argument, NULL, 'l'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"only", required_argument, NULL, 'O'},
      {"lang", required_argument, NULL, 'L'},
      {"quiet", no_argument, NULL, 'q'},
      {"offline", no_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cv_dirs d;
  cv_find_dirs(&d);
  cv_render_opts o;
  cv_render_opts_init(&o, &d);
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
  const char *only[CV_MAX_DIRS + 1] = {0};
  size_t nplugin = 0, nonly = 0;
  int quiet = 0, c;
  cv_opts g = CV_OPTS(argc, argv, "l:p:qh", longopts, plugin_dirs, &nplugin);
  while ((c = cv_opts_next(&g)) >= 0) {
    switch (c) {
    case 'l':
      o.layout = optarg;
      break;
    case 'O':
      if (cv_push_arg(only, &nonly, optarg, "--only"))
        return 2;
      break;
    case 'L': /* all: every missing translation */
      o.lang_all = !strcmp(optarg, "all");
      o.lang = o.lang_all ? NULL : optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'o':
      o.offline = 1;
      break;
    }
  }
  if (c == CV_OPTS_EXIT)
    return g.status;
  if (optind >= argc) {
    fputs("cvpdf: check needs a CV file, as in: cvpdf check cv.yaml\n", stderr);
    return 2;
  }
  o.plugin_dirs = plugin_dirs;
  o.only = nonly ? only : NULL;
  o.check_only = 1;
  int failed = 0;
  for (int i = optind; i < argc; i++) {
    o.input = argv[i];
    cv_diags diags;
    cv_diags_init(&diags);
    int rc = cv_render(&o, &diags, NULL);
    print_sorted(&diags);
    size_t warnings = diags.n > diags.nerrors ? diags.n - diags.nerrors : 0;
    /* A failure without a message (out of memory) still counts. */
    size_t errors = diags.nerrors ? diags.nerrors : (rc != 0);
    if (errors)
      failed = 1;
    if (errors || warnings || !quiet)
      fprintf(stderr, "cvpdf: %s: %s%zu error%s, %zu warning%s\n", o.input,
              errors ? "" : "ok; ", errors, errors == 1 ? "" : "s", warnings,
              warnings == 1 ? "" : "s");
    cv_diags_fini(&diags);
  }
  return failed;
}
