/* cvpdf plugin: awards - honours, fellowships, prizes, scholarships.
 *
 * Two looks, chosen by the layout option "style":
 *   line   one run-in line per award: "Presidential Fellowship, 2024",
 *          the section's awards one list at the text's leading (the
 *          academic-cv example);
 *   rows   name + location on one row, awarder + date on the next
 *          (the engineer-cv example).
 * Without the option, a section whose awards name no awarder and no
 * location is set as lines (rows would be half empty), any other as rows.
 * The choice is made per section, so its awards line up alike.
 */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field entry_fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "name of the award, fellowship or honour", NULL},
    {"awarder", CVPDF_FIELD_STRING, 0,
     "who gave it: institution, company, society", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "when it was received, e.g. 2024", NULL},
    {"year", CVPDF_FIELD_DATE, 0, "the same as date, for a bare year", NULL},
    {"dates", CVPDF_FIELD_LIST, 0,
     "several dates for an award received more than once: [2016, 2018]", NULL},
    {"note", CVPDF_FIELD_STRING, 0,
     "a line under the award: amount, reason, \"two times\"", NULL},
    {"url", CVPDF_FIELD_URL, 0, "link for the award name", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field awards_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the awards, most recent first", entry_fields},
    {NULL, 0, 0, NULL, NULL}};

static const char *const style_values[] = {"line", "rows", NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option awards_options[] = {
    {.name = "style",
     .doc = "how entries are set: line (one line each) or rows (title and "
            "date, then the awarder)",
     .values = style_values},
    {.name = NULL}};

static const cvpdf_section_type awards_types[] = {
    {.name = "awards",
     .doc = "honours, awards and fellowships",
     .fields = awards_fields,
     .options = awards_options},
    {.name = NULL}};

enum shape { SHAPE_LINE, SHAPE_ROWS };

/* Appends part to a ", "-separated run; NULL and empty parts are skipped. */
static const char *comma(const cvpdf_host *h, cvpdf_builder *b, const char *run,
                         const char *part) {
  if (!part || !*part)
    return run;
  return run ? h->fmt(b, "%s, %s", run, part) : part;
}

static enum shape section_shape(const cvpdf_host *h, cvpdf_builder *b,
                                const cvpdf_node *section,
                                const cvpdf_node *entries) {
  const char *opt = h->option(b, "style");
  if (opt && !strcmp(opt, "line"))
    return SHAPE_LINE;
  if (opt && !strcmp(opt, "rows"))
    return SHAPE_ROWS;
  if (opt)
    h->warn(b, section,
            "layout option 'style' for awards is '%s'; expected 'line' or "
            "'rows', choosing by the entries",
            opt);
  for (size_t i = 0; i < h->len(entries); i++) {
    const cvpdf_node *e = h->at(entries, i);
    if (h->get(e, "awarder") || h->get(e, "location"))
      return SHAPE_ROWS;
  }
  return SHAPE_LINE;
}

/* One award as a line of the section's one entry: the lines of a list
 * follow each other at the text's leading, not an entry's space apart. */
static void build_line(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *e) {
  const char *text =
      cvpdf_linked(h, b, h->get_str(e, "name"), h->get_str(e, "url"));
  text = comma(h, b, text, h->get_str(e, "awarder"));
  text = comma(h, b, text, h->get_str(e, "location"));
  text = comma(h, b, text, cvpdf_dates(h, b, e));
  h->paragraph(b, "body", text);
  const char *note = h->get_str(e, "note");
  if (note && *note)
    h->paragraph(b, "note", note);
}

static void build_rows(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *e) {
  const char *name =
      cvpdf_linked(h, b, h->get_str(e, "name"), h->get_str(e, "url"));
  const char *awarder = h->get_str(e, "awarder");
  const char *location = h->get_str(e, "location");
  const char *dates = cvpdf_dates(h, b, e);
  h->entry_begin(b, NULL);
  /* With nothing for the second row's left, the date moves up beside the
   * name when the name's row has room. */
  if (!awarder && !location) {
    h->row(b, "title", name, "date", dates);
  } else {
    h->row(b, "title", name, "location", location);
    if (awarder || dates)
      h->row(b, "detail", awarder, "date", dates);
  }
  const char *note = h->get_str(e, "note");
  if (note && *note)
    h->paragraph(b, "note", note);
  h->entry_end(b);
}

static int awards_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const cvpdf_node *entries = h->get(section, "entries");
  enum shape shape = section_shape(h, b, section, entries);
  if (shape == SHAPE_LINE)
    h->entry_begin(b, NULL);
  for (size_t i = 0; i < h->len(entries); i++) {
    const cvpdf_node *e = h->at(entries, i);
    if (shape == SHAPE_LINE)
      build_line(h, b, e);
    else
      build_rows(h, b, e);
  }
  if (shape == SHAPE_LINE)
    h->entry_end(b);
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,   .name = "awards",      .version = "1.0.0",
    .types = awards_types, .build = awards_build,
};
