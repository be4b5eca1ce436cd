/* cvpdf - the names of PNG pages: shared by the core, which names the
 * files it reports, and the rasteriser module, which writes them. */
#include "output/raster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cv_png_page_name(const char *out, size_t i, size_t n) {
  size_t len = strlen(out);
  size_t stem = len >= 4 && !strcmp(out + len - 4, ".png") ? len - 4 : len;
  int width = snprintf(NULL, 0, "%zu", n);
  size_t cap = stem + (size_t)width + 8;
  char *name = malloc(cap);
  if (!name)
    return NULL;
  if (n == 1)
    snprintf(name, cap, "%.*s.png", (int)stem, out);
  else
    snprintf(name, cap, "%.*s-%0*zu.png", (int)stem, out, width, i + 1);
  return name;
}
