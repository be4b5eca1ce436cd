/* cvpdf - JSON Resume (schema 1.x, with the older names `website`,
 * `company`, `gpa`) into cvpdf's own sections.  JSON Resume text is plain,
 * so every printed value is escaped before inline markup sees it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/files.h"
#include "document/convert_int.h"
#include "document/schema.h"

#define JR "JSON Resume"

/* The value of the first of keys that is present (older spellings). */
static const cvpdf_node *first_str(cv_conv *c, const cvpdf_node *e,
                                   const char *const *keys) {
  for (size_t i = 0; keys[i]; i++) {
    const cvpdf_node *n = cv_conv_want_str(c, e, keys[i], JR);
    if (n)
      return n;
  }
  return NULL;
}

/* dst[dkey] = escaped text of src[skey]. */
static void put_text(cv_conv *c, cvpdf_node *dst, const char *dkey,
                     const cvpdf_node *src, const char *skey) {
  const cvpdf_node *n = cv_conv_want_str(c, src, skey, JR);
  cv_conv_set(c, dst, dkey, cv_conv_key(src, skey), cv_conv_text(c, n));
}

/* dst[dkey] = src[skey] as written (an address, not printed text). */
static void put_raw(cv_conv *c, cvpdf_node *dst, const char *dkey,
                    const cvpdf_node *n, const cvpdf_node *keyat) {
  if (n)
    cv_conv_set(c, dst, dkey, keyat, cv_conv_scalar(c, n, n->str));
}

/* A date of e as the native tree wants it: as written when it is one cvpdf
 * reads, else {text: ...} (printed as written) after a warning, since the
 * schema asks for ISO 8601; NULL when absent or empty. */
static cvpdf_node *want_date(cv_conv *c, const cvpdf_node *e, const char *key) {
  const cvpdf_node *n = cv_conv_want_str(c, e, key, JR);
  cv_date d;
  if (!n || !*n->str)
    return NULL;
  if (cv_date_parse(n->str, &d) == 0)
    return cv_conv_scalar(c, n, n->str);
  cv_conv_warn(c, n,
               JR " field '%s' expected an ISO 8601 date such as 2014-06-29, "
                  "2014-06 or 2014, found '%s'; it is printed as written",
               key, n->str);
  cvpdf_node *m = cv_conv_map(c, n);
  cv_conv_set(c, m, "text", n, cv_conv_scalar(c, n, n->str));
  return m;
}

/* startDate/endDate (or a single date key) into start/end/date.  JSON
 * Resume leaves endDate out while something is still going on. */
static void put_dates(cv_conv *c, cvpdf_node *dst, const cvpdf_node *e,
                      const char *start_key, const char *end_key) {
  cvpdf_node *s = want_date(c, e, start_key);
  cvpdf_node *en = end_key ? want_date(c, e, end_key) : NULL;
  if (s && !end_key) {
    cv_conv_set(c, dst, "date", cv_conv_key(e, start_key), s);
    return;
  }
  if (s)
    cv_conv_set(c, dst, "start", cv_conv_key(e, start_key), s);
  if (en)
    cv_conv_set(c, dst, "end", cv_conv_key(e, end_key), en);
  else if (s)
    cv_conv_set(c, dst, "end", NULL, cv_conv_scalar(c, s, "present"));
}

/* An entry's keys in the order cvpdf writes them; the list ends with src
 * NULL. */
typedef enum {
  F_TEXT,  /* dst = escaped text of src */
  F_RAW,   /* dst = src as written (an address) */
  F_DATE,  /* date = src */
  F_RANGE, /* start and end from startDate and endDate */
} field_kind;
typedef struct field {
  field_kind kind;
  const char *dst, *src;
} field;
#define RANGE                                                                  \
  { F_RANGE, NULL, "startDate" }

static cvpdf_node *mapped(cv_conv *c, const cvpdf_node *e, const field *f) {
  cvpdf_node *r = cv_conv_map(c, e);
  for (; f->src; f++) {
    switch (f->kind) {
    case F_TEXT:
      put_text(c, r, f->dst, e, f->src);
      break;
    case F_RAW:
      put_raw(c, r, f->dst, cv_conv_want_str(c, e, f->src, JR), NULL);
      break;
    case F_DATE:
      put_dates(c, r, e, f->src, NULL);
      break;
    case F_RANGE:
      put_dates(c, r, e, "startDate", "endDate");
      break;
    }
  }
  return r;
}

static cvpdf_node *section(cv_conv *c, const cvpdf_node *at, const char *type,
                           const char *title) {
  cvpdf_node *s = cv_conv_map(c, at);
  cv_conv_set(c, s, "type", at, cv_conv_scalar(c, at, type));
  cv_conv_set(c, s, "title", at, cv_conv_scalar(c, at, title));
  return s;
}

/* A section whose entries come from a list of mappings: NULL when the
 * value is absent or not a list (an error then). */
static const cvpdf_node *entries_of(cv_conv *c, const cvpdf_node *root,
                                    const char *key) {
  return cv_conv_want_seq(c, root, key, JR);
}

static int is_entry(cv_conv *c, const cvpdf_node *e, const char *key) {
  if (e && e->kind == CVPDF_NODE_MAP)
    return 1;
  if (!cv_conv_is_null(e))
    cv_conv_error(c, e,
                  JR " field '%s' expected a list of mappings, found %s "
                     "in it",
                  key, cv_node_kind_name(e));
  return 0;
}

/* "a, b, c" from a list of strings, escaped; NULL when empty. */
static char *joined(cv_conv *c, const cvpdf_node *seq, const char *what) {
  cvpdf_node *l = cv_conv_text_list(c, seq, what);
  if (!l)
    return NULL;
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < l->n; i++) {
    if (i)
      cv_buf_puts(&b, ", ");
    cv_buf_puts(&b, l->items[i]->str);
  }
  char *r = b.failed ? NULL : cv_arena_strdup(c->arena, b.data ? b.data : "");
  cv_buf_fini(&b);
  if (!r)
    c->oom = 1;
  return r;
}

/* ---- basics ---------------------------------------------------------- */

/* "Street, Postcode City, Region, CC" from basics.location (a mapping with
 * schema 1.x's keys or the hyphenated ones of the 0.x files, or older
 * files' plain string). */
static cvpdf_node *location(cv_conv *c, const cvpdf_node *basics) {
  const cvpdf_node *loc = cv_conv_get(basics, "location");
  if (!loc)
    return NULL;
  if (loc->kind == CVPDF_NODE_SCALAR)
    return cv_conv_text(c, loc);
  if (loc->kind != CVPDF_NODE_MAP) {
    cv_conv_error(c, loc,
                  JR " field 'location' expected a mapping (city, "
                     "region, countryCode), found a list");
    return NULL;
  }
  static const char *const street[] = {"address", "street-address", NULL},
                           *const post[] = {"postalCode", "postal-code", NULL},
                           *const city[] = {"city", "locality", NULL},
                           *const region[] = {"region", NULL},
                           *const country[] = {"countryCode", "country-name",
                                               NULL};
  const char *const *parts[] = {street, post, city, region, country};
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    const cvpdf_node *p = first_str(c, loc, parts[i]);
    if (!p || !*p->str)
      continue;
    /* the postcode and the city go together: "98105 Seattle" */
    if (b.len)
      cv_buf_puts(&b, i == 2 && first_str(c, loc, post) ? " " : ", ");
    cv_buf_puts(&b, p->str);
  }
  cvpdf_node *r = NULL;
  if (b.failed)
    c->oom = 1;
  else if (b.len)
    r = cv_conv_scalar(c, loc, cv_conv_escape(c, b.data));
  cv_buf_fini(&b);
  return r;
}

/* Networks the header prints as contact items; the rest go to a
 * "Profiles" section so nothing the user wrote is lost. */
static const char *contact_key(const char *network) {
  static const struct {
    const char *network, *key;
  } map[] = {{"linkedin", "linkedin"}, {"github", "github"},
             {"twitter", "twitter"},   {"x", "twitter"},
             {"orcid", "orcid"},       {"google scholar", "scholar"},
             {"scholar", "scholar"},   {"googlescholar", "scholar"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcasecmp(network, map[i].network))
      return map[i].key;
  return NULL;
}

static void profiles(cv_conv *c, const cvpdf_node *basics, cvpdf_node *contact,
                     cvpdf_node **pairs) {
  const cvpdf_node *ps = cv_conv_want_seq(c, basics, "profiles", JR);
  for (size_t i = 0; ps && i < ps->n; i++) {
    const cvpdf_node *p = ps->items[i];
    if (!is_entry(c, p, "profiles"))
      continue;
    const cvpdf_node *net = cv_conv_want_str(c, p, "network", JR);
    const cvpdf_node *user = cv_conv_want_str(c, p, "username", JR);
    const cvpdf_node *url = cv_conv_want_str(c, p, "url", JR);
    if (!user && !url)
      continue;
    const char *key = net ? contact_key(net->str) : NULL;
    if (key && !strcmp(key, "scholar") && !url)
      key = NULL; /* the header wants the profile's address */
    if (key && !cv_node_get(contact, key)) {
      const cvpdf_node *v = !strcmp(key, "scholar") ? url : user ? user : url;
      cv_conv_set(c, contact, key, net, cv_conv_scalar(c, v, v->str));
      continue;
    }
    if (!*pairs)
      *pairs = cv_conv_seq(c, ps);
    cvpdf_node *pair = cv_conv_map(c, p);
    cv_conv_set(c, pair, "label", cv_conv_key(p, "network"),
                cv_conv_scalar(c, net ? net : p,
                               cv_conv_escape(c, net ? net->str : "Profile")));
    const char *shown = cv_conv_escape(c, user ? user->str : url->str);
    const char *v =
        url && shown ? cv_arena_printf(c->arena, "[%s](<%s>)", shown, url->str)
                     : shown;
    cv_conv_set(c, pair, "value", NULL,
                cv_conv_scalar(c, user ? user : url, v));
    cv_conv_push(c, *pairs, pair);
  }
}

/* JSON Resume has no language field: a CV whose name and summary are
 * written in Han, kana or Hangul is taken to be in Chinese, Japanese or
 * Korean, so that its dates and words are; NULL for any other script. */
static const char *script_language(const cvpdf_node *b) {
  static const char *const keys[] = {"name", "label", "summary"};
  size_t han = 0, kana = 0, hangul = 0, latin = 0;
  for (size_t k = 0; k < 3; k++) {
    const char *s = cv_node_get_str(b, keys[k]);
    for (size_t n = s ? strlen(s) : 0; s && n > 0;) {
      uint32_t cp;
      int len = cv_utf8_decode(s, n, &cp);
      if (len <= 0)
        break;
      han += cp >= 0x4E00 && cp <= 0x9FFF;
      kana += cp >= 0x3040 && cp <= 0x30FF;
      hangul += cp >= 0xAC00 && cp <= 0xD7AF;
      latin += (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
      s += len;
      n -= (size_t)len;
    }
  }
  if (hangul > latin)
    return "ko";
  if (kana && han + kana > latin)
    return "ja";
  return han > latin ? "zh" : NULL;
}

static void basics(cv_conv *c, const cvpdf_node *b, cvpdf_node *root,
                   cvpdf_node *secs, cvpdf_node **pairs) {
  put_text(c, root, "name", b, "name");
  put_text(c, root, "headline", b, "label");
  const char *lang = script_language(b);
  if (lang)
    cv_conv_set(c, root, "language", NULL, cv_conv_scalar(c, b, lang));
  cvpdf_node *contact = cv_conv_map(c, b);
  put_text(c, contact, "email", b, "email");
  put_text(c, contact, "phone", b, "phone");
  static const char *const web[] = {"url", "website", NULL};
  const cvpdf_node *w = first_str(c, b, web);
  if (w)
    put_raw(c, contact, "website", w, NULL);
  profiles(c, b, contact, pairs);
  cv_conv_set(c, contact, "location", cv_conv_key(b, "location"),
              location(c, b));
  if (contact && contact->n)
    cv_conv_set(c, root, "contact", cv_conv_key(b, "email"), contact);
  /* basics.image (`picture` in older files) is cvpdf's photo: a file,
   * relative to the CV, or (as most themes expect) a web address, which
   * the render fetches into its photo cache. */
  static const char *const img[] = {"image", "picture", NULL};
  const cvpdf_node *im = first_str(c, b, img);
  if (im && (!strstr(im->str, "://") || cv_is_web_address(im->str)))
    put_raw(c, root, "photo", im, NULL);
  else if (im)
    cv_conv_warn(c, im,
                 JR " field '%s' expected a photo file (a path relative to "
                    "the CV) or an http or https address, found '%s'; none "
                    "is printed",
                 cv_conv_get(b, "image") == im ? "image" : "picture", im->str);
  const cvpdf_node *sum = cv_conv_want_str(c, b, "summary", JR);
  if (sum) {
    cvpdf_node *s = section(c, cv_conv_key(b, "summary"), "summary", "Summary");
    cv_conv_set(c, s, "text", NULL, cv_conv_text(c, sum));
    cv_conv_push(c, secs, s);
  }
}

/* ---- sections -------------------------------------------------------- */

/* "description. summary": the first says what the organisation is. */
static cvpdf_node *role_summary(cv_conv *c, const cvpdf_node *e) {
  const cvpdf_node *d = cv_conv_want_str(c, e, "description", JR);
  const cvpdf_node *s = cv_conv_want_str(c, e, "summary", JR);
  if (!d || !s)
    return cv_conv_text(c, d ? d : s);
  char last = d->len ? d->str[d->len - 1] : '.';
  const char *text = cv_arena_printf(
      c->arena, "%s%s %s", cv_conv_escape(c, d->str),
      strchr(".!?", last) ? "" : ".", cv_conv_escape(c, s->str));
  return cv_conv_scalar(c, d, text);
}

/* e's highlights into r, with a last one "Keywords: a, b" from its
 * keywords (projects have them in the schema; themes print them on work
 * entries too). */
static void highlights(cv_conv *c, const cvpdf_node *e, cvpdf_node *r) {
  const cvpdf_node *hs = cv_conv_want_seq(c, e, "highlights", JR);
  cvpdf_node *h = cv_conv_text_list(c, hs, JR " field 'highlights'");
  const cvpdf_node *kw = cv_conv_want_seq(c, e, "keywords", JR);
  char *kws = joined(c, kw, JR " field 'keywords'");
  if (kws) {
    if (!h)
      h = cv_conv_seq(c, kw);
    cv_conv_push(
        c, h,
        cv_conv_scalar(c, kw, cv_arena_printf(c->arena, "Keywords: %s", kws)));
  }
  cv_conv_set(c, r, "highlights",
              cv_conv_key(e, hs ? "highlights" : "keywords"), h);
}

static cvpdf_node *role(cv_conv *c, const cvpdf_node *e) {
  static const char *const org[] = {"name", "company", "organization",
                                    "organisation", NULL};
  static const char *const web[] = {"url", "website", NULL};
  cvpdf_node *r = cv_conv_map(c, e);
  const cvpdf_node *o = first_str(c, e, org);
  cv_conv_set(c, r, "organisation", NULL, cv_conv_text(c, o));
  put_text(c, r, "title", e, "position");
  put_text(c, r, "location", e, "location");
  put_dates(c, r, e, "startDate", "endDate");
  const cvpdf_node *u = first_str(c, e, web);
  put_raw(c, r, "url", u, NULL);
  cv_conv_set(c, r, "summary", NULL, role_summary(c, e));
  highlights(c, e, r);
  return r;
}

static cvpdf_node *education(cv_conv *c, const cvpdf_node *e) {
  static const field head[] = {{F_TEXT, "institution", "institution"},
                               {F_TEXT, "degree", "studyType"},
                               {F_TEXT, "field", "area"},
                               {F_TEXT, "location", "location"},
                               RANGE,
                               {F_TEXT, NULL, NULL}};
  cvpdf_node *r = mapped(c, e, head);
  static const char *const gpa[] = {"score", "gpa", NULL};
  cv_conv_set(c, r, "gpa", NULL, cv_conv_text(c, first_str(c, e, gpa)));
  const cvpdf_node *cs = cv_conv_want_seq(c, e, "courses", JR);
  char *courses = joined(c, cs, JR " field 'courses'");
  if (courses) {
    cvpdf_node *h = cv_conv_seq(c, cs);
    cv_conv_push(c, h,
                 cv_conv_scalar(
                     c, cs, cv_arena_printf(c->arena, "Courses: %s", courses)));
    cv_conv_set(c, r, "highlights", cv_conv_key(e, "courses"), h);
  }
  put_raw(c, r, "url", cv_conv_want_str(c, e, "url", JR), NULL);
  return r;
}

static cvpdf_node *award(cv_conv *c, const cvpdf_node *e) {
  static const field fields[] = {
      {F_TEXT, "name", "title"}, {F_TEXT, "awarder", "awarder"},
      {F_DATE, NULL, "date"},    {F_TEXT, "note", "summary"},
      {F_RAW, "url", "url"},     {F_TEXT, NULL, NULL}};
  return mapped(c, e, fields);
}

static cvpdf_node *certificate(cv_conv *c, const cvpdf_node *e) {
  static const field fields[] = {{F_TEXT, "name", "name"},
                                 {F_TEXT, "awarder", "issuer"},
                                 {F_DATE, NULL, "date"},
                                 {F_RAW, "url", "url"},
                                 {F_TEXT, NULL, NULL}};
  return mapped(c, e, fields);
}

static cvpdf_node *publication(cv_conv *c, const cvpdf_node *e) {
  static const field head[] = {{F_TEXT, "title", "name"},
                               {F_TEXT, "venue", "publisher"},
                               {F_DATE, NULL, "releaseDate"},
                               {F_RAW, "url", "url"},
                               {F_TEXT, NULL, NULL}};
  cvpdf_node *r = mapped(c, e, head);
  const cvpdf_node *s = cv_conv_want_str(c, e, "summary", JR);
  if (s) {
    cvpdf_node *notes = cv_conv_seq(c, s);
    cv_conv_push(c, notes, cv_conv_text(c, s));
    cv_conv_set(c, r, "notes", cv_conv_key(e, "summary"), notes);
  }
  return r;
}

/* skills, languages, interests: a label and its keywords. */
static cvpdf_node *pair(cv_conv *c, const cvpdf_node *e, const char *label_key,
                        const char *value_key, const char *list_key) {
  cvpdf_node *r = cv_conv_map(c, e);
  const cvpdf_node *label = cv_conv_want_str(c, e, label_key, JR);
  const cvpdf_node *value =
      value_key ? cv_conv_want_str(c, e, value_key, JR) : NULL;
  const cvpdf_node *list =
      list_key ? cv_conv_want_seq(c, e, list_key, JR) : NULL;
  char what[64];
  snprintf(what, sizeof what, JR " field '%s'", list_key ? list_key : "");
  cvpdf_node *items = list ? cv_conv_text_list(c, list, what) : NULL;
  if (items && value) {
    /* Skills: "Web Development (Master): HTML, CSS". */
    const char *l = cv_arena_printf(c->arena, "%s (%s)",
                                    cv_conv_escape(c, label ? label->str : ""),
                                    cv_conv_escape(c, value->str));
    cv_conv_set(c, r, "label", cv_conv_key(e, label_key),
                cv_conv_scalar(c, label ? label : e, l));
  } else {
    cv_conv_set(c, r, "label", cv_conv_key(e, label_key),
                cv_conv_text(c, label));
  }
  if (items)
    cv_conv_set(c, r, "items", cv_conv_key(e, list_key), items);
  else
    cv_conv_set(c, r, "value", value ? cv_conv_key(e, value_key) : NULL,
                value ? cv_conv_text(c, value) : cv_conv_scalar(c, e, ""));
  return r;
}

static cvpdf_node *skill(cv_conv *c, const cvpdf_node *e) {
  return pair(c, e, "name", "level", "keywords");
}
static cvpdf_node *language(cv_conv *c, const cvpdf_node *e) {
  return pair(c, e, "language", "fluency", NULL);
}
/* An interest with a summary: "Photography: landscape, street — I love
 * taking photos ...". */
static cvpdf_node *interest(cv_conv *c, const cvpdf_node *e) {
  const cvpdf_node *s = cv_conv_want_str(c, e, "summary", JR);
  if (!s)
    return pair(c, e, "name", NULL, "keywords");
  cvpdf_node *r = cv_conv_map(c, e);
  cv_conv_set(c, r, "label", cv_conv_key(e, "name"),
              cv_conv_text(c, cv_conv_want_str(c, e, "name", JR)));
  char *kws =
      joined(c, cv_conv_want_seq(c, e, "keywords", JR), JR " field 'keywords'");
  const char *text = cv_conv_escape(c, s->str);
  if (kws && text)
    text = cv_arena_printf(c->arena, "%s — %s", kws, text);
  if (!text) {
    c->oom = 1;
    return r;
  }
  cv_conv_set(c, r, "value", cv_conv_key(e, "summary"),
              cv_conv_scalar(c, s, text));
  return r;
}

/* A reference is a quotation: "text — *Name*". */
static cvpdf_node *reference(cv_conv *c, const cvpdf_node *e) {
  const cvpdf_node *name = cv_conv_want_str(c, e, "name", JR);
  const cvpdf_node *text = cv_conv_want_str(c, e, "reference", JR);
  if (!text)
    return cv_conv_text(c, name);
  if (!name)
    return cv_conv_text(c, text);
  return cv_conv_scalar(c, text,
                        cv_arena_printf(c->arena, "%s — *%s*",
                                        cv_conv_escape(c, text->str),
                                        cv_conv_escape(c, name->str)));
}

static cvpdf_node *project(cv_conv *c, const cvpdf_node *e) {
  cvpdf_node *r = cv_conv_map(c, e);
  put_text(c, r, "name", e, "name");
  /* "Team lead, Designer · Smoogle · application" */
  const cvpdf_node *roles = cv_conv_want_seq(c, e, "roles", JR);
  const char *parts[3] = {joined(c, roles, JR " field 'roles'"), NULL, NULL};
  const cvpdf_node *ent = cv_conv_want_str(c, e, "entity", JR);
  const cvpdf_node *typ = cv_conv_want_str(c, e, "type", JR);
  parts[1] = ent ? cv_conv_escape(c, ent->str) : NULL;
  parts[2] = typ ? cv_conv_escape(c, typ->str) : NULL;
  cv_buf b;
  cv_buf_init(&b);
  for (int i = 0; i < 3; i++)
    if (parts[i] && *parts[i]) {
      if (b.len)
        cv_buf_puts(&b, " · ");
      cv_buf_puts(&b, parts[i]);
    }
  if (b.failed)
    c->oom = 1;
  else if (b.len)
    cv_conv_set(c, r, "subtitle", NULL,
                cv_conv_scalar(c,
                               roles ? roles
                               : ent ? ent
                                     : typ,
                               b.data));
  cv_buf_fini(&b);
  put_dates(c, r, e, "startDate", "endDate");
  put_raw(c, r, "url", cv_conv_want_str(c, e, "url", JR), NULL);
  put_text(c, r, "description", e, "description");
  highlights(c, e, r);
  return r;
}

typedef cvpdf_node *(*entry_fn)(cv_conv *c, const cvpdf_node *e);

/* What each JSON Resume list becomes. */
static const struct {
  const char *key, *type, *title, *list;
  entry_fn fn;
  const char *required; /* what the cvpdf entry cannot do without */
} kinds[] = {
    {"work", "roles", "Experience", "entries", role, NULL},
    {"volunteer", "roles", "Volunteering", "entries", role, NULL},
    {"education", "education", "Education", "entries", education,
     "institution"},
    {"awards", "awards", "Awards", "entries", award, "title"},
    {"certificates", "awards", "Certificates", "entries", certificate, "name"},
    {"publications", "publications", "Publications", "entries", publication,
     "name"},
    {"skills", "skills", "Skills", "pairs", skill, "name"},
    {"languages", "skills", "Languages", "pairs", language, "language"},
    {"interests", "skills", "Interests", "pairs", interest, "name"},
    {"references", "summary", "References", "text", reference, NULL},
    {"projects", "projects", "Projects", "entries", project, "name"},
};

static void list_section(cv_conv *c, const cvpdf_node *root, size_t k,
                         cvpdf_node *secs) {
  const cvpdf_node *list = entries_of(c, root, kinds[k].key);
  if (!list || list->n == 0)
    return;
  cvpdf_node *s = section(c, cv_conv_key(root, kinds[k].key), kinds[k].type,
                          kinds[k].title);
  cvpdf_node *items = cv_conv_seq(c, list);
  for (size_t i = 0; i < list->n; i++) {
    const cvpdf_node *e = list->items[i];
    if (!is_entry(c, e, kinds[k].key))
      continue;
    if (kinds[k].required && !cv_conv_get(e, kinds[k].required)) {
      /* Said in the user's terms, not in those of the cvpdf field. */
      cv_conv_error(c, e, JR " '%s' entry is missing required field '%s'",
                    kinds[k].key, kinds[k].required);
      continue;
    }
    cv_conv_push(c, items, kinds[k].fn(c, e));
  }
  if (!items || !items->n)
    return;
  if (!strcmp(kinds[k].type, "publications"))
    /* JSON Resume lists works without counted labels. */
    cv_conv_set(c, s, "numbering", NULL, cv_conv_scalar(c, list, "none"));
  cv_conv_set(c, s, kinds[k].list, NULL, items);
  cv_conv_push(c, secs, s);
}

/* A top-level key the schema does not have: its content would be lost
 * without a word, so a warning names it and the key it may stand for
 * (a misspelling, or another resume format's name for a section). */
static void unknown_keys(cv_conv *c, const cvpdf_node *src) {
  static const char *const known[] = {
      "$schema",   "basics",       "work",         "volunteer", "education",
      "awards",    "certificates", "publications", "skills",    "languages",
      "interests", "references",   "projects",     "meta",      NULL};
  static const char *const other[][2] = {{"experience", "work"},
                                         {"experiences", "work"},
                                         {"employment", "work"},
                                         {"jobs", "work"},
                                         {"positions", "work"},
                                         {"volunteering", "volunteer"},
                                         {"certifications", "certificates"},
                                         {"honors", "awards"},
                                         {"achievements", "awards"},
                                         {"hobbies", "interests"},
                                         {"sideProjects", "projects"},
                                         {"portfolio", "projects"}};
  for (size_t i = 0; i < src->n; i++) {
    const char *key = src->keys[i]->str;
    size_t k = 0;
    while (known[k] && strcmp(known[k], key))
      k++;
    if (known[k])
      continue;
    const char *near = cv_nearest(key, known);
    for (size_t j = 0; j < sizeof other / sizeof *other; j++)
      if (!strcasecmp(key, other[j][0]))
        near = other[j][1];
    if (near)
      cv_conv_warn(c, src->keys[i],
                   JR " has no top-level key '%s': it is left out; did you "
                      "mean '%s'?",
                   key, near);
    else
      cv_conv_warn(c, src->keys[i],
                   JR " has no top-level key '%s': it is left out", key);
  }
}

cvpdf_node *cv_convert_jsonresume(cv_conv *c, const cvpdf_node *src) {
  cvpdf_node *root = cv_conv_map(c, src);
  cvpdf_node *secs = cv_conv_seq(c, src);
  cvpdf_node *pairs = NULL;
  unknown_keys(c, src);
  const cvpdf_node *b = cv_conv_want_map(c, src, "basics", JR);
  if (b && !cv_conv_get(b, "name"))
    cv_conv_error(c, b,
                  JR " field 'basics' is missing required field "
                     "'name'");
  if (b)
    basics(c, b, root, secs, &pairs);
  /* Sections in the order the file lists them. */
  for (size_t i = 0; i < src->n; i++)
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
      if (!strcmp(src->keys[i]->str, kinds[k].key))
        list_section(c, src, k, secs);
  if (pairs) {
    const cvpdf_node *at = cv_conv_key(b, "profiles");
    cvpdf_node *s = section(c, at, "skills", "Profiles");
    cv_conv_set(c, s, "pairs", NULL, pairs);
    cv_conv_push(c, secs, s);
  }
  cv_conv_set(c, root, "sections", cv_conv_key(src, "basics"), secs);
  return c->oom ? NULL : root;
}
