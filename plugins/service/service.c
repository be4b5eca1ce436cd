/* cvpdf plugin: service - outreach, councils, organising, reviewing.
 *
 * A section may hold, in any mix and printed in the order written:
 *   entries  positions, set like jobs: organisation + location,
 *            role + dates, bullets (the academic-cv example: "CMU PhD ECE
 * Student Organization (PESO) ... Council Member"); items    label: value lines
 * ("Journals: ACM TIST, IEEE TSP"), as a mapping in the order written; pairs
 * the same as a list of {label, value}, for repeated labels; lines    plain
 * lines ("Reviewer of NeurIPS, ICML"), as paragraphs, or as bullets when the
 * layout option "lines" is "bullets".
 */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field entry_fields[] = {
    {"organisation", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "organisation, council, committee or event", NULL},
    {"role", CVPDF_FIELD_STRING, 0, "your role: member, chair, organiser",
     NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "first date, e.g. Sep 2024", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "last date, or 'present'", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "a single date", NULL},
    {"dates", CVPDF_FIELD_LIST, 0,
     "several single dates for separate terms: [2023, 2025]", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "bullet points: what you did", NULL},
    {"url", CVPDF_FIELD_URL, 0, "link for the organisation name", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field pair_fields[] = {
    {"label", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "the label, e.g. Journals", NULL},
    {"value", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "the text after the label; a list is joined with commas", NULL},
    {"items", CVPDF_FIELD_LIST, 0,
     "the value as a list, joined with commas (instead of value)", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field service_fields[] = {
    {"entries", CVPDF_FIELD_LIST, 0,
     "positions: organisation, role, dates, highlights", entry_fields},
    {"items", CVPDF_FIELD_DICT, 0,
     "label: value lines, e.g. Journals: ACM TIST, IEEE TSP", NULL},
    {"pairs", CVPDF_FIELD_LIST, 0,
     "label/value lines as a list of {label, value}", pair_fields},
    {"lines", CVPDF_FIELD_LIST, 0,
     "plain lines, e.g. Reviewer of NeurIPS, ICML", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const char *const lines_values[] = {"paragraphs", "bullets", NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option service_options[] = {
    {.name = "lines",
     .doc = "free lines as paragraphs or as bullets",
     .values = lines_values},
    {.name = NULL}};

static const cvpdf_section_type service_types[] = {
    {.name = "service",
     .doc = "service, outreach and reviewing: positions and label lines",
     .fields = service_fields,
     .options = service_options},
    {.name = NULL}};

static void build_entry(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e) {
  const char *org =
      cvpdf_linked(h, b, h->get_str(e, "organisation"), h->get_str(e, "url"));
  const char *role = h->get_str(e, "role");
  const char *location = h->get_str(e, "location");
  const char *dates = cvpdf_dates(h, b, e);
  h->entry_begin(b, NULL);
  cvpdf_head_rows(h, b, org, role, location, dates);
  cvpdf_list(h, b, h->get(e, "highlights"), CVPDF_LIST_BULLET);
  h->entry_end(b);
}

static void build_lines(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *lines, int bullets) {
  size_t n = h->len(lines);
  if (bullets) {
    cvpdf_list(h, b, lines, CVPDF_LIST_BULLET);
    return;
  }
  for (size_t i = 0; i < n; i++)
    h->paragraph(b, "body", h->str(h->at(lines, i)));
}

static int service_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                         const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const char *opt = h->option(b, "lines");
  int bullets = opt && !strcmp(opt, "bullets");
  if (opt && !bullets && strcmp(opt, "paragraphs"))
    h->warn(b, section,
            "layout option 'lines' for service is '%s'; expected "
            "'paragraphs' or 'bullets', using 'paragraphs'",
            opt);
  int rc = 0, parts = 0;
  /* The section's keys in the order the user wrote them, so positions
   * can come before or after the reviewing lines. */
  for (size_t k = 0; k < h->len(section); k++) {
    const char *key = h->key_at(section, k);
    const cvpdf_node *v = h->value_at(section, k);
    if (!strcmp(key, "entries")) {
      for (size_t i = 0; i < h->len(v); i++)
        build_entry(h, b, h->at(v, i));
    } else if (!strcmp(key, "items")) {
      cvpdf_pairs_map(h, b, v);
    } else if (!strcmp(key, "pairs")) {
      rc |= cvpdf_pairs_list(h, b, v);
    } else if (!strcmp(key, "lines")) {
      build_lines(h, b, v, bullets);
    } else {
      continue; /* type, title, id */
    }
    parts++;
  }
  if (!parts) {
    h->error(b, section,
             "service section has nothing to print; give it 'entries', "
             "'items', 'pairs' or 'lines'");
    return 1;
  }
  return rc;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,    .name = "service",      .version = "1.0.0",
    .types = service_types, .build = service_build,
};
