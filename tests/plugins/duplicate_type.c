/* Test plugin: declares "alpha", which good.c also declares, and "delta",
 * which nobody else declares. */
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

static int dup_build(void *state, const cvpdf_host *host, cvpdf_builder *b,
                     const char *type, const cvpdf_node *section) {
  (void)state;
  (void)host;
  (void)b;
  (void)type;
  (void)section;
  return 0;
}

static const cvpdf_section_type dup_types[] = {
    {.name = "alpha"}, {.name = "delta"}, {.name = NULL}};

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER, .name = "dup",      .version = "1.0",
    .types = dup_types,  .build = dup_build,
};
