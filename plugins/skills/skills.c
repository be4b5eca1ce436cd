/* cvpdf plugin: skills - label/value lists: skills, coursework, languages,
 * citizenship, other activities.
 *
 * A section (and each of its groups) may hold, printed in the order
 * written:
 *   items   label: value lines as a mapping ("Languages: English, ...");
 *           a value may be a list, joined with commas;
 *   pairs   the same as a list of {label, value} or {label, items};
 *   text    a plain paragraph without label ("Python, PyTorch, R, ...");
 *   groups  (section only) titled groups of the above, the title set as a
 *           subheading (the academic-cv example: "Relevant Coursework").
 */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field pair_fields[] = {
    {"label", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "the label, e.g. Languages", NULL},
    {"value", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "the text after the label; a list is joined with commas", NULL},
    {"items", CVPDF_FIELD_LIST, 0,
     "the value as a list, joined with commas (instead of value)", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field group_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "the group's title, plain text, e.g. Relevant Coursework", NULL},
    {"items", CVPDF_FIELD_DICT, 0,
     "label: value lines; a value may be a list of strings", NULL},
    {"pairs", CVPDF_FIELD_LIST, 0,
     "label/value lines as a list of {label, value}", pair_fields},
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "plain paragraph(s) without a label", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field skills_fields[] = {
    {"items", CVPDF_FIELD_DICT, 0,
     "label: value lines; a value may be a list of strings", NULL},
    {"pairs", CVPDF_FIELD_LIST, 0,
     "label/value lines as a list of {label, value} or {label, items}",
     pair_fields},
    {"groups", CVPDF_FIELD_LIST, 0,
     "titled groups, each with its own items, pairs or text", group_fields},
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "plain paragraph(s) without a label, e.g. Python, PyTorch, R", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type skills_types[] = {
    {.name = "skills",
     .doc = "label/value lists: skills, coursework, languages",
     .fields = skills_fields},
    {.name = NULL}};

static void build_text(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *text) {
  for (size_t i = 0; i < h->len(text); i++)
    h->paragraph(b, "body", h->str(h->at(text, i)));
}

/* items/pairs/text of a mapping (the section or a group), in the order
 * written; *parts counts what was printed.  Groups are handled by the
 * caller, so a group cannot nest another. */
static int build_parts(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *map, int *parts) {
  int rc = 0;
  for (size_t k = 0; k < h->len(map); k++) {
    const char *key = h->key_at(map, k);
    const cvpdf_node *v = h->value_at(map, k);
    if (!strcmp(key, "items"))
      cvpdf_pairs_map(h, b, v);
    else if (!strcmp(key, "pairs"))
      rc |= cvpdf_pairs_list(h, b, v);
    else if (!strcmp(key, "text"))
      build_text(h, b, v);
    else if (!strcmp(key, "groups"))
      for (size_t i = 0; i < h->len(v); i++) {
        const cvpdf_node *g = h->at(v, i);
        int inner = 0;
        /* The host keeps a subheading with the lines after it. */
        h->subheading(b, h->get_str(g, "title"));
        rc |= build_parts(h, b, g, &inner);
      }
    else
      continue; /* type, title, id, tags */
    (*parts)++;
  }
  return rc;
}

static int skills_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  int parts = 0;
  int rc = build_parts(h, b, section, &parts);
  if (!parts) {
    h->error(b, section,
             "skills section has nothing to print; give it 'items', 'pairs', "
             "'groups' or 'text'");
    return 1;
  }
  return rc;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,   .name = "skills",      .version = "1.0.0",
    .types = skills_types, .build = skills_build,
};
