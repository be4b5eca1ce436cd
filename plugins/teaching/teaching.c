/* cvpdf plugin: teaching - courses taught, assisted or lectured:
 *
 *   CMU 18-786 (Introduction to Deep Learning)            Pittsburgh, PA
 *   TEACHING ASSISTANT & GUEST LECTURER                Jan 2024 - May 2024
 *   - Teaching recitations, ...
 */
#include <cvpdf/cvpdf.h>

static const cvpdf_field entry_fields[] = {
    {"course", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "course number and name, or the teaching organisation", NULL},
    {"role", CVPDF_FIELD_STRING, 0,
     "your role: teaching assistant, guest lecturer, instructor", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "institution or city", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "first term, e.g. Jan 2024", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "last term, or 'present'", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "a single date (a guest lecture)", NULL},
    {"dates", CVPDF_FIELD_LIST, 0,
     "several single dates for a course taught in separate terms", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "bullet points: what you taught or built", NULL},
    {"url", CVPDF_FIELD_URL, 0, "course page, links the course name", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field teaching_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the courses, most recent first", entry_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type teaching_types[] = {
    {.name = "teaching",
     .doc = "courses taught: course, role, dates, highlights",
     .fields = teaching_fields},
    {.name = NULL}};

static void build_entry(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e) {
  const char *course =
      cvpdf_linked(h, b, h->get_str(e, "course"), h->get_str(e, "url"));
  const char *role = h->get_str(e, "role");
  const char *location = h->get_str(e, "location");
  const char *dates = cvpdf_dates(h, b, e);
  h->entry_begin(b, NULL);
  cvpdf_head_rows(h, b, course, role, location, dates);
  cvpdf_list(h, b, h->get(e, "highlights"), CVPDF_LIST_BULLET);
  h->entry_end(b);
}

static int teaching_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                          const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const cvpdf_node *entries = h->get(section, "entries");
  for (size_t i = 0; i < h->len(entries); i++)
    build_entry(h, b, h->at(entries, i));
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,     .name = "teaching",      .version = "1.0.0",
    .types = teaching_types, .build = teaching_build,
};
