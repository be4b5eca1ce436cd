/* cvpdf plugin: education - degrees with institution, dates, GPA, advisor
 * and highlights.
 *
 * Two looks, chosen by the layout option "details":
 *   bullets (default)  GPA and advisor are the first bullets (the academic-cv
 * example); inline             they run on after the degree on its row: "Ph.D.
 * in ECE. GPA: 4.0/4.0. Advisor: ..." (the engineer-cv example).
 */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field entry_fields[] = {
    {"institution", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "school or university", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"degree", CVPDF_FIELD_STRING, 0, "degree, e.g. Ph.D. or BA & BS", NULL},
    {"field", CVPDF_FIELD_STRING, 0,
     "field of study, printed after the degree: \"<degree> in <field>\"", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "first date, e.g. 2021 or Sep 2021", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "last date, or 'present'", NULL},
    {"date", CVPDF_FIELD_DATE, 0,
     "a single date (graduation), when there is no start/end", NULL},
    {"gpa", CVPDF_FIELD_STRING, 0, "grade point average, e.g. 4.0/4.0", NULL},
    {"advisor", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "advisor, or a list of advisors", NULL},
    {"thesis", CVPDF_FIELD_STRING, 0, "thesis title", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "bullet points: honours, research interests, coursework", NULL},
    {"url", CVPDF_FIELD_URL, 0, "link for the institution name", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field education_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the degrees, most recent first", entry_fields},
    {NULL, 0, 0, NULL, NULL}};

static const char *const details_values[] = {"bullets", "inline", NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option education_options[] = {
    {.name = "details",
     .doc = "GPA, thesis and advisors: as bullets or inline after the degree",
     .values = details_values},
    {.name = NULL}};

/* The words it prints (host->word), translated by the layout. */
static const char *const education_words[] = {"in",  "Advisor", "Advisors",
                                              "GPA", "Thesis",  NULL};

static const cvpdf_section_type education_types[] = {
    {.name = "education",
     .doc = "degrees: institution, degree, dates, GPA, advisor",
     .fields = education_fields,
     .options = education_options,
     .words = education_words},
    {.name = NULL}};

/* "Label: value", the label a translatable word. */
static const char *labelled(const cvpdf_host *h, cvpdf_builder *b,
                            const char *word, const char *value) {
  return h->fmt(b, "%s: %s", h->escape(b, h->word(b, word)), value);
}

/* Runs b after a, as sentences: a full stop between them unless a already
 * ends with one ("Ph.D." + "GPA: 4.0" -> "Ph.D. GPA: 4.0"). */
static const char *run_on(const cvpdf_host *h, cvpdf_builder *b, const char *a,
                          const char *z) {
  if (!a || !*a)
    return z;
  size_t n = strlen(a);
  return h->fmt(b, "%s%s %s", a, a[n - 1] == '.' ? "" : ".", z);
}

/* Rows of the entry head: title + location, subtitle + dates.  When the
 * second row would hold only the dates and the first has no right part,
 * the dates move up so the entry does not waste a line. */
static void head_rows(const cvpdf_host *h, cvpdf_builder *b, const char *title,
                      const char *location, const char *subtitle,
                      const char *dates) {
  if (!subtitle && !location) {
    h->row(b, "title", title, "date", dates);
    return;
  }
  h->row(b, "title", title, "location", location);
  if (subtitle || dates)
    h->row(b, "subtitle", subtitle, "date", dates);
}

static void build_entry(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e, int inline_details) {
  const char *degree = h->get_str(e, "degree");
  const char *field = h->get_str(e, "field");
  if (degree && field)
    degree =
        h->fmt(b, "%s %s %s", degree, h->escape(b, h->word(b, "in")), field);
  else if (field)
    degree = field;

  const cvpdf_node *adv = h->get(e, "advisor");
  const char *advisors = cvpdf_joined(h, b, adv, ", ");
  const char *gpa = h->get_str(e, "gpa");
  const char *thesis = h->get_str(e, "thesis");
  const char *a_txt =
      advisors
          ? labelled(h, b, h->len(adv) > 1 ? "Advisors" : "Advisor", advisors)
          : NULL;
  const char *g_txt = gpa && *gpa ? labelled(h, b, "GPA", gpa) : NULL;
  const char *t_txt =
      thesis && *thesis ? labelled(h, b, "Thesis", thesis) : NULL;

  /* Bullets follow the academic-cv example (advisor, GPA); inline follows the
   * engineer-cv example, where the degree's own facts come before the people
   * (GPA, advisor). */
  const char *order[3] = {a_txt, g_txt, t_txt};
  if (inline_details) {
    order[0] = g_txt;
    order[1] = a_txt;
  }
  const char *details[3];
  size_t nd = 0;
  for (size_t i = 0; i < 3; i++) {
    if (!order[i])
      continue;
    if (inline_details)
      degree = run_on(h, b, degree, order[i]);
    else
      details[nd++] = order[i];
  }

  h->entry_begin(b, NULL);
  head_rows(
      h, b,
      cvpdf_linked(h, b, h->get_str(e, "institution"), h->get_str(e, "url")),
      h->get_str(e, "location"), degree, cvpdf_dates(h, b, e));
  const cvpdf_node *hl = h->get(e, "highlights");
  size_t nh = h->len(hl);
  if (nd + nh > 0) {
    h->list_begin(b, CVPDF_LIST_BULLET);
    for (size_t i = 0; i < nd; i++)
      h->item(b, details[i]);
    cvpdf_list_items(h, b, hl);
    h->list_end(b);
  }
  h->entry_end(b);
}

static int education_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                           const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const char *opt = h->option(b, "details");
  int inline_details = opt && !strcmp(opt, "inline");
  if (opt && !inline_details && strcmp(opt, "bullets"))
    h->warn(b, section,
            "layout option 'details' for education is '%s'; expected "
            "'bullets' or 'inline', using 'bullets'",
            opt);
  const cvpdf_node *entries = h->get(section, "entries");
  for (size_t i = 0; i < h->len(entries); i++)
    build_entry(h, b, h->at(entries, i), inline_details);
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,      .name = "education",      .version = "1.0.0",
    .types = education_types, .build = education_build,
};
