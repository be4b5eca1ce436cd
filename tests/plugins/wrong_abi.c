/* Test plugin: a descriptor from a future, incompatible plugin ABI. */
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

static int wrong_build(void *state, const cvpdf_host *host, cvpdf_builder *b,
                       const char *type, const cvpdf_node *section) {
  (void)state;
  (void)host;
  (void)b;
  (void)type;
  (void)section;
  return 0;
}

static const cvpdf_section_type wrong_types[] = {{.name = "omega"},
                                                 {.name = NULL}};

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    .abi_major = CVPDF_ABI_MAJOR + 1,
    .abi_minor = 0,
    .size = sizeof(cvpdf_plugin),
    .name = "wrong",
    .version = "1.0",
    .types = wrong_types,
    .build = wrong_build,
};
