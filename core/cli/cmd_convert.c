/* cvpdf - the convert command: any accepted input (JSON Resume, RenderCV,
 * cvpdf's own) written out as cvpdf's own YAML. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "document/convert.h"
#include "document/emit_yaml.h"
#include "text/font.h"
#include "document/lang.h"
#include "pipeline/render.h"

/* The whole check a render does (plugins, fields, dates, layout), writing
 * nothing: a converted file that would not render is not written. */
static int check(const char *input, const char *const *plugin_dirs,
                 const char *lang, cv_diags *diags) {
  cv_dirs d;
  cv_find_dirs(&d);
  cv_render_opts o;
  cv_render_opts_init(&o, &d);
  o.input = input;
  o.plugin_dirs = plugin_dirs;
  o.lang = lang;
  o.check_only = 1;
  return cv_render(&o, diags, NULL);
}

/* lang: translated fields are written in that language alone (NULL: all
 * of them are kept). */
static int convert(const char *input, const char *output, const char *lang,
                   int quiet) {
  cv_diags diags;
  cv_diags_init(&diags);
  cv_limits lim;
  cv_limits_default(&lim);
  int rc = 1;
  cv_inputs inputs;
  cv_inputs_init(&inputs);
  cv_model *m = cv_model_load_input(input, &lim, &inputs, &diags);
  cv_format f = m ? cv_convert_detect(m->root) : CV_FORMAT_NATIVE;
  /* Warnings were printed by the check already. */
  if (!m || cv_convert_to_native_fonts(m, &diags, cv_font_installed) < 0 ||
      (lang && (cv_lang_apply(m->root, lang, 0, &diags) > 0 ||
                cv_lang_settle(m->root, lang, &m->arena) < 0))) {
    cv_print_diags(&diags);
    goto out;
  }
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  char header[512];
  snprintf(header, sizeof header, "Converted by cvpdf from the %s document %s.",
           cv_format_name(f), base);
  cv_status st = {0};
  if (cv_emit_yaml_file(m->root, f == CV_FORMAT_NATIVE ? NULL : header, output,
                        &inputs, &st) < 0) {
    fprintf(stderr, "%s: error: %s\n", output, st.msg);
    goto out;
  }
  if (!quiet && strcmp(output, "-"))
    fprintf(stderr, "cvpdf: wrote %s (cvpdf YAML, from %s)\n", output,
            cv_format_name(f));
  rc = 0;
out:
  cv_model_destroy(m);
  cv_inputs_fini(&inputs);
  cv_diags_fini(&diags);
  return rc;
}

int cv_cmd_convert(int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"lang", required_argument, NULL, 'L'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
  size_t nplugin = 0;
  const char *output = NULL, *lang = NULL;
  int quiet = 0, c;
  cv_opts g = CV_OPTS(argc, argv, "o:p:qh", longopts, plugin_dirs, &nplugin);
  while ((c = cv_opts_next(&g)) >= 0) {
    switch (c) {
    case 'o':
      output = optarg;
      break;
    case 'L':
      lang = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    }
  }
  if (c == CV_OPTS_EXIT)
    return g.status;
  if (argc - optind != 1) {
    fprintf(stderr,
            "cvpdf: convert takes one input file, found %d, as in: cvpdf "
            "convert resume.json -o cv.yaml\n",
            argc - optind);
    return 2;
  }
  const char *input = argv[optind];
  if (!output) {
    fputs("cvpdf: convert needs -o OUT.yaml (- for standard output)\n", stderr);
    return 2;
  }
  cv_diags diags;
  cv_diags_init(&diags);
  int bad = check(input, plugin_dirs, lang, &diags) != 0 || diags.nerrors;
  cv_print_diags(&diags);
  cv_diags_fini(&diags);
  if (bad) {
    fprintf(stderr, "cvpdf: %s: not converted%s\n", input,
            strcmp(output, "-") ? "; the previous output, if any, is untouched"
                                : "");
    return 1;
  }
  return convert(input, output, lang, quiet);
}
