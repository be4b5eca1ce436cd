/* cvpdf plugin: grants - research funding, as academic CVs list it.
 *
 * One entry per grant:
 *
 *   Efficient Inference for Scientific Models          Sep 2022 – Aug 2027
 *   National Science Foundation, CAREER (CCF-2145678)           $550,000
 *   Principal Investigator, with Jane Roe and Ken Lee
 *   • highlights ...
 *
 * This plugin is built outside cvpdf's tree: it sees only <cvpdf/cvpdf.h>,
 * found through pkg-config, and everything it does goes through the host's
 * service table.
 */
#include <cvpdf/cvpdf.h>

#include <stddef.h>

static const cvpdf_field grant_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "name of the project or grant", NULL},
    {"funder", CVPDF_FIELD_STRING, 0,
     "the funding body: agency, foundation, company", NULL},
    {"program", CVPDF_FIELD_STRING, 0,
     "the funder's programme or scheme, e.g. CAREER, ERC Starting Grant", NULL},
    {"number", CVPDF_FIELD_STRING, 0, "the award number, e.g. CCF-2145678",
     NULL},
    {"amount", CVPDF_FIELD_STRING, 0,
     "amount awarded, as printed, with its currency: \"$550,000\"", NULL},
    {"role", CVPDF_FIELD_STRING, 0,
     "your role: Principal Investigator, Co-PI, Senior Personnel", NULL},
    {"co_investigators", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "the other investigators, one name or a list", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "start of the award period", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "end of the award period, or present", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "a single date (when awarded) instead", NULL},
    {"url", CVPDF_FIELD_URL, 0, "the award's page; links the title", NULL},
    {"summary", CVPDF_FIELD_STRING, 0, "a paragraph on the project", NULL},
    {"highlights", CVPDF_FIELD_LIST, 0, "bullets: outcomes, papers, people",
     NULL},
    {"tags", CVPDF_FIELD_LIST, 0, "free tags to select entries (not printed)",
     NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field section_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the grants, most recent first", grant_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type grant_types[] = {
    {"grants", "grants and research funding: funder, amount, role, period",
     section_fields},
    {NULL, NULL, NULL}};

/* Appends part to run with sep between; NULL and empty parts are skipped. */
static const char *join(const cvpdf_host *h, cvpdf_builder *b, const char *run,
                        const char *sep, const char *part) {
  if (!part || !*part)
    return run;
  return run ? h->fmt(b, "%s%s%s", run, sep, part) : part;
}

/* "A", "A and B", "A, B and C", with "and" in the CV's language. */
static const char *names(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *list) {
  size_t n = h->len(list);
  const char *out = NULL;
  for (size_t i = 0; i < n; i++) {
    const char *name = h->str(h->at(list, i));
    if (!name || !*name)
      continue;
    const char *sep =
        i + 1 == n && out ? h->fmt(b, " %s ", h->word(b, "and")) : ", ";
    out = join(h, b, out, sep, name);
  }
  return out;
}

/* "National Science Foundation, CAREER (CCF-2145678)". */
static const char *funding_line(const cvpdf_host *h, cvpdf_builder *b,
                                const cvpdf_node *e) {
  const char *line = join(h, b, NULL, ", ", h->get_str(e, "funder"));
  line = join(h, b, line, ", ", h->get_str(e, "program"));
  const char *number = h->get_str(e, "number");
  if (number && *number) {
    /* An award number is an identifier, never markup. */
    number = h->escape(b, number);
    line = line ? h->fmt(b, "%s (%s)", line, number) : number;
  }
  return line;
}

static const char *dates(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *e) {
  const cvpdf_node *start = h->get(e, "start"), *end = h->get(e, "end");
  if (start || end)
    return h->date_range(b, start, end);
  return h->date_range(b, h->get(e, "date"), NULL);
}

static void build_grant(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e) {
  const char *title = h->get_str(e, "title");
  const char *url = h->get_str(e, "url");
  if (url && *url)
    title = h->fmt(b, "[%s](%s)", title, url);
  h->entry_begin(b, NULL);
  h->row(b, "title", title, "date", dates(h, b, e));

  const char *funding = funding_line(h, b, e);
  const char *amount = h->get_str(e, "amount");
  if (funding || (amount && *amount))
    h->row(b, "detail", funding, "date", amount);

  const char *who = join(h, b, NULL, "", h->get_str(e, "role"));
  const char *with = names(h, b, h->get(e, "co_investigators"));
  if (with)
    who = join(h, b, who, ", ",
               h->fmt(b, "%s %s", h->escape(b, h->word(b, "with")), with));
  if (who)
    h->paragraph(b, "note", who);

  const char *summary = h->get_str(e, "summary");
  if (summary && *summary)
    h->paragraph(b, "body", summary);

  cvpdf_list(h, b, h->get(e, "highlights"), CVPDF_LIST_BULLET);
  h->entry_end(b);
}

static int grants_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  const cvpdf_node *entries = h->get(section, "entries");
  for (size_t i = 0; i < h->len(entries); i++)
    build_grant(h, b, h->at(entries, i));
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,  .name = "grants",      .version = "1.0.0",
    .types = grant_types, .build = grants_build,
};
