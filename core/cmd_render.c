/* cvpdf - the render command. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

extern const char cv_usage[];

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

int cv_cmd_render(int argc, char **argv) {
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
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
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
      if (nplugin == CV_MAX_DIRS) {
        fprintf(stderr, "cvpdf: at most %d --plugin-dir options\n", CV_MAX_DIRS);
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
      fputs(cv_usage, stdout);
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
  cv_dirs d;
  cv_find_dirs(&d);
  o.input = argv[optind];
  o.plugin_dirs = plugin_dirs;
  o.default_plugin_dir = d.plugin;
  o.layout_dirs = d.layout_dirs;
  o.font_dirs = d.font_dirs;
  o.hyph_dirs = d.hyph_dirs;
  cv_diags diags;
  cv_diags_init(&diags);
  cv_render_stats stats;
  int rc = cv_render(&o, &diags, &stats);
  cv_print_diags(&diags);
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

