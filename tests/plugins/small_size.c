/* Test plugin: a descriptor whose size says it ends before fini, as if built
 * against headers older than ABI 1.0. */
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

static int small_build(void *state, const cvpdf_host *host, cvpdf_builder *b,
                       const char *type, const cvpdf_node *section) {
  (void)state;
  (void)host;
  (void)b;
  (void)type;
  (void)section;
  return 0;
}

static const cvpdf_section_type small_types[] = {{.name = "tiny"},
                                                 {.name = NULL}};

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    .abi_major = CVPDF_ABI_MAJOR,
    .abi_minor = CVPDF_ABI_MINOR,
    .size = offsetof(cvpdf_plugin, fini),
    .name = "small",
    .version = "1.0",
    .types = small_types,
    .build = small_build,
};
