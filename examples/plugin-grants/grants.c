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
 * service table and the header-only helpers of cvpdf-util.h.  It keeps no
 * state, so the builds cvpdf runs in parallel (render -j) need nothing of
 * it.
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
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field section_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the grants, most recent first", grant_fields},
    {NULL, 0, 0, NULL, NULL}};

/* The words it prints, so a layout's words: blocks can translate them
 * and cvpdf can tell a misspelt key from one a plugin reads. */
static const char *const grant_words[] = {"and", "with", NULL};

static const cvpdf_section_type grant_types[] = {
    {.name = "grants",
     .doc = "grants and research funding: funder, amount, role, period",
     .fields = section_fields,
     .words = grant_words},
    {.name = NULL}};

/* "A", "A and B", "A, B and C", with "and" in the CV's language. */
static const char *names(const cvpdf_host *h, cvpdf_builder *b,
                         const cvpdf_node *list) {
  cvpdf_parts p;
  cvpdf_parts_init(&p, ", ");
  const char *last = NULL;
  for (size_t i = 0; i < h->len(list); i++) {
    const char *name = h->str(h->at(list, i));
    if (!name || !*name)
      continue;
    cvpdf_parts_add(h, b, &p, last);
    last = name;
  }
  const char *most = cvpdf_parts_join(h, b, &p);
  if (!most)
    return last;
  return h->fmt(b, "%s %s %s", most, h->word(b, "and"), last);
}

/* "National Science Foundation, CAREER (CCF-2145678)". */
static const char *funding_line(const cvpdf_host *h, cvpdf_builder *b,
                                const cvpdf_node *e) {
  const char *parts[] = {h->get_str(e, "funder"), h->get_str(e, "program")};
  const char *line = cvpdf_join(h, b, parts, 2, ", ");
  const char *number = h->get_str(e, "number");
  if (number && *number) {
    /* An award number is an identifier, never markup. */
    number = h->escape(b, number);
    line = line ? h->fmt(b, "%s (%s)", line, number) : number;
  }
  return line;
}

/* "Principal Investigator, with Jane Roe and Ken Lee". */
static const char *people(const cvpdf_host *h, cvpdf_builder *b,
                          const cvpdf_node *e) {
  const char *with = names(h, b, h->get(e, "co_investigators"));
  if (with)
    with = h->fmt(b, "%s %s", h->escape(b, h->word(b, "with")), with);
  const char *parts[] = {h->get_str(e, "role"), with};
  return cvpdf_join(h, b, parts, 2, ", ");
}

static void build_grant(const cvpdf_host *h, cvpdf_builder *b,
                        const cvpdf_node *e) {
  const char *title =
      cvpdf_linked(h, b, h->get_str(e, "title"), h->get_str(e, "url"));
  h->entry_begin(b, NULL);
  h->row(b, "title", title, "date", cvpdf_dates(h, b, e));

  const char *funding = funding_line(h, b, e);
  const char *amount = h->get_str(e, "amount");
  if (funding || (amount && *amount))
    h->row(b, "detail", funding, "date", amount);

  const char *who = people(h, b, e);
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
