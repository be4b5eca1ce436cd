/* cvpdf - the command line: usage, data directories and the command
 * table.  Each command lives in its own cmd_*.c. */
#define _POSIX_C_SOURCE 200809L
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "cli.h"
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

const char cv_usage[] =
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

void cv_find_dirs(cv_dirs *d) {
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
  d->layout_dirs[0] = d->layouts;
  d->layout_dirs[1] = NULL;
  d->font_dirs[0] = d->fonts;
  d->font_dirs[1] = NULL;
  d->hyph_dirs[0] = "/usr/share/hyphen";
  d->hyph_dirs[1] = NULL;
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(cv_usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("cvpdf %s (plugin ABI %d.%d)\n", CVPDF_VERSION, CVPDF_ABI_MAJOR,
           CVPDF_ABI_MINOR);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(cv_usage, stdout);
    return 0;
  }
  static const struct {
    const char *name;
    cv_command_fn fn;
  } commands[] = {{"render", cv_cmd_render}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    if (strcmp(cmd, commands[i].name))
      continue;
    int rc = commands[i].fn(argc - 1, argv + 1);
    /* The process owns fontconfig's global configuration: release it so
     * leak checkers see only what cvpdf itself failed to free. */
    FcFini();
    return rc;
  }
  fprintf(stderr, "cvpdf: unknown command '%s'\nTry 'cvpdf --help'.\n", cmd);
  return 2;
}
