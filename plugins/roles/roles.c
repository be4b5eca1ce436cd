/* cvpdf plugin: roles - jobs, internships, research positions and the
 * projects done in them (every example CV).  A role has a two-row head
 * (organisation and location, position and dates), advisor/manager/mentor
 * lines, a summary, bullet highlights, and projects, either directly or in
 * named groups; a project has a motivation, numbered contributions and
 * loose highlights. */
#include <cvpdf/cvpdf.h>

#include <string.h>

/* A macro, not a const object: C11 array initialisers need constants. */
static const cvpdf_field project_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "name of the project",
     NULL},
    {"url", CVPDF_FIELD_URL, 0, "address the project's title links to", NULL},
    {"subtitle", CVPDF_FIELD_STRING, 0,
     "a line under the title: your role, the paper, the product", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "when the project began", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "when it ended, or present", NULL},
    {"motivation", CVPDF_FIELD_STRING, 0,
     "why the project was done; printed after a bold 'Motivation.'", NULL},
    {"contributions", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "what you did, printed as a numbered list", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "further points, printed as bullets after the contributions", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field group_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED,
     "name of the group of projects, e.g. Efficient ML Algorithms", NULL},
    {"projects", CVPDF_FIELD_LIST, 0, "the projects of this group",
     project_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field role_fields[] = {
    {"organisation", CVPDF_FIELD_STRING, 0,
     "company, lab or university; may be omitted when the entry only holds "
     "projects",
     NULL},
    {"title", CVPDF_FIELD_STRING, 0, "your position, e.g. Research Intern",
     NULL},
    {"team", CVPDF_FIELD_STRING, 0, "team or group within the organisation",
     NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country, or Remote", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "when the role began", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "when it ended, or present", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "a single date, for a role without a span",
     NULL},
    {"url", CVPDF_FIELD_URL, 0, "address the organisation links to", NULL},
    {"advisor", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "advisor(s), printed after a bold 'Advisor:'", NULL},
    {"manager", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "manager(s), printed after a bold 'Manager:'", NULL},
    {"mentor", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "mentor(s), printed after a bold 'Mentor:'", NULL},
    {"summary", CVPDF_FIELD_STRING, 0, "a paragraph describing the role", NULL},
    {"highlights", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED,
     "achievements, printed as bullets", NULL},
    {"projects", CVPDF_FIELD_LIST, 0, "projects done in this role",
     project_fields},
    {"groups", CVPDF_FIELD_LIST, 0,
     "projects in named groups, each group under a subheading", group_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field roles_fields[] = {
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED,
     "the roles, newest first", role_fields},
    {"row_order", CVPDF_FIELD_STRING, 0,
     "org_first or title_first: which head row comes first (overrides the "
     "layout)",
     NULL},
    {NULL, 0, 0, NULL, NULL}};

static const char *const row_order_values[] = {"org_first", "title_first",
                                               NULL};
static const char *const right_order_values[] = {"location_first",
                                                 "dates_first", NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option roles_options[] = {
    {.name = "row_order",
     .doc = "the first row: the organisation (org_first) or the position "
            "(title_first)",
     .values = row_order_values},
    {.name = "right_order",
     .doc = "which of location and dates goes on the first row",
     .values = right_order_values},
    {.name = NULL}};

/* The words it prints (host->word), translated by the layout. */
static const char *const roles_words[] = {
    "Motivation.", "Contributions.", "Advisor", "Advisors", "Manager",
    "Managers",    "Mentor",         "Mentors", NULL};

static const cvpdf_section_type roles_types[] = {
    {.name = "roles",
     .doc = "jobs, internships and research positions, with their projects",
     .fields = roles_fields,
     .options = roles_options,
     .words = roles_words},
    {.name = NULL}};

/* Where the next project goes.  The host has no nested entries and ending an
 * entry releases its keep-with-next, so the first project (or group) after a
 * role's head stays inside the role's entry: the head is never left alone at
 * a page bottom.  Later projects are entries of their own, so each project's
 * title is kept with its first lines. */
typedef struct roles_ctx {
  const cvpdf_host *h;
  cvpdf_builder *b;
  int fresh; /* nothing printed since the last entry_begin */
} roles_ctx;

static void next_entry(roles_ctx *c) {
  if (!c->fresh)
    c->h->entry_begin(c->b, NULL);
  c->fresh = 0;
}

/* A row, unless both sides are absent (an entry that only holds projects). */
static void row(const cvpdf_host *h, cvpdf_builder *b, const char *ls,
                const char *l, const char *rs, const char *r) {
  if (l || r)
    h->row(b, ls, l, rs, r);
}

static void project(roles_ctx *c, const cvpdf_node *p) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  next_entry(c);
  const char *title =
      cvpdf_linked(h, b, h->get_str(p, "title"), h->get_str(p, "url"));
  h->row(b, "title", title, "date", cvpdf_dates(h, b, p));
  const char *sub = h->get_str(p, "subtitle");
  if (sub)
    h->row(b, "subtitle", sub, NULL, NULL);
  const char *mot = h->get_str(p, "motivation");
  if (mot)
    h->paragraph(
        b, "body",
        /* The word carries its punctuation, so a layout can
         * print "Motivation:" instead. */
        h->fmt(b, "**%s** %s", h->escape(b, h->word(b, "Motivation.")), mot));
  const cvpdf_node *contrib = h->get(p, "contributions");
  if (h->len(contrib) > 0) {
    h->paragraph(
        b, "body",
        h->fmt(b, "**%s**", h->escape(b, h->word(b, "Contributions."))));
    cvpdf_list(h, b, contrib, CVPDF_LIST_NUMBERED);
  }
  cvpdf_list(h, b, h->get(p, "highlights"), CVPDF_LIST_BULLET);
}

static void projects(roles_ctx *c, const cvpdf_node *list) {
  for (size_t i = 0; i < c->h->len(list); i++)
    project(c, c->h->at(list, i));
}

static void groups(roles_ctx *c, const cvpdf_node *list) {
  const cvpdf_host *h = c->h;
  for (size_t i = 0; i < h->len(list); i++) {
    const cvpdf_node *g = h->at(list, i);
    /* The subheading opens the entry of the group's first project, so it is
     * kept with that project rather than stranded at a page bottom. */
    next_entry(c);
    h->subheading(c->b, h->get_str(g, "title"));
    c->fresh = 1;
    projects(c, h->get(g, "projects"));
  }
}

/* "Advisor: A, B; Manager: C" in the order the fields are written, with the
 * plural label word when a field lists several people. */
static void people(const cvpdf_host *h, cvpdf_builder *b, const cvpdf_node *e) {
  static const char *const keys[] = {"advisor", "manager", "mentor", NULL};
  static const char *const one[] = {"Advisor", "Manager", "Mentor"};
  static const char *const many[] = {"Advisors", "Managers", "Mentors"};
  cvpdf_parts line;
  cvpdf_parts_init(&line, "; ");
  for (size_t i = 0; i < h->len(e); i++) {
    const char *k = h->key_at(e, i);
    size_t w = 0;
    while (keys[w] && strcmp(keys[w], k))
      w++;
    if (!keys[w])
      continue;
    const cvpdf_node *v = h->value_at(e, i);
    size_t n = h->len(v);
    if (n == 0)
      continue;
    const char *names = cvpdf_joined(h, b, v, ", ");
    cvpdf_parts_add(h, b, &line,
                    h->fmt(b, "**%s:** %s",
                           h->escape(b, h->word(b, n > 1 ? many[w] : one[w])),
                           names ? names : ""));
  }
  const char *text = cvpdf_parts_join(h, b, &line);
  if (text)
    h->paragraph(b, "detail", text);
}

static int role(const cvpdf_host *h, cvpdf_builder *b, const cvpdf_node *e,
                int title_first) {
  const char *org = h->get_str(e, "organisation");
  const char *title = h->get_str(e, "title");
  const char *team = h->get_str(e, "team");
  if (!org && !title && !team && !h->get(e, "projects") &&
      !h->get(e, "groups")) {
    h->error(b, e,
             "a roles entry needs at least one of 'organisation', 'title', "
             "'projects' or 'groups'");
    return 1;
  }
  org = cvpdf_linked(h, b, org, h->get_str(e, "url"));
  const char *position =
      title && team ? h->fmt(b, "%s, %s", title, team) : (title ? title : team);
  const char *when = cvpdf_dates(h, b, e);
  const char *where = h->get_str(e, "location");
  h->entry_begin(b, NULL);
  /* Which of location and dates goes on the first row is the layout's
   * choice (option right_order: location_first, the default, or
   * dates_first; with title_first the dates follow the position). */
  const char *ro = h->option(b, "right_order");
  int dates_first = ro ? !strcmp(ro, "dates_first") : title_first;
  const char *r1 = dates_first ? when : where, *r2 = dates_first ? where : when;
  const char *r1s = dates_first ? "date" : "location";
  const char *r2s = dates_first ? "location" : "date";
  if (!r1 &&
      r2) { /* the first row never stands bare while the second has one */
    r1 = r2, r1s = r2s;
    r2 = NULL;
  }
  /* The first row is the entry's title, whichever of the two it holds; a
   * role without an organisation is titled by its position. */
  if (!org || title_first) {
    row(h, b, "title", position, r1s, r1);
    row(h, b, "subtitle", org, r2s, r2);
  } else {
    row(h, b, "title", org, r1s, r1);
    row(h, b, "subtitle", position, r2s, r2);
  }
  people(h, b, e);
  const char *summary = h->get_str(e, "summary");
  if (summary)
    h->paragraph(b, "body", summary);
  cvpdf_list(h, b, h->get(e, "highlights"), CVPDF_LIST_BULLET);
  roles_ctx c = {h, b, 1};
  /* Projects and groups print in the order they are written. */
  for (size_t i = 0; i < h->len(e); i++) {
    const char *k = h->key_at(e, i);
    if (!strcmp(k, "projects"))
      projects(&c, h->value_at(e, i));
    else if (!strcmp(k, "groups"))
      groups(&c, h->value_at(e, i));
  }
  h->entry_end(b);
  return 0;
}

static int row_order(const cvpdf_host *h, cvpdf_builder *b,
                     const cvpdf_node *section, int *title_first) {
  const cvpdf_node *field = h->get(section, "row_order");
  const char *v = field ? h->str(field) : h->option(b, "row_order");
  *title_first = 0;
  if (!v || !strcmp(v, "org_first"))
    return 0;
  if (!strcmp(v, "title_first")) {
    *title_first = 1;
    return 0;
  }
  if (field) {
    h->error(b, field,
             "field 'row_order' expected org_first or title_first, found '%s'",
             v);
    return 1;
  }
  h->warn(b, section,
          "layout option 'row_order' expected org_first or title_first, found "
          "'%s'; using org_first",
          v);
  return 0;
}

static int roles_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                       const char *type, const cvpdf_node *section) {
  (void)state;
  (void)type;
  int title_first;
  if (row_order(h, b, section, &title_first))
    return 1;
  const cvpdf_node *entries = h->get(section, "entries");
  int rc = 0;
  for (size_t i = 0; i < h->len(entries); i++)
    rc |= role(h, b, h->at(entries, i), title_first);
  return rc;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,  .name = "roles",      .version = "1.0.0",
    .types = roles_types, .build = roles_build,
};
