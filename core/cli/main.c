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

#include "cli/cli.h"
#include "pipeline/render.h"
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

const char cv_usage[] =
    "Usage: cvpdf render CV.yaml... [-o OUT.pdf|DIR] [-j N] [--layout NAME]\n"
    "                    [--plugin-dir DIR]... [--trace FILE] [-q] [--timing]\n"
    "                    [--safe [--max-seconds N]]\n"
    "       cvpdf plugins [--plugin-dir DIR]... [-v]\n"
    "       cvpdf check CV.yaml... [--layout NAME] [--plugin-dir DIR]... [-q]\n"
    "       cvpdf watch CV.yaml [render options]\n"
    "       cvpdf new \"Full Name\" [-o cv.yaml] [--force]\n"
    "       cvpdf schema [-o FILE] [--plugin-dir DIR]...\n"
    "       cvpdf convert IN -o OUT.yaml [--plugin-dir DIR]... [-q]\n"
    "       cvpdf --version\n"
    "       cvpdf --help\n"
    "\n"
    "Typesets a CV written in YAML into a PDF.\n"
    "\n"
    "Commands:\n"
    "  render CV        write CV's PDF (CV.yaml -> CV.pdf unless -o is given)\n"
    "  plugins          list the section plugins found: name, version, section\n"
    "                   types, file (-v: each type's description)\n"
    "  check CV...      list every problem of each CV (file:line:col), write\n"
    "                   nothing; exit 1 if any is an error\n"
    "  watch CV         render CV, then again each time it is saved, printing\n"
    "                   how long each render took; Ctrl-C stops\n"
    "  new NAME         write a starter cv.yaml (or -o FILE) that renders as\n"
    "                   is; never replaces a file unless --force is given\n"
    "  schema           print a JSON Schema of the CV format, from the fields\n"
    "                   the plugins declare, for editors (or -o FILE)\n"
    "  convert IN       write IN (a JSON Resume or RenderCV file, or a CV) as\n"
    "                   cvpdf's own YAML to OUT.yaml (- for standard output)\n"
    "\n"
    "Options of render:\n"
    "  -o, --output FILE     write the PDF to FILE; a failed run leaves an\n"
    "                        existing FILE untouched\n"    "                        (several CVs: -o names a directory; without -o\n"
    "                        each PDF goes next to its CV)\n"
    "  -j, --jobs N          render several CVs in N parallel threads; one\n"
    "                        failed CV does not stop the others (exit 1)\n"
    "  -l, --layout NAME     use layout NAME (a file in the layouts dir, or a\n"
    "                        path to a .yaml layout) instead of the CV's\n"
    "  -p, --plugin-dir DIR  look for section plugins in DIR first (repeatable)\n"
    "      --trace FILE      also write a plain-text trace of every placed run\n"
    "                        (- for standard output)\n"
    "  -q, --quiet           print nothing on success\n"
    "      --timing          print where the time went\n"
    "      --only TAG        print only untagged items and those tagged TAG\n"
    "                        (repeatable; also an option of check)\n"
    "      --safe            for services rendering CVs they do not trust:\n"
    "                        files the CV names are resolved beneath its\n"
    "                        directory (symlinks out of it refused), no\n"
    "                        CVPDF_PLUGIN_PATH, installed layouts only, links\n"
    "                        http(s), mailto and tel only; each render runs\n"
    "                        in a child process (1 GiB of memory, 64 files,\n"
    "                        64 MiB file size, no core dump; seccomp: no\n"
    "                        network, no programs or processes, no file\n"
    "                        opened for writing) that sends its PDF back; a\n"
    "                        crash, loop or exit() in a plugin is an error\n"
    "                        naming it, and a batch goes on.  It does not\n"
    "                        stop a plugin reading what the user may read:\n"
    "                        see SAFE MODE in cvpdf(1)\n"
    "      --max-seconds N   with --safe, stop a render after N s of CPU time\n"
    "                        or 2N s of real time (default 60)\n"
    "      --max-pages N     fail when the PDF would have more than N pages\n"
    "                        (default 500)\n"
    "      --max-input-bytes N  refuse a CV file larger than N bytes\n"
    "                        (K, M, G allowed; default 16M)\n"
    "      --max-string N    refuse a text value over N bytes (default 1M)\n"
    "      --max-depth N     refuse nesting deeper than N levels (default 64)\n"
    "      --max-nodes N     refuse a CV of more than N values, aliases\n"
    "                        counted as expanded (default 1000000)\n"
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
    /* Only the binary the build made, not any file under the build root:
     * a test may install into a prefix inside it. */
    in_build = !strcmp(dir, CVPDF_BUILD_ROOT "/core");
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

void cv_render_opts_init(cv_render_opts *o, const cv_dirs *d) {
  memset(o, 0, sizeof *o);
  cv_limits_default(&o->limits);
  o->default_plugin_dir = d->plugin;
  o->layout_dirs = d->layout_dirs;
  o->font_dirs = d->font_dirs;
  o->hyph_dirs = d->hyph_dirs;
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
  } commands[] = {{"render", cv_cmd_render}, {"plugins", cv_cmd_plugins},
                   {"schema", cv_cmd_schema}, {"new", cv_cmd_new},
                   {"check", cv_cmd_check}, {"watch", cv_cmd_watch},
                   {"convert", cv_cmd_convert}};
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
