/* cvpdf plugin: publications - papers in groups (preprints, journals,
 * conferences, workshops, patents) with counted labels "(C6) ... (C1)", the
 * CV owner's name in bold, equal-contribution marks and link words.  Two
 * arrangements, chosen by the layout's option "arrangement": "margin" (a
 * label beside title, authors, venue and notes; seed 000) and "column" (the
 * venue beside one line "Authors. "Title", year."; seed 003, Awesome-CV). */
#include <cvpdf/cvpdf.h>

#include <string.h>

/* A macro, not a const object: C11 array initialisers need constants. */
#define TAGS_FIELD                                                             \
  {"tags", CVPDF_FIELD_LIST, 0,                                                \
   "labels for selecting entries (accepted, not printed yet)", NULL}

static const cvpdf_field pub_fields[] = {
    {"title", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "title of the work",
     NULL},
    {"authors", CVPDF_FIELD_LIST, 0,
     "author names in order (one string is a list of one)", NULL},
    {"venue", CVPDF_FIELD_STRING, 0,
     "journal, conference or workshop, e.g. International Conference on "
     "Machine Learning (ICML)",
     NULL},
    {"venue_short", CVPDF_FIELD_STRING, 0,
     "the venue as printed in the column arrangement, e.g. ICML (Spotlights); "
     "defaults to venue",
     NULL},
    {"year", CVPDF_FIELD_DATE, 0, "year of publication", NULL},
    {"date", CVPDF_FIELD_DATE, 0, "date of publication, instead of year", NULL},
    {"notes", CVPDF_FIELD_LIST, 0,
     "notes under the entry, e.g. Oral at NeurIPS Workshop ..., 2025.", NULL},
    {"url", CVPDF_FIELD_URL, 0, "address the title links to", NULL},
    {"paper", CVPDF_FIELD_URL, 0, "link to the paper, printed as [paper]",
     NULL},
    {"code", CVPDF_FIELD_URL, 0, "link to the code, printed as [code]", NULL},
    {"doi", CVPDF_FIELD_STRING, 0,
     "DOI such as 10.1000/xyz (or its address), printed as [DOI]", NULL},
    {"label", CVPDF_FIELD_STRING, 0,
     "label text instead of the counted one, e.g. C7 (printed as (C7))", NULL},
    {"equal", CVPDF_FIELD_LIST, 0,
     "authors with equal contribution: marked * after their names", NULL},
    TAGS_FIELD,
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field group_fields[] = {
    {"title", CVPDF_FIELD_STRING, 0, "group subheading, e.g. Preprints", NULL},
    {"prefix", CVPDF_FIELD_STRING, 0,
     "letter before the label number, e.g. C gives (C6); default: the "
     "title's initial", NULL},
    {"numbering", CVPDF_FIELD_STRING, 0,
     "descending, ascending or none (overrides the section's)", NULL},
    {"style", CVPDF_FIELD_STRING, 0,
     "entries (default) or list: a bullet list without labels, e.g. patents",
     NULL},
    {"entries", CVPDF_FIELD_LIST, CVPDF_FIELD_REQUIRED, "the works of the group",
     pub_fields},
    TAGS_FIELD,
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field publications_fields[] = {
    {"groups", CVPDF_FIELD_LIST, 0,
     "groups of works, each with its own subheading and label count",
     group_fields},
    {"entries", CVPDF_FIELD_LIST, 0, "the works, when not in groups",
     pub_fields},
    {"prefix", CVPDF_FIELD_STRING, 0,
     "label letter for entries given directly (not in groups)", NULL},
    {"highlight", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "your name as written in author lists (all its forms); printed in bold",
     NULL},
    {"numbering", CVPDF_FIELD_STRING, 0,
     "label order in the margin arrangement: descending (default), "
     "ascending or none (overrides the layout)",
     NULL},
    {"arrangement", CVPDF_FIELD_STRING, 0,
     "margin or column (overrides the layout)", NULL},
    {"style", CVPDF_FIELD_STRING, 0,
     "entries (default) or list, for entries given directly", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type publications_types[] = {
    {"publications", "papers and patents, grouped and labelled",
     publications_fields},
    {NULL, NULL, NULL}};

typedef enum { NUM_DESC, NUM_ASC, NUM_NONE } numbering;

typedef struct pub_ctx {
  const cvpdf_host *h;
  cvpdf_builder *b;
  const cvpdf_node *highlight; /* the owner's name forms, or NULL */
  int column;                  /* arrangement: column rather than margin */
  int errors;
} pub_ctx;

/* An enumerated string, field key of map m.  With layout set, the layout
 * option of the same name is the fallback.  A bad field is an error at it;
 * a bad layout value a warning (the layout is not the CV's to fix). */
static int choice(pub_ctx *c, const cvpdf_node *m, const char *key,
                  int layout, const char *const *values, int dflt) {
  const cvpdf_host *h = c->h;
  const cvpdf_node *field = h->get(m, key);
  const char *v = field ? h->str(field) : layout ? h->option(c->b, key) : NULL;
  if (!v)
    return dflt;
  for (int i = 0; values[i]; i++)
    if (!strcmp(v, values[i]))
      return i;
  const char *want = values[0];
  for (int i = 1; values[i]; i++)
    want = h->fmt(c->b, "%s%s%s", want, values[i + 1] ? ", " : " or ",
                  values[i]);
  if (field) {
    h->error(c->b, field, "field '%s' expected %s, found '%s'", key, want, v);
    c->errors++;
  } else {
    h->warn(c->b, m, "layout option '%s' expected %s, found '%s'; using %s",
            key, want, v, values[dflt]);
  }
  return dflt;
}

static int is_listed(const cvpdf_host *h, const cvpdf_node *list,
                     const char *name) {
  for (size_t i = 0; i < h->len(list); i++) {
    const char *s = h->str(h->at(list, i));
    if (s && !strcmp(s, name))
      return 1;
  }
  return 0;
}

/* Names are plain text, so they are escaped before markup is put round
 * them: the owner's in bold, an equal contributor's followed by "*". */
static const char *authors(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  const cvpdf_node *list = h->get(e, "authors");
  const cvpdf_node *equal = h->get(e, "equal");
  const char *out = NULL;
  for (size_t i = 0; i < h->len(list); i++) {
    const char *name = h->str(h->at(list, i));
    if (!name)
      continue;
    const char *m = h->escape(b, name);
    if (is_listed(h, c->highlight, name))
      m = h->fmt(b, "**%s**", m);
    if (is_listed(h, equal, name))
      m = h->fmt(b, "%s%s", m, h->escape(b, "*"));
    out = out ? h->fmt(b, "%s, %s", out, m) : m;
  }
  return out;
}

static const char *title(pub_ctx *c, const cvpdf_node *e) {
  const char *t = c->h->get_str(e, "title");
  const char *url = c->h->get_str(e, "url");
  return url && *url ? c->h->fmt(c->b, "[%s](%s)", t, url) : t;
}

static const char *year(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_node *y = c->h->get(e, "year");
  return c->h->date_range(c->b, y ? y : c->h->get(e, "date"), NULL);
}

/* " [paper] [code] [DOI]": link words in the CV's language. */
static const char *links(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  static const char *const keys[] = {"paper", "code", "doi", NULL};
  static const char *const words[] = {"paper", "code", "DOI"};
  const char *out = "";
  for (int i = 0; keys[i]; i++) {
    const char *v = h->get_str(e, keys[i]);
    if (!v || !*v)
      continue;
    if (!strcmp(keys[i], "doi") && strncmp(v, "http", 4))
      v = h->fmt(b, "https://doi.org/%s", v);
    const char *word = h->escape(b, h->fmt(b, "[%s]", h->word(b, words[i])));
    out = h->fmt(b, "%s [%s](%s)", out, word, v);
  }
  return out;
}

/* `Authors. "Title", year.` - the column and list shape of seed 003. */
static const char *citation(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  const char *who = authors(c, e);
  const char *when = year(c, e);
  const char *s = h->fmt(b, "\"%s\"", title(c, e));
  if (who) {
    size_t n = strlen(who);
    /* "... et al." already ends the sentence. */
    s = h->fmt(b, "%s%s %s", who, n && who[n - 1] == '.' ? "" : ".", s);
  }
  if (when)
    s = h->fmt(b, "%s, %s", s, when);
  return h->fmt(b, "%s.%s", s, links(c, e));
}

static void notes(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_node *n = c->h->get(e, "notes");
  if (c->h->len(n) == 0)
    return;
  c->h->list_begin(c->b, CVPDF_LIST_BULLET);
  for (size_t i = 0; i < c->h->len(n); i++)
    c->h->item(c->b, c->h->str(c->h->at(n, i)));
  c->h->list_end(c->b);
}

static const char *label(pub_ctx *c, const cvpdf_node *e, const char *prefix,
                         numbering num, size_t i, size_t n) {
  const cvpdf_host *h = c->h;
  const char *given = h->get_str(e, "label");
  if (given)
    return h->fmt(c->b, "(%s)", given);
  if (num == NUM_NONE)
    return NULL;
  size_t k = num == NUM_DESC ? n - i : i + 1;
  return h->fmt(c->b, "(%s%zu)", prefix ? h->escape(c->b, prefix) : "", k);
}

static void margin_entry(pub_ctx *c, const cvpdf_node *e, const char *lab) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  h->entry_begin(b, lab);
  h->paragraph(b, "title", title(c, e));
  const char *who = authors(c, e);
  if (who)
    h->paragraph(b, "detail", who);
  const char *venue = h->get_str(e, "venue");
  const char *when = year(c, e);
  const char *where = venue && when ? h->fmt(b, "*%s*, %s", venue, when)
                      : venue       ? h->fmt(b, "*%s*", venue)
                                    : when;
  const char *l = links(c, e);
  if (where || *l)
    h->paragraph(b, "detail", h->fmt(b, "%s%s", where ? where : "",
                                     where ? l : l + 1));
  notes(c, e);
  h->entry_end(b);
}

static void column_entry(pub_ctx *c, const cvpdf_node *e) {
  const cvpdf_host *h = c->h;
  const char *venue = h->get_str(e, "venue_short");
  h->entry_begin(c->b, venue ? venue : h->get_str(e, "venue"));
  h->paragraph(c->b, "body", citation(c, e));
  notes(c, e);
  h->entry_end(c->b);
}

/* Patents and the like: bullets without labels, notes nested under them. */
static void list_entries(pub_ctx *c, const cvpdf_node *entries) {
  const cvpdf_host *h = c->h;
  h->entry_begin(c->b, NULL);
  h->list_begin(c->b, CVPDF_LIST_BULLET);
  for (size_t i = 0; i < h->len(entries); i++) {
    const cvpdf_node *e = h->at(entries, i);
    if (h->len(h->get(e, "notes")) == 0) {
      h->item(c->b, citation(c, e));
      continue;
    }
    h->item_begin(c->b, citation(c, e));
    notes(c, e);
    h->item_end(c->b);
  }
  h->list_end(c->b);
  h->entry_end(c->b);
}

static const char *const num_values[] = {"descending", "ascending", "none",
                                         NULL};
static const char *const style_values[] = {"entries", "list", NULL};

/* One run of entries with its own count.  g holds prefix/numbering/style
 * (a group, or the section itself); num is the inherited numbering. */
static void run(pub_ctx *c, const cvpdf_node *g, numbering num) {
  const cvpdf_host *h = c->h;
  const cvpdf_node *entries = h->get(g, "entries");
  num = (numbering)choice(c, g, "numbering", 0, num_values, num);
  if (choice(c, g, "style", 0, style_values, 0) == 1) {
    list_entries(c, entries);
    return;
  }
  const char *prefix = h->get_str(g, "prefix");
  char initial[2] = {0, 0};
  const char *title = h->get_str(g, "title");
  if (!prefix && title && title[0] >= 'A' && title[0] <= 'z') {
    /* "Conferences" counts (C6) ... (C1) unless told otherwise. */
    initial[0] = (char)(title[0] >= 'a' ? title[0] - 32 : title[0]);
    prefix = initial;
  }
  size_t n = h->len(entries);
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *e = h->at(entries, i);
    if (c->column)
      column_entry(c, e);
    else
      margin_entry(c, e, label(c, e, prefix, num, i, n));
  }
}

static int publications_build(void *state, const cvpdf_host *h,
                              cvpdf_builder *b, const char *type,
                              const cvpdf_node *section) {
  (void)state;
  (void)type;
  static const char *const arr_values[] = {"margin", "column", NULL};
  pub_ctx c = {h, b, h->get(section, "highlight"), 0, 0};
  c.column = choice(&c, section, "arrangement", 1, arr_values, 0);
  numbering num =
      (numbering)choice(&c, section, "numbering", 1, num_values, NUM_DESC);
  const cvpdf_node *groups = h->get(section, "groups");
  if (!groups && !h->get(section, "entries")) {
    h->error(b, section,
             "publications section needs 'groups' or 'entries'");
    return 1;
  }
  /* Entries given directly come first: they are the ungrouped head of the
   * list (seed 003 lists its papers, then a Patents group). */
  if (h->get(section, "entries"))
    run(&c, section, num);
  for (size_t i = 0; i < h->len(groups); i++) {
    const cvpdf_node *g = h->at(groups, i);
    const char *t = h->get_str(g, "title");
    if (t)
      h->subheading(b, t);
    run(&c, g, num);
  }
  return c.errors ? 1 : 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,
    .name = "publications",
    .version = "1.0.0",
    .types = publications_types,
    .build = publications_build,
};
