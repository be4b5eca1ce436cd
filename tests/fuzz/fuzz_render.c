/* Fuzz target: the whole render path (model, plugins, layout, PDF writer)
 * with the classic layout and the built plugins, on any input bytes,
 * offline: a photo given as a web address is looked up in the photo cache
 * only, never fetched. */
#define _POSIX_C_SOURCE 200809L
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void) {
  FcFini();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int registered;
  if (!registered++)
    atexit(cleanup); /* fontconfig's globals, for leak checkers */
  if (size > 65536)
    return 0;
  char out[64];
  snprintf(out, sizeof out, "/tmp/cvpdf-fuzz-%ld.pdf", (long)getpid());
  const char *layouts[] = {CVPDF_SOURCE_ROOT "/layouts", NULL};
  const char *fonts[] = {CVPDF_SOURCE_ROOT "/fonts", NULL};
  const char *hyph[] = {"/usr/share/hyphen", NULL};
  const char *locales[] = {CVPDF_SOURCE_ROOT "/locales", NULL};
  cv_render_opts o;
  memset(&o, 0, sizeof o);
  cv_limits_default(&o.limits);
  o.limits.max_nodes = 100000;
  o.input = "fuzz.yaml";
  o.data = (const char *)data;
  o.len = size;
  o.output = out;
  o.layout = "classic";
  o.default_plugin_dir = CVPDF_BUILD_ROOT "/plugins";
  o.layout_dirs = layouts;
  o.font_dirs = fonts;
  o.hyph_dirs = hyph;
  o.locale_dirs = locales;
  o.offline = 1; /* a web photo in the input is never fetched */
  cv_diags d;
  cv_diags_init(&d);
  int rc = cv_render(&o, &d, NULL);
  if (rc != 0 && d.nerrors == 0)
    abort(); /* a failed render must say why */
  cv_diags_fini(&d);
  unlink(out);
  return 0;
}
