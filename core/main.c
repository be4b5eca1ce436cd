/* cvpdf - the command line. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "render.h"

#define MAX_DIRS 16

static const char usage[] =
    "Usage: cvpdf render CV.yaml [-o OUT.pdf] [--layout NAME]\n"
    "                    [--plugin-dir DIR]... [--trace FILE] [-q] [--timing]\n"
    "       cvpdf --version\n"
    "       cvpdf --help\n"
    "\n"
    "Typesets a CV written in YAML into a PDF.\n"
    "\n"
    "Commands:\n"
    "  render CV        write CV's PDF (CV.yaml -> CV.pdf unless -o is given)\n"
    "\n"
    "Options of render:\n"
    "  -o, --output FILE     write the PDF to FILE; a failed run leaves an\n"
    "                        existing FILE untouched\n"
    "  -l, --layout NAME     use layout NAME (a file in the layouts dir, or a\n"
    "                        path to a .yaml layout) instead of the CV's\n"
    "  -p, --plugin-dir DIR  look for section plugins in DIR first (repeatable)\n"
    "      --trace FILE      also write a plain-text trace of every placed run\n"
    "                        (- for standard output)\n"
    "  -q, --quiet           print nothing on success\n"
    "      --timing          print where the time went\n"
    "\n"
    "Environment:\n"
    "  CVPDF_PLUGIN_PATH     colon-separated plugin dirs, after --plugin-dir\n"
    "  SOURCE_DATE_EPOCH     creation date written into the PDF\n"
    "\n"
    "Exit status: 0 on success, 1 when the CV could not be rendered, 2 on a\n"
    "usage error.  See cvpdf(1).\n";

/* Where plugins, layouts and font manifests are: next to the sources when
 * the binary runs from its build tree, else the install dirs. */
typedef struct dirs {
  char plugin[PATH_MAX];
  char layouts[PATH_MAX];
  char fonts[PATH_MAX];
} dirs;

static void find_dirs(dirs *d) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  int in_build = 0;
  if (n > 0) {
    exe[n] = '\0';
    char *dir = dirname(exe);
    size_t bl = strlen(CVPDF_BUILD_ROOT);
    in_build = !strncmp(dir, CVPDF_BUILD_ROOT, bl) &&
               (dir[bl] == '\0' || dir[bl] == '/');
  }
  if (in_build) {
    snprintf(d->plugin, sizeof d->plugin, "%s/plugins", CVPDF_BUILD_ROOT);
    snprintf(d->layouts, sizeof d->layouts, "%s/layouts", CVPDF_SOURCE_ROOT);
    snprintf(d->fonts, sizeof d->fonts, "%s/fonts", CVPDF_SOURCE_ROOT);
  } else {
    snprintf(d->plugin, sizeof d->plugin, "%s", CVPDF_PLUGINDIR);
    snprintf(d->layouts, sizeof d->layouts, "%s/layouts", CVPDF_DATADIR);
    snprintf(d->fonts, sizeof d->fonts, "%s/fonts", CVPDF_DATADIR);
  }
}

static void print_diags(const cv_diags *d) {
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < d->n; i++) {
    cv_buf_reset(&b);
    cv_diag_format(&d->v[i], &b);
    fprintf(stderr, "%s\n", b.data ? b.data : "");
  }
  cv_buf_fini(&b);
}

static void print_timing(const cv_render_stats *s) {
  fprintf(stderr,
          "  parse %.2f ms, plugins %.2f ms, build %.2f ms (shaping %.2f ms, "
          "line breaking %.2f ms), pages %.2f ms, write %.2f ms\n"
          "  %zu paragraphs, %zu lines, %zu hyphenated, %zu overfull\n",
          s->t_parse * 1e3, s->t_plugins * 1e3, s->t_build * 1e3,
          s->t_shape * 1e3, s->t_break * 1e3, s->t_pages * 1e3,
          s->t_write * 1e3, s->paragraphs, s->lines, s->hyphenated,
          s->overfull);
}

static int cmd_render(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"layout", required_argument, NULL, 'l'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"trace", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},
      {"timing", no_argument, NULL, 'T'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cv_render_opts o;
  memset(&o, 0, sizeof o);
  cv_limits_default(&o.limits);
  const char *plugin_dirs[MAX_DIRS + 1] = {0};
  size_t nplugin = 0;
  int quiet = 0, timing = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:l:p:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o':
      o.output = optarg;
      break;
    case 'l':
      o.layout = optarg;
      break;
    case 'p':
      if (nplugin == MAX_DIRS) {
        fprintf(stderr, "cvpdf: at most %d --plugin-dir options\n", MAX_DIRS);
        return 2;
      }
      plugin_dirs[nplugin++] = optarg;
      break;
    case 't':
      o.trace = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'T':
      timing = 1;
      break;
    case 'h':
      fputs(usage, stdout);
      return 0;
    default:
      fputs("Try 'cvpdf --help'.\n", stderr);
      return 2;
    }
  }
  if (optind >= argc) {
    fputs("cvpdf: render needs a CV file, as in: cvpdf render cv.yaml\n",
          stderr);
    return 2;
  }
  if (argc - optind > 1) {
    fprintf(stderr, "cvpdf: render takes one CV file, found %d\n",
            argc - optind);
    return 2;
  }
  dirs d;
  find_dirs(&d);
  const char *layout_dirs[] = {d.layouts, NULL};
  const char *font_dirs[] = {d.fonts, NULL};
  const char *hyph_dirs[] = {"/usr/share/hyphen", NULL};
  o.input = argv[optind];
  o.plugin_dirs = plugin_dirs;
  o.default_plugin_dir = d.plugin;
  o.layout_dirs = layout_dirs;
  o.font_dirs = font_dirs;
  o.hyph_dirs = hyph_dirs;
  cv_diags diags;
  cv_diags_init(&diags);
  cv_render_stats stats;
  int rc = cv_render(&o, &diags, &stats);
  print_diags(&diags);
  if (rc == 0 && !quiet)
    fprintf(stderr, "cvpdf: wrote %s (%zu page%s, %zu bytes) in %.1f ms\n",
            stats.output, stats.pages, stats.pages == 1 ? "" : "s",
            stats.bytes, stats.t_total * 1e3);
  if (rc != 0)
    fprintf(stderr, "cvpdf: %s: not rendered%s\n", o.input,
                    o.output || stats.output[0] ? "; the previous output, if any, is untouched" : "");
  if (timing)
    print_timing(&stats);
  cv_diags_fini(&diags);
  return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("cvpdf %s (plugin ABI %d.%d)\n", CVPDF_VERSION, CVPDF_ABI_MAJOR,
           CVPDF_ABI_MINOR);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(cmd, "render")) {
    int rc = cmd_render(argc - 1, argv + 1);
    /* The process owns fontconfig's global configuration: release it so
     * leak checkers see only what cvpdf itself failed to free. */
    FcFini();
    return rc;
  }
  fprintf(stderr, "cvpdf: unknown command '%s'\nTry 'cvpdf --help'.\n", cmd);
  return 2;
}
