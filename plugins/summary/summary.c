/* cvpdf plugin: summary - free text paragraphs (research vision,
 * interests, a profile). */
#include <cvpdf/cvpdf.h>

static const cvpdf_field summary_fields[] = {
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED | CVPDF_FIELD_ONE_OR_MORE,
     "the text: one paragraph, or a list of paragraphs; inline markup allowed",
     NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type summary_types[] = {
    {.name = "summary",
     .doc = "free text paragraphs",
     .fields = summary_fields},
    {.name = NULL}};

static int summary_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                         const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const cvpdf_node *text = h->get(section, "text");
  size_t n = h->len(text);
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      h->space(b, "small");
    h->paragraph(b, "summary", h->str(h->at(text, i)));
  }
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,    .name = "summary",      .version = "1.0.0",
    .types = summary_types, .build = summary_build,
};
