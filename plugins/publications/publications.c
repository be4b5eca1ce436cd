/* cvpdf plugin: publications - papers in groups (preprints, journals,
 * conferences, workshops, patents) with counted labels "(C6) ... (C1)", the
 * CV owner's name in bold, equal-contribution marks and link words.  Two
 * arrangements, chosen by the layout's option "arrangement": "margin" (a
 * label beside title, authors, venue and notes; the academic-cv example) and
 * "column" (the venue beside one line "Authors. "Title", year."; the
 * engineer-cv example, Awesome-CV). Works are written in the CV, or read from a
 * BibTeX file (`bibtex:` on the section or a group, narrowed by `types:` and
 * `keys:`). */
#include <cvpdf/cvpdf.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A macro, not a const object: C11 array initialisers need constants. */
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
     "DOI such as 10.1000/xyz (or its address), printed and linked", NULL},
    {"label", CVPDF_FIELD_STRING, 0,
     "label text instead of the counted one, e.g. C7 (printed as (C7))", NULL},
    {"equal", CVPDF_FIELD_LIST, 0,
     "authors with equal contribution: marked * after their names", NULL},
    {NULL, 0, 0, NULL, NULL}};

/* Where BibTeX works come from and which of them a run prints. */
#define BIBTEX_FIELDS                                                          \
  {"bibtex", CVPDF_FIELD_STRING, 0,                                            \
   "BibTeX file with works, relative to the CV, e.g. refs.bib (a group "       \
   "without one takes the section's)",                                         \
   NULL},                                                                      \
      {"types", CVPDF_FIELD_LIST, 0,                                           \
       "BibTeX entry types to print, e.g. [article] or [inproceedings]",       \
       NULL},                                                                  \
      {"keys", CVPDF_FIELD_LIST, 0, "BibTeX keys to print, in this order",     \
       NULL},                                                                  \
  {                                                                            \
    "sort", CVPDF_FIELD_STRING, 0,                                             \
        "order of BibTeX works: newest (default), oldest or file", NULL        \
  }

static const cvpdf_field group_fields[] = {
    {"title", CVPDF_FIELD_STRING, 0, "group subheading, e.g. Preprints", NULL},
    {"prefix", CVPDF_FIELD_STRING, 0,
     "letter before the label number, e.g. C gives (C6); default: the "
     "title's initial",
     NULL},
    {"numbering", CVPDF_FIELD_STRING, 0,
     "descending, ascending or none (overrides the section's)", NULL},
    {"style", CVPDF_FIELD_STRING, 0,
     "entries (default) or list: a bullet list without labels, e.g. patents",
     NULL},
    {"entries", CVPDF_FIELD_LIST, 0,
     "the works of the group (required unless it takes them from BibTeX)",
     pub_fields},
    BIBTEX_FIELDS,
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
    BIBTEX_FIELDS,
    {NULL, 0, 0, NULL, NULL}};

/* Values of the options below; also those of the fields of the same name. */
static const char *const arr_values[] = {"margin", "column", NULL};
static const char *const num_values[] = {"descending", "ascending", "none",
                                         NULL};

/* The layout options this type reads (host->option). */
static const cvpdf_option publications_options[] = {
    {.name = "arrangement",
     .doc = "labels in the margin, or the venue in a column beside each entry",
     .values = arr_values},
    {.name = "numbering",
     .doc = "how labels count: descending (C6 ... C1), ascending or none",
     .values = num_values},
    {.name = NULL}};

/* The words it prints (host->word), translated by the layout. */
static const char *const publications_words[] = {
    "paper", "code", "DOI", "PhD thesis", "Master's thesis", "Technical report",
    NULL};

static const cvpdf_section_type publications_types[] = {
    {.name = "publications",
     .doc = "papers and patents, grouped and labelled",
     .fields = publications_fields,
     .options = publications_options,
     .words = publications_words},
    {.name = NULL}};

typedef enum { NUM_DESC, NUM_ASC, NUM_NONE } numbering;

typedef struct pub_ctx {
  const cvpdf_host *h;
  cvpdf_builder *b;
  const cvpdf_node *highlight; /* the owner's name forms, or NULL */
  int column;                  /* arrangement: column rather than margin */
  int errors;
  const cvpdf_node *bib;    /* the section's BibTeX entries, or NULL */
  const cvpdf_node *bib_at; /* its `bibtex` field */
  /* The keys of one BibTeX file sorted, for groups that list keys. */
  const cvpdf_node *index_of;
  struct key_ref *index;
  size_t nindex;
} pub_ctx;

/* One work, from the CV (markup) or from BibTeX (plain text, escaped
 * here), in the shape the entry builders print. */
typedef struct work {
  const cvpdf_node *node; /* the entry */
  const char *title;      /* markup */
  const char *url, *paper, *code, *doi;
  const cvpdf_node *authors; /* a name or a list of names */
  const cvpdf_node *equal;
  const char *venue;       /* markup */
  const char *venue_short; /* markup */
  const cvpdf_node *date;  /* a date node, or NULL */
  const char *when;        /* a year that is no date ("to appear") */
  const cvpdf_node *notes; /* a string or a list */
  int plain;               /* notes are plain text */
  const char *label;
} work;

/* An enumerated string, field key of map m.  With layout set, the layout
 * option of the same name is the fallback.  A bad field is an error at it;
 * a bad layout value a warning (the layout is not the CV's to fix). */
static int choice(pub_ctx *c, const cvpdf_node *m, const char *key, int layout,
                  const char *const *values, int dflt) {
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
    want =
        h->fmt(c->b, "%s%s%s", want, values[i + 1] ? ", " : " or ", values[i]);
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
static const char *authors(pub_ctx *c, const work *w) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  cvpdf_parts p;
  cvpdf_parts_init(&p, ", ");
  for (size_t i = 0; i < h->len(w->authors); i++) {
    const char *name = h->str(h->at(w->authors, i));
    if (!name)
      continue;
    const char *m = h->escape(b, name);
    if (is_listed(h, c->highlight, name))
      m = h->fmt(b, "**%s**", m);
    if (is_listed(h, w->equal, name))
      m = h->fmt(b, "%s%s", m, h->escape(b, "*"));
    cvpdf_parts_add(h, b, &p, m);
  }
  return cvpdf_parts_join(h, b, &p);
}

static const char *title(pub_ctx *c, const work *w) {
  return w->url && *w->url ? c->h->fmt(c->b, "[%s](%s)", w->title, w->url)
                           : w->title;
}

/* The title in quotes, without its own closing stop when punctuation
 * follows it ("Compression", 2024. rather than "Compression.", 2024.). */
static const char *quoted_title(pub_ctx *c, const work *w) {
  const char *t = w->title;
  size_t n = strlen(t);
  if (n > 1 && t[n - 1] == '.' && t[n - 2] != '.') {
    work bare = *w;
    bare.title = c->h->fmt(c->b, "%.*s", (int)(n - 1), t);
    return c->h->fmt(c->b, "\"%s\"", title(c, &bare));
  }
  return c->h->fmt(c->b, "\"%s\"", title(c, w));
}

static const char *year(pub_ctx *c, const work *w) {
  return w->date ? c->h->date_range(c->b, w->date, NULL) : w->when;
}

/* The DOI of a value that is a DOI or its address (https://doi.org/...). */
static const char *doi_of(const char *v) {
  const char *at = strstr(v, "doi.org/");
  return at ? at + 8 : v;
}

/* " [paper] [code] DOI 10.1000/xyz": link words in the CV's language, and
 * the DOI itself, printed so that it can be read and searched. */
static const char *links(pub_ctx *c, const work *w) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  const char *const values[] = {w->paper, w->code};
  static const char *const words[] = {"paper", "code"};
  const char *out = "";
  for (int i = 0; i < 2; i++) {
    const char *v = values[i];
    if (!v || !*v)
      continue;
    const char *word = h->escape(b, h->fmt(b, "[%s]", h->word(b, words[i])));
    out = h->fmt(b, "%s [%s](%s)", out, word, v);
  }
  if (w->doi && *w->doi) {
    const char *v = w->doi, *doi = doi_of(v);
    if (strncmp(v, "http", 4))
      v = h->fmt(b, "https://doi.org/%s", v);
    const char *text = h->escape(b, h->fmt(b, "%s %s", h->word(b, "DOI"), doi));
    out = h->fmt(b, "%s [%s](%s)", out, text, v);
  }
  return out;
}

/* `Authors. "Title", year.` - the column and list shape of the engineer-cv
 * example; in a list, where no column shows the venue, `"Title", *Venue*,
 * year.` */
static const char *citation(pub_ctx *c, const work *w, int venue) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  const char *who = authors(c, w);
  const char *when = year(c, w);
  const char *s = quoted_title(c, w);
  if (who) {
    size_t n = strlen(who);
    /* "... et al." already ends the sentence. */
    s = h->fmt(b, "%s%s %s", who, n && who[n - 1] == '.' ? "" : ".", s);
  }
  if (venue && w->venue)
    s = h->fmt(b, "%s, *%s*", s, w->venue);
  if (when)
    s = h->fmt(b, "%s, %s", s, when);
  return h->fmt(b, "%s.%s", s, links(c, w));
}

static void notes(pub_ctx *c, const work *w) {
  const cvpdf_host *h = c->h;
  if (h->len(w->notes) == 0)
    return;
  h->list_begin(c->b, CVPDF_LIST_BULLET);
  for (size_t i = 0; i < h->len(w->notes); i++) {
    const char *t = h->str(h->at(w->notes, i));
    h->item(c->b, w->plain ? h->escape(c->b, t) : t);
  }
  h->list_end(c->b);
}

static const char *label(pub_ctx *c, const work *w, const char *prefix,
                         numbering num, size_t i, size_t n) {
  const cvpdf_host *h = c->h;
  if (w->label)
    return h->fmt(c->b, "(%s)", w->label);
  if (num == NUM_NONE)
    return NULL;
  size_t k = num == NUM_DESC ? n - i : i + 1;
  return h->fmt(c->b, "(%s%zu)", prefix ? h->escape(c->b, prefix) : "", k);
}

static void margin_entry(pub_ctx *c, const work *w, const char *lab) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  h->entry_begin(b, lab);
  h->paragraph(b, "title", title(c, w));
  const char *who = authors(c, w);
  if (who)
    h->paragraph(b, "detail", who);
  const char *venue = w->venue;
  const char *when = year(c, w);
  const char *where = venue && when ? h->fmt(b, "*%s*, %s", venue, when)
                      : venue       ? h->fmt(b, "*%s*", venue)
                                    : when;
  const char *l = links(c, w);
  if (where || *l)
    h->paragraph(b, "detail",
                 h->fmt(b, "%s%s", where ? where : "", where ? l : l + 1));
  notes(c, w);
  h->entry_end(b);
}

static void column_entry(pub_ctx *c, const work *w) {
  const cvpdf_host *h = c->h;
  h->entry_begin(c->b, w->venue_short ? w->venue_short : w->venue);
  h->paragraph(c->b, "body", citation(c, w, 0));
  notes(c, w);
  h->entry_end(c->b);
}

/* Patents and the like: bullets without labels, notes nested under them. */
static void list_entries(pub_ctx *c, const work *ws, size_t n) {
  const cvpdf_host *h = c->h;
  h->entry_begin(c->b, NULL);
  h->list_begin(c->b, CVPDF_LIST_BULLET);
  for (size_t i = 0; i < n; i++) {
    const work *w = &ws[i];
    if (h->len(w->notes) == 0) {
      h->item(c->b, citation(c, w, 1));
      continue;
    }
    h->item_begin(c->b, citation(c, w, 1));
    notes(c, w);
    h->item_end(c->b);
  }
  h->list_end(c->b);
  h->entry_end(c->b);
}

/* ---- works from the CV and from BibTeX ------------------------------ */

static void from_yaml(pub_ctx *c, const cvpdf_node *e, work *w) {
  const cvpdf_host *h = c->h;
  memset(w, 0, sizeof *w);
  w->node = e;
  w->title = h->get_str(e, "title");
  w->url = h->get_str(e, "url");
  w->paper = h->get_str(e, "paper");
  w->code = h->get_str(e, "code");
  w->doi = h->get_str(e, "doi");
  w->authors = h->get(e, "authors");
  w->equal = h->get(e, "equal");
  w->venue = h->get_str(e, "venue");
  w->venue_short = h->get_str(e, "venue_short");
  w->date = h->get(e, "year");
  if (!w->date)
    w->date = h->get(e, "date");
  w->notes = h->get(e, "notes");
  w->label = h->get_str(e, "label");
}

static int is_year(const char *s) {
  if (!s)
    return 0;
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static const char *bib_str(pub_ctx *c, const cvpdf_node *e, const char *k) {
  const char *v = c->h->get_str(e, k);
  return v && *v ? v : NULL;
}

/* Where a BibTeX work appeared, as plain text: the journal with volume,
 * number and pages; the proceedings; "PhD thesis, School"; "Technical
 * report N, Institution"; else howpublished, publisher and the like. */
static const char *bib_venue(pub_ctx *c, const cvpdf_node *e,
                             const char **shortv) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  const char *type = bib_str(c, e, "type");
  type = type ? type : "";
  const char *journal = bib_str(c, e, "journal");
  if (!journal)
    journal = bib_str(c, e, "journaltitle"); /* biblatex */
  if (journal) {
    *shortv = journal;
    const char *v = journal, *vol = bib_str(c, e, "volume");
    const char *num = bib_str(c, e, "number"), *pages = bib_str(c, e, "pages");
    if (vol)
      v = h->fmt(b, "%s %s%s%s%s", v, vol, num ? "(" : "", num ? num : "",
                 num ? ")" : "");
    if (pages)
      v = h->fmt(b, "%s%s%s", v, vol ? ":" : ", ", pages);
    return v;
  }
  const char *school = bib_str(c, e, "school");
  if (!school)
    school = bib_str(c, e, "institution");
  if (!strcmp(type, "phdthesis") || !strcmp(type, "mastersthesis")) {
    const char *what =
        h->word(b, type[0] == 'p' ? "PhD thesis" : "Master's thesis");
    return school ? h->fmt(b, "%s, %s", what, school) : what;
  }
  if (!strcmp(type, "techreport")) {
    const char *num = bib_str(c, e, "number");
    const char *what = h->word(b, "Technical report");
    if (num)
      what = h->fmt(b, "%s %s", what, num);
    return school ? h->fmt(b, "%s, %s", what, school) : what;
  }
  static const char *const chain[] = {
      "booktitle",    "howpublished", "school", "institution",
      "organization", "publisher",    NULL};
  for (int i = 0; chain[i]; i++) {
    const char *v = bib_str(c, e, chain[i]);
    if (v)
      return v;
  }
  return NULL;
}

/* A BibTeX entry as a work; 0 when it cannot be printed (no title). */
static int from_bib(pub_ctx *c, const cvpdf_node *e, work *w) {
  const cvpdf_host *h = c->h;
  cvpdf_builder *b = c->b;
  memset(w, 0, sizeof *w);
  w->node = e;
  const char *t = bib_str(c, e, "title");
  if (!t) {
    h->error(b, e, "BibTeX entry '%s' has no title; expected title = {...}",
             h->get_str(e, "key"));
    c->errors++;
    return 0;
  }
  w->title = h->escape(b, t);
  w->url = bib_str(c, e, "url");
  w->doi = bib_str(c, e, "doi");
  w->code = bib_str(c, e, "code");
  w->paper = bib_str(c, e, "pdf");
  const char *eprint = bib_str(c, e, "eprint");
  const char *archive = bib_str(c, e, "archiveprefix");
  if (!archive)
    archive = bib_str(c, e, "eprinttype");
  if (!w->paper && eprint && archive && !strcasecmp(archive, "arxiv"))
    w->paper = h->fmt(b, "https://arxiv.org/abs/%s", eprint);
  w->authors = h->get(e, "author");
  if (!w->authors)
    w->authors = h->get(e, "editor");
  const char *shortv = NULL;
  const char *venue = bib_venue(c, e, &shortv);
  w->venue = venue ? h->escape(b, venue) : NULL;
  w->venue_short = shortv ? h->escape(b, shortv) : NULL;
  const cvpdf_node *date = h->get(e, "date");
  const cvpdf_node *y = h->get(e, "year");
  if (date && is_year(h->str(date)))
    w->date = date;
  else if (y && is_year(h->str(y)) && !h->str(y)[4])
    w->date = y;
  else if (bib_str(c, e, "year"))
    w->when = h->escape(b, bib_str(c, e, "year"));
  w->notes = h->get(e, "note");
  w->plain = 1;
  return 1;
}

/* Year and month as a number for sorting; undated works sort last. */
static long when_key(const cvpdf_host *h, const work *w) {
  const char *s = w->date ? h->str(w->date) : NULL;
  if (!is_year(s))
    return -1;
  long k = strtol(s, NULL, 10) * 100;
  if (s[4] == '-')
    k += strtol(s + 5, NULL, 10);
  return k;
}

typedef struct works {
  work *v;
  size_t n, cap;
} works;

static int push(pub_ctx *c, works *ws, const work *w) {
  if (ws->n == ws->cap) {
    size_t cap = ws->cap ? ws->cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof *ws->v) {
      c->errors++;
      return -1;
    }
    work *v = realloc(ws->v, cap * sizeof *v);
    if (!v) {
      c->h->error(c->b, w->node, "out of memory");
      c->errors++;
      return -1;
    }
    ws->v = v;
    ws->cap = cap;
  }
  ws->v[ws->n++] = *w;
  return 0;
}

static int type_ok(pub_ctx *c, const cvpdf_node *types, const cvpdf_node *e) {
  const cvpdf_host *h = c->h;
  if (!types)
    return 1;
  const char *t = h->get_str(e, "type");
  for (size_t i = 0; t && i < h->len(types); i++) {
    const char *want = h->str(h->at(types, i));
    if (want && !strcasecmp(want, t))
      return 1;
  }
  return 0;
}

static const cvpdf_node *load(pub_ctx *c, const cvpdf_node *field) {
  const cvpdf_host *h = c->h;
  if (h->size < offsetof(cvpdf_host, load_bibtex) + sizeof h->load_bibtex ||
      !h->load_bibtex) {
    h->error(c->b, field,
             "this cvpdf cannot read BibTeX files (it predates plugin ABI "
             "1.1); list the works under 'entries' instead");
    c->errors++;
    return NULL;
  }
  const cvpdf_node *bib = h->load_bibtex(c->b, field, h->str(field));
  if (!bib)
    c->errors++;
  return bib;
}

typedef struct key_ref {
  const char *key;
  size_t at;
} key_ref;

static int key_ref_cmp(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  return r ? r : (x->at > y->at) - (x->at < y->at);
}

static int out_of_memory(pub_ctx *c, const cvpdf_node *at) {
  c->h->error(c->b, at, "out of memory");
  c->errors++;
  return -1;
}

/* Sorts the keys of bib once (by key, then file order), so that groups
 * listing keys find each in log time whatever the size of the file. */
static int index_bib(pub_ctx *c, const cvpdf_node *bib) {
  const cvpdf_host *h = c->h;
  if (c->index_of == bib)
    return 0;
  size_t n = h->len(bib);
  key_ref *v =
      n < SIZE_MAX / sizeof *v ? malloc((n ? n : 1) * sizeof *v) : NULL;
  if (!v)
    return out_of_memory(c, bib);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const char *key = h->get_str(h->at(bib, i), "key");
    if (key)
      v[m++] = (key_ref){key, i};
  }
  qsort(v, m, sizeof *v, key_ref_cmp);
  free(c->index);
  c->index = v;
  c->nindex = m;
  c->index_of = bib;
  return 0;
}

/* The first entry of the indexed file with this key, or SIZE_MAX. */
static size_t find_key(const pub_ctx *c, const char *key) {
  size_t lo = 0, hi = c->nindex;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(c->index[mid].key, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->nindex && !strcmp(c->index[lo].key, key) ? c->index[lo].at
                                                          : SIZE_MAX;
}

typedef struct when_ref {
  long when; /* newest first: as is; oldest first: undated as LONG_MAX */
  size_t at;
} when_ref;

static int newest_first(const void *a, const void *b) {
  const when_ref *x = a, *y = b;
  if (x->when != y->when)
    return x->when > y->when ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

static int oldest_first(const void *a, const void *b) {
  const when_ref *x = a, *y = b;
  if (x->when != y->when)
    return x->when < y->when ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

/* Sorts v[0..n) by date, newest (order 0) or oldest (1) first, undated
 * works last; stable, so works of one year keep the file's order. */
static void sort_works(pub_ctx *c, work *v, size_t n, int order) {
  if (n < 2)
    return;
  when_ref *k = n < SIZE_MAX / sizeof(work) ? malloc(n * sizeof *k) : NULL;
  work *tmp = k ? malloc(n * sizeof *tmp) : NULL;
  if (!tmp) {
    free(k);
    out_of_memory(c, v[0].node);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    long w = when_key(c->h, &v[i]);
    k[i] = (when_ref){order == 0 || w >= 0 ? w : LONG_MAX, i};
  }
  qsort(k, n, sizeof *k, order == 0 ? newest_first : oldest_first);
  for (size_t i = 0; i < n; i++)
    tmp[i] = v[k[i].at];
  memcpy(v, tmp, n * sizeof *v);
  free(tmp);
  free(k);
}

static const char *const sort_values[] = {"newest", "oldest", "file", NULL};

/* The BibTeX works of run g (a group, or the section itself) added to ws:
 * its own file, or the section's, narrowed by `types` and `keys` (keys
 * give the order), else sorted as `sort` says. */
static void bib_works(pub_ctx *c, const cvpdf_node *g, const cvpdf_node *bib,
                      works *ws) {
  const cvpdf_host *h = c->h;
  const cvpdf_node *types = h->get(g, "types");
  const cvpdf_node *keys = h->get(g, "keys");
  size_t first = ws->n;
  if (keys) {
    if (index_bib(c, bib) < 0)
      return;
    for (size_t k = 0; k < h->len(keys); k++) {
      const cvpdf_node *kn = h->at(keys, k);
      const char *key = h->str(kn);
      size_t i = key ? find_key(c, key) : SIZE_MAX;
      if (i == SIZE_MAX) {
        h->error(c->b, kn, "no entry with key '%s' in the BibTeX file",
                 key ? key : "");
        c->errors++;
        continue;
      }
      work w;
      if (type_ok(c, types, h->at(bib, i)) && from_bib(c, h->at(bib, i), &w))
        push(c, ws, &w);
    }
    return;
  }
  for (size_t i = 0; i < h->len(bib); i++) {
    work w;
    if (type_ok(c, types, h->at(bib, i)) && from_bib(c, h->at(bib, i), &w) &&
        push(c, ws, &w))
      return;
  }
  int order = choice(c, g, "sort", 0, sort_values, 0);
  if (order != 2)
    sort_works(c, ws->v + first, ws->n - first, order);
}

static const char *const style_values[] = {"entries", "list", NULL};

/* One run of entries with its own count.  g holds prefix/numbering/style
 * (a group, or the section itself); num is the inherited numbering; bib
 * the BibTeX entries it selects from (NULL for none). */
static void run(pub_ctx *c, const cvpdf_node *g, numbering num,
                const cvpdf_node *bib) {
  const cvpdf_host *h = c->h;
  const cvpdf_node *entries = h->get(g, "entries");
  works ws = {0};
  for (size_t i = 0; i < h->len(entries); i++) {
    work w;
    from_yaml(c, h->at(entries, i), &w);
    if (push(c, &ws, &w))
      break;
  }
  if (bib)
    bib_works(c, g, bib, &ws);
  num = (numbering)choice(c, g, "numbering", 0, num_values, num);
  if (choice(c, g, "style", 0, style_values, 0) == 1) {
    list_entries(c, ws.v, ws.n);
    free(ws.v);
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
  for (size_t i = 0; i < ws.n; i++) {
    if (c->column)
      column_entry(c, &ws.v[i]);
    else
      margin_entry(c, &ws.v[i], label(c, &ws.v[i], prefix, num, i, ws.n));
  }
  free(ws.v);
}

/* The BibTeX entries group g selects from: its own file, or the section's
 * (loaded once) when it selects with types/keys or lists no entries of its
 * own; NULL when none. */
static const cvpdf_node *group_bib(pub_ctx *c, const cvpdf_node *g,
                                   int *failed) {
  const cvpdf_host *h = c->h;
  const cvpdf_node *own = h->get(g, "bibtex");
  *failed = 0;
  if (own) {
    const char *a = h->str(own), *s = h->str(c->bib_at);
    if (c->bib && a && s && !strcmp(a, s))
      return c->bib;
    const cvpdf_node *bib = load(c, own);
    *failed = !bib;
    return bib;
  }
  if (h->get(g, "entries") && !h->get(g, "types") && !h->get(g, "keys"))
    return NULL;
  return c->bib;
}

static int publications_build(void *state, const cvpdf_host *h,
                              cvpdf_builder *b, const char *type,
                              const cvpdf_node *section) {
  (void)state;
  (void)type;
  pub_ctx c = {.h = h, .b = b, .highlight = h->get(section, "highlight")};
  c.column = choice(&c, section, "arrangement", 1, arr_values, 0);
  numbering num =
      (numbering)choice(&c, section, "numbering", 1, num_values, NUM_DESC);
  const cvpdf_node *groups = h->get(section, "groups");
  c.bib_at = h->get(section, "bibtex");
  if (!groups && !h->get(section, "entries") && !c.bib_at) {
    h->error(b, section,
             "publications section needs 'groups', 'entries' or 'bibtex'");
    return 1;
  }
  if (c.bib_at && !(c.bib = load(&c, c.bib_at)))
    return 1;
  static const char *const narrow[] = {"types", "keys", "sort", NULL};
  for (int i = 0; groups && narrow[i]; i++)
    if (h->get(section, narrow[i]))
      h->warn(b, h->get(section, narrow[i]),
              "section field '%s' is ignored when the section has "
              "groups; give it to each group that reads BibTeX",
              narrow[i]);
  /* Entries given directly come first: they are the ungrouped head of the
   * list (the engineer-cv example lists its papers, then a Patents group). With
   * groups, the section's BibTeX file is what the groups select from. */
  if (h->get(section, "entries") || (c.bib && !groups))
    run(&c, section, num, groups ? NULL : c.bib);
  for (size_t i = 0; i < h->len(groups); i++) {
    const cvpdf_node *g = h->at(groups, i);
    int failed;
    const cvpdf_node *bib = group_bib(&c, g, &failed);
    if (failed)
      continue;
    if (!h->get(g, "entries") && !bib) {
      h->error(b, g,
               "group needs 'entries' or 'bibtex' (its own, or the "
               "section's)");
      c.errors++;
      continue;
    }
    const char *t = h->get_str(g, "title");
    if (t)
      h->subheading(b, t);
    run(&c, g, num, bib);
  }
  free(c.index);
  return c.errors ? 1 : 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,         .name = "publications",
    .version = "1.1.0",          .types = publications_types,
    .build = publications_build,
};
