/* cvpdf - what the commands share: where the data is, the render options
 * they start from, repeatable options and how diagnostics print. */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pipeline/render.h"

void cv_find_dirs(cv_dirs *d) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  int in_build = 0;
  if (n > 0) {
    exe[n] = '\0';
    char *dir = dirname(exe);
    /* Only the binary the build made, not any file under the build root:
     * a test may install into a prefix inside it. */
    in_build = !strcmp(dir, CVPDF_BUILD_ROOT "/core");
  }
  if (in_build) {
    snprintf(d->plugin, sizeof d->plugin, "%s/plugins", CVPDF_BUILD_ROOT);
    snprintf(d->layouts, sizeof d->layouts, "%s/layouts", CVPDF_SOURCE_ROOT);
    snprintf(d->fonts, sizeof d->fonts, "%s/fonts", CVPDF_SOURCE_ROOT);
    snprintf(d->locales, sizeof d->locales, "%s/locales", CVPDF_SOURCE_ROOT);
  } else {
    snprintf(d->plugin, sizeof d->plugin, "%s", CVPDF_PLUGINDIR);
    snprintf(d->layouts, sizeof d->layouts, "%s/layouts", CVPDF_DATADIR);
    snprintf(d->fonts, sizeof d->fonts, "%s/fonts", CVPDF_DATADIR);
    snprintf(d->locales, sizeof d->locales, "%s/locales", CVPDF_DATADIR);
  }
  d->layout_dirs[0] = d->layouts;
  d->layout_dirs[1] = NULL;
  d->font_dirs[0] = d->fonts;
  d->font_dirs[1] = NULL;
  d->hyph_dirs[0] = "/usr/share/hyphen";
  d->hyph_dirs[1] = NULL;
  d->locale_dirs[0] = d->locales;
  d->locale_dirs[1] = NULL;
}

void cv_render_opts_init(cv_render_opts *o, const cv_dirs *d) {
  memset(o, 0, sizeof *o);
  cv_limits_default(&o->limits);
  o->default_plugin_dir = d->plugin;
  o->layout_dirs = d->layout_dirs;
  o->font_dirs = d->font_dirs;
  o->hyph_dirs = d->hyph_dirs;
  o->locale_dirs = d->locale_dirs;
}

int cv_push_arg(const char **list, size_t *n, const char *value,
                const char *option) {
  if (*n == CV_MAX_DIRS) {
    fprintf(stderr, "cvpdf: at most %d %s options\n", CV_MAX_DIRS, option);
    return -1;
  }
  list[(*n)++] = value;
  list[*n] = NULL;
  return 0;
}

int cv_common_opt(int c, const char *arg, const char **dirs, size_t *n) {
  if (c == 'p' && dirs)
    return cv_push_arg(dirs, n, arg, "--plugin-dir") < 0 ? 2 : -1;
  if (c == 'h') {
    fputs(cv_usage, stdout);
    return 0;
  }
  fputs("Try 'cvpdf --help'.\n", stderr);
  return 2;
}

int cv_opts_next(cv_opts *g) {
  if (!g->started) {
    optind = 1;
    g->started = 1;
  }
  for (;;) {
    int c = getopt_long(g->argc, g->argv, g->shortopts, g->longopts, NULL);
    if (c == -1 || (c != 'p' && c != 'h' && c != '?' && c != ':'))
      return c;
    g->status = cv_common_opt(c, optarg, g->dirs, g->ndirs);
    if (g->status >= 0)
      return CV_OPTS_EXIT;
  }
}

void cv_print_diags(const cv_diags *d) {
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < d->n; i++) {
    cv_buf_reset(&b);
    cv_diag_format(&d->v[i], &b);
    fprintf(stderr, "%s\n", b.data ? b.data : "");
  }
  cv_buf_fini(&b);
}

/* Memory-backed where there is one: the PDF a preview or a PNG is drawn
 * from is synced before it is renamed into place, which a tmpfs makes
 * free. */
int cv_private_tmpdir(char *out, size_t cap, const char *what) {
  const char *base = getenv("XDG_RUNTIME_DIR");
  struct stat sb;
  if (!base || !*base || access(base, W_OK) < 0)
    base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
                   access("/dev/shm", W_OK) == 0
               ? "/dev/shm"
               : getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  if ((size_t)snprintf(out, cap, "%s/cvpdf-%s-XXXXXX", base, what) >= cap ||
      !mkdtemp(out)) {
    fprintf(stderr, "cvpdf: cannot make a directory in %s: %s\n", base,
            strerror(errno));
    return -1;
  }
  return 0;
}
