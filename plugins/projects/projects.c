/* cvpdf plugin: projects - personal, course and hackathon projects:
 *
 *   DDLs                                             Dec 2017 - May 2018
 *   Course Project: Design and Development of ...       Guangzhou, China
 *   Backend code · Frontend code
 *   - Developed DDLs, an Android application ...
 */
#include <cvpdf/cvpdf.h>

static const cvpdf_field link_fields[] = {
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "the link's text, e.g. Backend code", NULL},
    {"url", CVPDF_FIELD_URL, CVPDF_FIELD_REQUIRED, "where it points", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field entry_fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "project name", NULL},
    {"subtitle", CVPDF_FIELD_STRING, 0,
     "a line under the name: kind of project, competition, one-line pitch",
     NULL},
    {"start", CVPDF_FIELD_DATE, 0, "first date, e.g. Dec 2017", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "last date, or 'present'", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "a single date", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"url", CVPDF_FIELD_URL, 0, "link for the project name", NULL},
    {"links", CVPDF_FIELD_LIST, 0,
     "further links printed under the head: [{text, url}]", link_fields},
    {"description", CVPDF_FIELD_STRING, 0,
     "a paragraph about the project, before the bullets", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "bullet points: what you built", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field projects_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the projects, most recent first", entry_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type projects_types[] = {
    {.name = "projects",
     .doc = "projects: name, dates, subtitle, links, highlights",
     .fields = projects_fields},
    {.name = NULL}};

/* The links as one run of markup, separated by a middle dot. */
static const char *links_line(const cvpdf_host *h, cvpdf_builder *b,
                              const cvpdf_node *links) {
  cvpdf_parts p;
  cvpdf_parts_init(&p, " · ");
  for (size_t i = 0; i < h->len(links); i++) {
    const cvpdf_node *l = h->at(links, i);
    cvpdf_parts_add(
        h, b, &p,
        cvpdf_linked(h, b, h->get_str(l, "text"), h->get_str(l, "url")));
  }
  return cvpdf_parts_join(h, b, &p);
}

static void build_entry(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e) {
  const char *name =
      cvpdf_linked(h, b, h->get_str(e, "name"), h->get_str(e, "url"));
  const char *subtitle = h->get_str(e, "subtitle");
  const char *location = h->get_str(e, "location");
  const char *dates = cvpdf_dates(h, b, e);
  h->entry_begin(b, NULL);
  /* The research-scientist example sets dates beside the name and the location
   * beside the subtitle; an undated project lifts its location to the first
   * row. */
  if (!dates && !subtitle) {
    h->row(b, "title", name, "location", location);
  } else {
    h->row(b, "title", name, "date", dates);
    if (subtitle || location)
      h->row(b, "subtitle", subtitle, "location", location);
  }
  const char *links = links_line(h, b, h->get(e, "links"));
  if (links)
    h->paragraph(b, "detail", links);
  const char *desc = h->get_str(e, "description");
  if (desc && *desc)
    h->paragraph(b, "body", desc);
  cvpdf_list(h, b, h->get(e, "highlights"), CVPDF_LIST_BULLET);
  h->entry_end(b);
}

static int projects_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                          const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const cvpdf_node *entries = h->get(section, "entries");
  for (size_t i = 0; i < h->len(entries); i++)
    build_entry(h, b, h->at(entries, i));
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,     .name = "projects",      .version = "1.0.0",
    .types = projects_types, .build = projects_build,
};
