/* cvpdf plugin: talks - invited and contributed talks, each a title with a
 * counted label "(T7)" and the venues where it was given (the academic-cv
 * example). */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field venue_fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "where the talk was given, e.g. ICASSP or a workshop", NULL},
    {"year", CVPDF_FIELD_DATE, 0, "year of the talk", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "date of the talk, instead of year", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"url", CVPDF_FIELD_URL, 0, "address the venue's name links to", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field talk_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "title of the talk",
     NULL},
    {"url", CVPDF_FIELD_URL, 0, "address the title links to (slides, video)",
     NULL},
    {"label", CVPDF_FIELD_STRING, 0,
     "label text instead of the counted one, e.g. T7 (printed as (T7))", NULL},
    {"venues", CVPDF_FIELD_LIST, CVPDF_FIELD_STRING_ITEMS,
     "where it was given: mappings {name, year}, or plain strings",
     venue_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field talks_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the talks, newest first", talk_fields},
    {"prefix", CVPDF_FIELD_STRING, 0,
     "letter before the label number; T unless given (\"\" for none)", NULL},
    {"numbering", CVPDF_FIELD_STRING, 0,
     "descending (default), ascending or none (overrides the layout)", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const char *const numbering_values[] = {"descending", "ascending",
                                               "none", NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option talks_options[] = {
    {.name = "numbering",
     .doc = "how labels count: descending (T7 ... T1), ascending or none",
     .values = numbering_values},
    {.name = NULL}};

static const cvpdf_section_type talks_types[] = {
    {.name = "talks",
     .doc = "talks with their venues, labelled (T7) ... (T1)",
     .fields = talks_fields,
     .options = talks_options},
    {.name = NULL}};

typedef enum { NUM_DESC, NUM_ASC, NUM_NONE } numbering;

/* The section's field wins over the layout option; a bad field is an error,
 * a bad layout value a warning (the layout is not the user's to fix here). */
static int get_numbering(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *section, numbering *num) {
  const cvpdf_node *field = h->get(section, "numbering");
  const char *v = field ? h->str(field) : h->option(b, "numbering");
  *num = NUM_DESC;
  if (!v || !strcmp(v, "descending"))
    return 0;
  if (!strcmp(v, "ascending")) {
    *num = NUM_ASC;
    return 0;
  }
  if (!strcmp(v, "none")) {
    *num = NUM_NONE;
    return 0;
  }
  if (field) {
    h->error(b, field,
             "field 'numbering' expected descending, ascending or none, "
             "found '%s'",
             v);
    return 1;
  }
  h->warn(b, section,
          "layout option 'numbering' expected descending, ascending or none, "
          "found '%s'; using descending",
          v);
  return 0;
}

static const char *label(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *e, const char *prefix, numbering num,
                         size_t i, size_t n) {
  const char *given = h->get_str(e, "label");
  if (given)
    return h->fmt(b, "(%s)", given);
  if (num == NUM_NONE)
    return NULL;
  return h->fmt(b, "(%s%zu)", h->escape(b, prefix),
                num == NUM_DESC ? n - i : i + 1);
}

/* "ICASSP, Hyderabad, 2025": name, then location, then the date. */
static const char *venue(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *v) {
  if (h->kind(v) == CVPDF_NODE_SCALAR)
    return h->str(v);
  const char *s = h->get_str(v, "name");
  const char *url = h->get_str(v, "url");
  if (url && *url)
    s = h->fmt(b, "[%s](%s)", s, url);
  const char *loc = h->get_str(v, "location");
  if (loc)
    s = h->fmt(b, "%s, %s", s, loc);
  const cvpdf_node *y = h->get(v, "year");
  const char *when = h->date_range(b, y ? y : h->get(v, "date"), NULL);
  return when ? h->fmt(b, "%s, %s", s, when) : s;
}

static int talks_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                       const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  numbering num;
  if (get_numbering(h, b, section, &num))
    return 1;
  const cvpdf_node *pfx = h->get(section, "prefix");
  const char *prefix = pfx ? h->str(pfx) : "T";
  const cvpdf_node *entries = h->get(section, "entries");
  size_t n = h->len(entries);
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *e = h->at(entries, i);
    h->entry_begin(b, label(h, b, e, prefix ? prefix : "", num, i, n));
    const char *title = h->get_str(e, "title");
    const char *url = h->get_str(e, "url");
    h->paragraph(b, "title",
                 url && *url ? h->fmt(b, "[%s](%s)", title, url) : title);
    const cvpdf_node *vs = h->get(e, "venues");
    for (size_t j = 0; j < h->len(vs); j++)
      h->paragraph(b, "detail", venue(h, b, h->at(vs, j)));
    h->entry_end(b);
  }
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,  .name = "talks",      .version = "1.0.0",
    .types = talks_types, .build = talks_build,
};
