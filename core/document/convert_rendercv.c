/* cvpdf - RenderCV's format (`cv:` with `sections:` mapping titles to
 * entry lists, the entry type told by its keys) into cvpdf's own sections.
 * RenderCV text is Markdown already, so it passes through unescaped. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "document/convert_int.h"
#include "document/schema.h"

#define RC "RenderCV"

typedef enum {
  E_NONE,
  E_TEXT,
  E_EDUCATION,
  E_EXPERIENCE,
  E_PUBLICATION,
  E_NORMAL,
  E_ONELINE,
  E_BULLET,
  E_NUMBERED,
  E_REVERSED
} entry_kind;

/* RenderCV tells an entry's type by the keys it has. */
static entry_kind kind_of(const cvpdf_node *e) {
  if (!e)
    return E_NONE;
  if (e->kind == CVPDF_NODE_SCALAR)
    return E_TEXT;
  if (e->kind != CVPDF_NODE_MAP)
    return E_NONE;
  if (cv_node_get(e, "institution"))
    return E_EDUCATION;
  if (cv_node_get(e, "company"))
    return E_EXPERIENCE;
  if (cv_node_get(e, "authors") ||
      (cv_node_get(e, "title") && !cv_node_get(e, "name")))
    return E_PUBLICATION;
  /* RenderCV before 1.1 wrote a one-line entry as name: and details:. */
  if (cv_node_get(e, "label") ||
      (cv_node_get(e, "name") && cv_node_get(e, "details")))
    return E_ONELINE;
  if (cv_node_get(e, "bullet"))
    return E_BULLET;
  if (cv_node_get(e, "number"))
    return E_NUMBERED;
  if (cv_node_get(e, "reversed_number"))
    return E_REVERSED;
  if (cv_node_get(e, "name"))
    return E_NORMAL;
  return E_NONE;
}

/* dst[dkey] = src[skey], as written (Markdown). */
static void put(cv_conv *c, cvpdf_node *dst, const char *dkey,
                const cvpdf_node *src, const char *skey) {
  const cvpdf_node *n = cv_conv_want_str(c, src, skey, RC);
  if (n)
    cv_conv_set(c, dst, dkey, cv_conv_key(src, skey),
                cv_conv_scalar(c, n, n->str));
}

/* A list of strings, as written; a single string counts as one item. */
static cvpdf_node *str_list(cv_conv *c, const cvpdf_node *src,
                            const char *key) {
  const cvpdf_node *n = cv_conv_get(src, key);
  if (!n)
    return NULL;
  cvpdf_node *out = cv_conv_seq(c, n);
  if (n->kind == CVPDF_NODE_SCALAR) {
    cv_conv_push(c, out, cv_conv_scalar(c, n, n->str));
    return out;
  }
  if (n->kind != CVPDF_NODE_SEQ) {
    cv_conv_error(c, n,
                  RC " field '%s' expected a list of strings, found a "
                     "mapping",
                  key);
    return NULL;
  }
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *it = n->items[i];
    if (cv_conv_is_null(it))
      continue;
    if (it->kind != CVPDF_NODE_SCALAR) {
      cv_conv_error(c, it,
                    RC " field '%s' expected a list of strings, "
                       "found %s in it",
                    key, cv_node_kind_name(it));
      continue;
    }
    cv_conv_push(c, out, cv_conv_scalar(c, it, it->str));
  }
  return out && out->n ? out : NULL;
}

/* One piece of a highlight, without the spaces and line breaks around
 * it; NULL when nothing is left. */
static cvpdf_node *piece(cv_conv *c, const cvpdf_node *at, const char *s,
                         const char *end) {
  while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
    end--;
  if (s == end)
    return NULL;
  char *t = cv_arena_strndup(c->arena, s, (size_t)(end - s));
  if (!t) {
    c->oom = 1;
    return NULL;
  }
  return cv_conv_scalar(c, at, t);
}

/* RenderCV prints " - " inside a highlight as the start of a sub-bullet
 * ("Published at - ICML 2022 - NeurIPS 2022", or the same over lines
 * "  - ICML 2022"): {text: ..., items: [...]}, a bullet with sub-bullets. */
static cvpdf_node *bullet(cv_conv *c, const cvpdf_node *it) {
  const char *cut = strstr(it->str, " - ");
  cvpdf_node *text = cut ? piece(c, it, it->str, cut) : NULL;
  if (!text)
    return cv_conv_scalar(c, it, it->str);
  cvpdf_node *m = cv_conv_map(c, it), *items = cv_conv_seq(c, it);
  while (cut) {
    const char *p = cut + 3;
    cut = strstr(p, " - ");
    cv_conv_push(c, items, piece(c, it, p, cut ? cut : p + strlen(p)));
  }
  if (!items || !items->n)
    return cv_conv_scalar(c, it, it->str);
  cv_conv_set(c, m, "text", it, text);
  cv_conv_set(c, m, "items", it, items);
  return m;
}

/* Highlights: a list of strings, each a bullet that may carry
 * sub-bullets. */
static cvpdf_node *highlights(cv_conv *c, const cvpdf_node *src) {
  cvpdf_node *l = str_list(c, src, "highlights");
  for (size_t i = 0; l && i < l->n; i++)
    l->items[i] = bullet(c, l->items[i]);
  return l;
}

/* start_date/end_date must be dates; `date` may be any text in RenderCV,
 * which a cvpdf date field cannot hold: then it is left out, with a
 * warning that says so. */
/* {text: "Fall 2023"}: a date printed as written. */
static cvpdf_node *literal_date(cv_conv *c, const cvpdf_node *n) {
  cvpdf_node *m = cv_conv_map(c, n);
  cv_conv_set(c, m, "text", n, cv_conv_scalar(c, n, n->str));
  return m;
}

static void put_dates(cv_conv *c, cvpdf_node *dst, const cvpdf_node *e) {
  static const struct {
    const char *src, *dst;
  } keys[] = {{"start_date", "start"}, {"end_date", "end"}, {"date", "date"}};
  int have_range = cv_conv_get(e, "start_date") || cv_conv_get(e, "end_date");
  for (size_t i = 0; i < 3; i++) {
    const cvpdf_node *n = cv_conv_want_str(c, e, keys[i].src, RC);
    if (!n)
      continue;
    cv_date d;
    if (cv_date_parse(n->str, &d) == 0) {
      /* RenderCV's date overrides the range. */
      if (i < 2 && cv_conv_get(e, "date"))
        continue;
      cv_conv_set(c, dst, keys[i].dst, cv_conv_key(e, keys[i].src),
                  cv_conv_scalar(c, n, n->str));
    } else if (i < 2) {
      /* RenderCV prints a date it cannot read as written. */
      if (!cv_conv_get(e, "date"))
        cv_conv_set(c, dst, keys[i].dst, cv_conv_key(e, keys[i].src),
                    literal_date(c, n));
    } else if (*n->str) {
      cv_conv_set(c, dst, "date", cv_conv_key(e, "date"), literal_date(c, n));
    } else {
      cv_conv_warn(c, n,
                   "date '%s' is not a date cvpdf can print (such as "
                   "2020-01, 2020 or Sep 2020); it is left out%s",
                   n->str, have_range ? " and start_date/end_date used" : "");
      if (have_range) {
        /* Fall back to the range written beside it. */
        for (size_t j = 0; j < 2; j++) {
          const cvpdf_node *r = cv_conv_want_str(c, e, keys[j].src, RC);
          if (r && cv_date_parse(r->str, &d) == 0)
            cv_conv_set(c, dst, keys[j].dst, cv_conv_key(e, keys[j].src),
                        cv_conv_scalar(c, r, r->str));
        }
      }
    }
  }
}

/* An entry's keys in the order cvpdf writes them: dst = src as written,
 * or the dates where src is NULL; the list ends with dst NULL. */
typedef struct field {
  const char *dst, *src;
} field;
#define DATES                                                                  \
  { "", NULL }

static cvpdf_node *mapped(cv_conv *c, const cvpdf_node *e, const field *f) {
  cvpdf_node *r = cv_conv_map(c, e);
  for (; f->dst; f++) {
    if (f->src)
      put(c, r, f->dst, e, f->src);
    else
      put_dates(c, r, e);
  }
  return r;
}

/* summary first, then highlights: for types with no summary field. */
static cvpdf_node *summary_and_highlights(cv_conv *c, const cvpdf_node *e) {
  cvpdf_node *h = highlights(c, e);
  const cvpdf_node *s = cv_conv_want_str(c, e, "summary", RC);
  if (!s)
    return h;
  cvpdf_node *out = cv_conv_seq(c, s);
  cv_conv_push(c, out, cv_conv_scalar(c, s, s->str));
  for (size_t i = 0; h && i < h->n; i++)
    cv_conv_push(c, out, h->items[i]);
  return out;
}

static cvpdf_node *education(cv_conv *c, const cvpdf_node *e) {
  static const field head[] = {{"institution", "institution"},
                               {"degree", "degree"},
                               {"field", "area"},
                               {"location", "location"},
                               DATES,
                               {NULL, NULL}};
  cvpdf_node *r = mapped(c, e, head);
  /* RenderCV 0.x: study_type and gpa. */
  if (!cv_node_get(e, "degree"))
    put(c, r, "degree", e, "study_type");
  put(c, r, "gpa", e, "gpa");
  cv_conv_set(c, r, "highlights", cv_conv_key(e, "highlights"),
              summary_and_highlights(c, e));
  put(c, r, "url", e, "url");
  return r;
}

static cvpdf_node *experience(cv_conv *c, const cvpdf_node *e) {
  static const field head[] = {{"organisation", "company"},
                               {"title", "position"},
                               {"location", "location"},
                               DATES,
                               {"url", "url"},
                               {"summary", "summary"},
                               {NULL, NULL}};
  cvpdf_node *r = mapped(c, e, head);
  cv_conv_set(c, r, "highlights", cv_conv_key(e, "highlights"),
              highlights(c, e));
  return r;
}

static cvpdf_node *normal(cv_conv *c, const cvpdf_node *e) {
  static const field head[] = {
      {"name", "name"}, {"location", "location"},   DATES,
      {"url", "url"},   {"description", "summary"}, {NULL, NULL}};
  cvpdf_node *r = mapped(c, e, head);
  cv_conv_set(c, r, "highlights", cv_conv_key(e, "highlights"),
              highlights(c, e));
  return r;
}

/* An author written *Name* or **Name** is RenderCV's way to mark the CV's
 * owner; cvpdf says that once per section with `highlight:`. */
static const char *emphasised(cv_conv *c, const char *a) {
  size_t n = strlen(a), k = 0;
  while (k < 3 && k * 2 < n && a[k] == '*' && a[n - 1 - k] == '*')
    k++;
  if (k == 0 || n <= 2 * k)
    return NULL;
  return cv_arena_strndup(c->arena, a + k, n - 2 * k);
}

static cvpdf_node *publication(cv_conv *c, const cvpdf_node *e,
                               cvpdf_node *highlight) {
  cvpdf_node *r = cv_conv_map(c, e);
  put(c, r, "title", e, "title");
  cvpdf_node *authors = str_list(c, e, "authors");
  for (size_t i = 0; authors && i < authors->n; i++) {
    cvpdf_node *a = authors->items[i];
    const char *plain = emphasised(c, a->str);
    if (!plain)
      continue;
    int seen = 0;
    for (size_t j = 0; j < highlight->n; j++)
      seen |= !strcmp(highlight->items[j]->str, plain);
    if (!seen)
      cv_conv_push(c, highlight, cv_conv_scalar(c, a, plain));
    a->str = (char *)plain;
    a->len = strlen(plain);
  }
  cv_conv_set(c, r, "authors", cv_conv_key(e, "authors"), authors);
  put(c, r, "venue", e, "journal");
  put_dates(c, r, e);
  put(c, r, "doi", e, "doi");
  put(c, r, "url", e, "url");
  const cvpdf_node *s = cv_conv_want_str(c, e, "summary", RC);
  if (s) {
    cvpdf_node *notes = cv_conv_seq(c, s);
    cv_conv_push(c, notes, cv_conv_scalar(c, s, s->str));
    cv_conv_set(c, r, "notes", cv_conv_key(e, "summary"), notes);
  }
  return r;
}

static cvpdf_node *one_line(cv_conv *c, const cvpdf_node *e) {
  cvpdf_node *r = cv_conv_map(c, e);
  put(c, r, "label", e, cv_node_get(e, "label") ? "label" : "name");
  const cvpdf_node *d = cv_conv_want_str(c, e, "details", RC);
  cv_conv_set(c, r, "value", cv_conv_key(e, "details"),
              cv_conv_scalar(c, d ? d : e, d ? d->str : ""));
  return r;
}

/* ---- sections -------------------------------------------------------- */

/* RenderCV prints a snake_case key as Title Case and leaves any other
 * title as written. */
static char *proper_title(cv_conv *c, const char *key) {
  for (const char *p = key; *p; p++)
    if (*p == ' ' || isupper((unsigned char)*p))
      return cv_arena_strdup(c->arena, key);
  char *t = cv_arena_strdup(c->arena, key);
  if (!t)
    return NULL;
  int start = 1;
  for (char *p = t; *p; p++) {
    if (*p == '_')
      *p = ' ';
    if (start && islower((unsigned char)*p))
      *p = (char)toupper((unsigned char)*p);
    start = *p == ' ';
  }
  return t;
}

static const char *const native_type[] = {
    [E_TEXT] = "summary",     [E_EDUCATION] = "education",
    [E_EXPERIENCE] = "roles", [E_PUBLICATION] = "publications",
    [E_NORMAL] = "projects",  [E_ONELINE] = "skills",
    [E_BULLET] = "service",   [E_NUMBERED] = "summary",
    [E_REVERSED] = "summary"};
static const char *const list_key[] = {
    [E_TEXT] = "text",          [E_EDUCATION] = "entries",
    [E_EXPERIENCE] = "entries", [E_PUBLICATION] = "entries",
    [E_NORMAL] = "entries",     [E_ONELINE] = "pairs",
    [E_BULLET] = "lines",       [E_NUMBERED] = "text",
    [E_REVERSED] = "text"};

typedef struct run {
  cvpdf_node *sec, *items, *highlight;
  entry_kind kind;
} run;

static void close_run(cv_conv *c, run *r, cvpdf_node *secs) {
  if (!r->sec)
    return;
  if (r->kind == E_PUBLICATION) {
    /* RenderCV lists works without counted labels. */
    cv_conv_set(c, r->sec, "numbering", NULL,
                cv_conv_scalar(c, r->items, "none"));
    if (r->highlight && r->highlight->n)
      cv_conv_set(c, r->sec, "highlight", NULL, r->highlight);
  }
  cv_conv_set(c, r->sec, list_key[r->kind], NULL, r->items);
  cv_conv_push(c, secs, r->sec);
  r->sec = NULL;
}

/* Entries of one section; a change of entry type (which RenderCV itself
 * refuses) starts an untitled cvpdf section rather than failing. */
static void section(cv_conv *c, const cvpdf_node *key, const cvpdf_node *list,
                    cvpdf_node *secs, int *bullets) {
  if (cv_conv_is_null(list))
    return;
  if (list->kind != CVPDF_NODE_SEQ) {
    cv_conv_error(c, list,
                  RC " section '%s' expected a list of entries, found %s",
                  key->str, cv_node_kind_name(list));
    return;
  }
  run r = {0};
  int titled = 0;
  size_t count = 0, numbered = 0;
  for (size_t i = 0; i < list->n; i++)
    count += kind_of(list->items[i]) == E_REVERSED;
  for (size_t i = 0; i < list->n; i++) {
    const cvpdf_node *e = list->items[i];
    if (cv_conv_is_null(e))
      continue;
    entry_kind k = kind_of(e);
    if (k == E_NONE) {
      cv_conv_error(c, e,
                    RC " entry expected one of the keys institution, "
                       "company, title, name, label, bullet, number or "
                       "reversed_number (or plain text), found %s",
                    e->kind == CVPDF_NODE_MAP ? "none of them"
                                              : cv_node_kind_name(e));
      continue;
    }
    if (!r.sec || k != r.kind) {
      close_run(c, &r, secs);
      r.kind = k;
      r.sec = cv_conv_map(c, e);
      cv_conv_set(c, r.sec, "type", key,
                  cv_conv_scalar(c, key, native_type[k]));
      if (!titled)
        cv_conv_set(c, r.sec, "title", key,
                    cv_conv_scalar(c, key, proper_title(c, key->str)));
      titled = 1;
      r.items = cv_conv_seq(c, e);
      r.highlight = cv_conv_seq(c, e);
      numbered = 0;
    }
    cvpdf_node *out = NULL;
    switch (k) {
    case E_TEXT:
      out = cv_conv_scalar(c, e, e->str);
      break;
    case E_EDUCATION:
      out = education(c, e);
      break;
    case E_EXPERIENCE:
      out = experience(c, e);
      break;
    case E_PUBLICATION:
      out = publication(c, e, r.highlight);
      break;
    case E_NORMAL:
      out = normal(c, e);
      break;
    case E_ONELINE:
      out = one_line(c, e);
      break;
    case E_BULLET: {
      const cvpdf_node *b = cv_conv_want_str(c, e, "bullet", RC);
      out = b ? cv_conv_scalar(c, b, b->str) : NULL;
      *bullets = 1;
      break;
    }
    case E_NUMBERED:
    case E_REVERSED: {
      const char *f = k == E_NUMBERED ? "number" : "reversed_number";
      const cvpdf_node *b = cv_conv_want_str(c, e, f, RC);
      size_t no = k == E_NUMBERED ? ++numbered : count - numbered++;
      /* "3. text": the paragraph keeps its number as written text. */
      out = b ? cv_conv_scalar(c, b,
                               cv_arena_printf(c->arena, "%zu. %s", no, b->str))
              : NULL;
      break;
    }
    case E_NONE:
      break;
    }
    cv_conv_push(c, r.items, out);
  }
  close_run(c, &r, secs);
}

/* The nearest cvpdf layout to each RenderCV theme. */
const char *cv_rcv_layout_for(const char *theme) {
  static const struct {
    const char *theme, *layout;
  } map[] = {{"classic", "classic"}, {"engineeringclassic", "classic"},
             {"harvard", "classic"}, {"ink", "classic"},
             {"sb2nov", "compact"},  {"engineeringresumes", "compact"},
             {"moderncv", "modern"}, {"opal", "modern"},
             {"ember", "awesome"},   {"awesome", "awesome"},
             {"modern", "modern"},   {"compact", "compact"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcasecmp(theme, map[i].theme))
      return map[i].layout;
  return NULL;
}

/* RenderCV names its locales by language name; cvpdf wants a code. */
static const char *language_code(const char *name) {
  static const struct {
    const char *name, *code;
  } map[] = {{"english", "en"},
             {"german", "de"},
             {"french", "fr"},
             {"spanish", "es"},
             {"italian", "it"},
             {"portuguese", "pt"},
             {"dutch", "nl"},
             {"danish", "da"},
             {"turkish", "tr"},
             {"russian", "ru"},
             {"chinese", "zh"},
             {"japanese", "ja"},
             {"korean", "ko"},
             {"arabic", "ar"},
             {"hindi", "hi"},
             {"indonesian", "id"},
             {"mandarin_chinese", "zh"},
             {"polish", "pl"},
             {"swedish", "sv"},
             {"norwegian", "no"},
             {"finnish", "fi"},
             {"czech", "cs"},
             {"greek", "el"},
             {"vietnamese", "vi"},
             {"hebrew", "he"},
             {"persian", "fa"},
             {"hungarian", "hu"},
             {"norwegian_bokmål", "nb"},
             {"norwegian_nynorsk", "nn"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcasecmp(name, map[i].name))
      return map[i].code;
  if (strlen(name) == 2 && isalpha((unsigned char)name[0]) &&
      isalpha((unsigned char)name[1]))
    return name;
  return NULL;
}

/* A string-or-list value (RenderCV allows several e-mail addresses,
 * phones and web sites), copied as cvpdf's contact takes it. */
static cvpdf_node *one_or_more(cv_conv *c, const cvpdf_node *cv,
                               const char *key) {
  const cvpdf_node *n = cv_conv_get(cv, key);
  if (!n)
    return NULL;
  if (n->kind == CVPDF_NODE_SCALAR)
    return cv_conv_scalar(c, n, n->str);
  if (n->kind != CVPDF_NODE_SEQ || !n->n) {
    cv_conv_error(c, n,
                  RC " field '%s' expected a string or a list of "
                     "strings, found %s",
                  key, cv_node_kind_name(n));
    return NULL;
  }
  if (n->n == 1 && n->items[0]->kind == CVPDF_NODE_SCALAR)
    return cv_conv_scalar(c, n->items[0], n->items[0]->str);
  return str_list(c, cv, key);
}

static const char *contact_key(const char *network) {
  static const struct {
    const char *network, *key;
  } map[] = {{"LinkedIn", "linkedin"}, {"GitHub", "github"},
             {"X", "twitter"},         {"Twitter", "twitter"},
             {"ORCID", "orcid"},       {"Google Scholar", "scholar"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcasecmp(network, map[i].network))
      return map[i].key;
  return NULL;
}

/* The networks RenderCV knows that have no contact field of their own:
 * printed in the contact line, as RenderCV prints them, linking where
 * RenderCV links (the address, then the user name), with the layout's
 * icon for `icon`; the ones without an icon in FontAwesome 4 are named in
 * the text. */
static const struct network {
  const char *name, *url, *icon;
} networks[] = {
    {"GitLab", "https://gitlab.com/", "gitlab"},
    {"IMDB", "https://imdb.com/name/", "imdb"},
    {"Instagram", "https://instagram.com/", "instagram"},
    {"StackOverflow", "https://stackoverflow.com/users/", "stackoverflow"},
    {"YouTube", "https://youtube.com/@", "youtube"},
    {"Telegram", "https://t.me/", "telegram"},
    {"WhatsApp", "https://wa.me/", "whatsapp"},
    {"Reddit", "https://reddit.com/user/", "reddit"},
    {"ResearchGate", "https://researchgate.net/profile/", NULL},
    {"Leetcode", "https://leetcode.com/u/", NULL},
    {"Bluesky", "https://bsky.app/profile/", NULL},
    {"Mastodon", NULL, NULL}};

/* {text, url, icon} for the contact line's links. */
static cvpdf_node *link(cv_conv *c, const cvpdf_node *at, const char *text,
                        const char *url, const char *icon) {
  cvpdf_node *l = cv_conv_map(c, at);
  cv_conv_set(c, l, "text", at, cv_conv_scalar(c, at, text));
  if (url)
    cv_conv_set(c, l, "url", at, cv_conv_scalar(c, at, url));
  if (icon)
    cv_conv_set(c, l, "icon", at, cv_conv_scalar(c, at, icon));
  return l;
}

/* A network of the table above, or any other (its name and the user
 * name, no link). */
static cvpdf_node *network_link(cv_conv *c, const cvpdf_node *net,
                                const cvpdf_node *user) {
  const char *u = user->str;
  for (size_t i = 0; i < sizeof networks / sizeof *networks; i++) {
    const struct network *n = &networks[i];
    if (strcasecmp(net->str, n->name))
      continue;
    const char *url =
        n->url ? cv_arena_printf(c->arena, "%s%s", n->url, u) : NULL;
    const char *at = u[0] == '@' ? strchr(u + 1, '@') : NULL;
    if (!n->url && at) /* Mastodon: @user@host */
      url = cv_arena_printf(c->arena, "https://%s/@%.*s", at + 1,
                            (int)(at - u - 1), u + 1);
    const char *text =
        n->icon ? u : cv_arena_printf(c->arena, "%s %s", n->name, u);
    return link(c, user, text, url, n->icon);
  }
  return link(c, user, cv_arena_printf(c->arena, "%s %s", net->str, u), NULL,
              NULL);
}

/* custom_connections: {placeholder, url, fontawesome_icon}.  RenderCV's
 * icon names are FontAwesome 6's: one that FontAwesome 4.7 draws is the
 * icon of kind "fa-NAME", added to icons (NAME: "f19d"); any other is
 * the layout's link icon, with a warning when icons are shown. */
static void custom_connections(cv_conv *c, const cvpdf_node *cv,
                               cvpdf_node **links, cvpdf_node *icons,
                               int shown) {
  const cvpdf_node *cc = cv_conv_want_seq(c, cv, "custom_connections", RC);
  for (size_t i = 0; cc && i < cc->n; i++) {
    const cvpdf_node *p = cc->items[i];
    const cvpdf_node *text = p->kind == CVPDF_NODE_MAP
                                 ? cv_conv_want_str(c, p, "placeholder", RC)
                                 : NULL;
    if (!text) {
      cv_conv_error(c, p,
                    RC " custom connection expected {placeholder, url, "
                       "fontawesome_icon}, found %s",
                    p->kind == CVPDF_NODE_MAP ? "no 'placeholder'"
                                              : cv_node_kind_name(p));
      continue;
    }
    const cvpdf_node *url = cv_conv_want_str(c, p, "url", RC);
    const cvpdf_node *fa = cv_conv_want_str(c, p, "fontawesome_icon", RC);
    uint32_t cp = fa ? cv_rcv_fa_icon(fa->str) : 0;
    const char *kind = cp ? cv_arena_printf(c->arena, "fa-%s", fa->str) : NULL;
    if (kind && !cv_node_get(icons, kind))
      cv_conv_set(c, icons, kind, fa,
                  cv_conv_scalar(c, fa, cv_arena_printf(c->arena, "%x", cp)));
    else if (fa && !cp && shown)
      cv_conv_warn(c, fa,
                   RC " icon '%s' has no FontAwesome 4.7 counterpart that "
                      "cvpdf can draw; using the link icon",
                   fa->str);
    if (!*links)
      *links = cv_conv_seq(c, cc);
    cv_conv_push(c, *links,
                 link(c, text, text->str, url ? url->str : NULL, kind));
  }
}

static void header(cv_conv *c, const cvpdf_node *cv, cvpdf_node *root,
                   cvpdf_node *icons, int shown) {
  put(c, root, "name", cv, "name");
  put(c, root, "headline", cv, "headline");
  cvpdf_node *contact = cv_conv_map(c, cv), *links = NULL;
  static const char *const keys[] = {"email", "phone", "website"};
  for (size_t i = 0; i < 3; i++)
    cv_conv_set(c, contact, keys[i], cv_conv_key(cv, keys[i]),
                one_or_more(c, cv, keys[i]));
  const cvpdf_node *sn = cv_conv_want_seq(c, cv, "social_networks", RC);
  for (size_t i = 0; sn && i < sn->n; i++) {
    const cvpdf_node *p = sn->items[i];
    if (p->kind != CVPDF_NODE_MAP) {
      cv_conv_error(c, p,
                    RC " field 'social_networks' expected a list of "
                       "{network, username}, found %s in it",
                    cv_node_kind_name(p));
      continue;
    }
    const cvpdf_node *net = cv_conv_want_str(c, p, "network", RC);
    const cvpdf_node *user = cv_conv_want_str(c, p, "username", RC);
    if (!net || !user) {
      cv_conv_error(c, p,
                    RC " social network expected both 'network' and "
                       "'username'");
      continue;
    }
    const char *key = contact_key(net->str);
    if (key && !cv_node_get(contact, key)) {
      const char *v = user->str;
      if (!strcmp(key, "scholar"))
        v = cv_arena_printf(c->arena,
                            "https://scholar.google.com/citations?user=%s",
                            user->str);
      cv_conv_set(c, contact, key, net, cv_conv_scalar(c, user, v));
      continue;
    }
    if (!links)
      links = cv_conv_seq(c, sn);
    cv_conv_push(c, links, network_link(c, net, user));
  }
  put(c, contact, "location", cv, "location");
  custom_connections(c, cv, &links, icons, shown);
  if (links)
    cv_conv_set(c, contact, "links", NULL, links);
  if (contact && contact->n)
    cv_conv_set(c, root, "contact", contact, contact);
  /* RenderCV's photo is an image file relative to the CV, as cvpdf's is
   * (or a web address, which the render fetches into its photo cache). */
  put(c, root, "photo", cv, "photo");
}

/* The strings of m under keys[i][0], renamed keys[i][1], in a new map;
 * NULL when m has none of them. */
static cvpdf_node *renamed(cv_conv *c, const cvpdf_node *m,
                           const char *const (*keys)[2], size_t n) {
  cvpdf_node *out = NULL;
  for (size_t i = 0; m && i < n; i++) {
    const cvpdf_node *v = cv_conv_want_str(c, m, keys[i][0], RC);
    if (!v)
      continue;
    if (!out)
      out = cv_conv_map(c, v);
    cv_conv_set(c, out, keys[i][1], cv_conv_key(m, keys[i][0]),
                cv_conv_scalar(c, v, v->str));
  }
  return out;
}

/* RenderCV's page size (design.page.size in 2.x, design.page_size in
 * 1.x; US Letter when neither is given, as in RenderCV) and 2.x margins,
 * as the theme's page:. */
static void page(cv_conv *c, const cvpdf_node *src, const cvpdf_node *d,
                 cvpdf_node *th) {
  const cvpdf_node *pg = cv_conv_get(d, "page");
  if (pg && pg->kind != CVPDF_NODE_MAP)
    pg = NULL;
  const cvpdf_node *size =
      pg ? cv_conv_get(pg, "size") : cv_conv_get(d, "page_size");
  const char *want = "Letter";
  if (size && size->kind == CVPDF_NODE_SCALAR) {
    if (!strncasecmp(size->str, "a4", 2))
      want = "A4";
    else if (!strstr(size->str, "letter"))
      cv_conv_warn(c, size,
                   "RenderCV page size '%s' has no cvpdf counterpart (A4 or "
                   "US Letter); using US Letter",
                   size->str);
  }
  const cvpdf_node *at = size ? size : d ? d : src;
  cvpdf_node *pm = cv_conv_map(c, at);
  cv_conv_set(c, pm, "size", at, cv_conv_scalar(c, at, want));
  static const char *const sides[][2] = {{"top_margin", "top"},
                                         {"bottom_margin", "bottom"},
                                         {"left_margin", "left"},
                                         {"right_margin", "right"}};
  cvpdf_node *mm = renamed(c, pg, sides, 4);
  if (mm)
    cv_conv_set(c, pm, "margins", cv_conv_key(pg, "top_margin"), mm);
  cv_conv_set(c, th, "page", at, pm);
}

/* RenderCV's locale: the language, and the words it writes that cvpdf
 * prints too ("present", "last_updated"), as the theme's words:. */
static void locale(cv_conv *c, const cvpdf_node *src, cvpdf_node *root,
                   cvpdf_node *th) {
  const cvpdf_node *loc = cv_conv_want_map(c, src, "locale", RC);
  const cvpdf_node *lang = cv_conv_want_str(c, loc, "language", RC);
  const char *code = lang ? language_code(lang->str) : NULL;
  if (code)
    cv_conv_set(c, root, "language", cv_conv_key(loc, "language"),
                cv_conv_scalar(c, lang, code));
  else if (lang)
    cv_conv_warn(c, lang,
                 "RenderCV language '%s' is not known; using the "
                 "layout's language",
                 lang->str);
  static const char *const words[][2] = {{"present", "present"},
                                         {"last_updated", "updated"}};
  cvpdf_node *wm = renamed(c, loc, words, 2);
  if (wm) {
    cvpdf_node *by = cv_conv_map(c, loc);
    cv_conv_set(c, by, code ? code : "en", loc, wm);
    cv_conv_set(c, th, "words", loc, by);
  }
}

/* design and locale; returns the theme overrides they make. */
static cvpdf_node *design(cv_conv *c, const cvpdf_node *src, cvpdf_node *root) {
  const cvpdf_node *d = cv_conv_want_map(c, src, "design", RC);
  const cvpdf_node *t = cv_conv_want_str(c, d, "theme", RC);
  if (t) {
    const char *l = cv_rcv_layout_for(t->str);
    if (l)
      cv_conv_set(c, root, "layout", cv_conv_key(d, "theme"),
                  cv_conv_scalar(c, t, l));
    else
      cv_conv_warn(c, t,
                   "RenderCV theme '%s' has no cvpdf counterpart; using the "
                   "classic layout",
                   t->str);
  }
  cvpdf_node *th = cv_conv_map(c, d ? d : src);
  page(c, src, d, th);
  cv_rcv_design(c, d, th);
  cv_rcv_dates(c, d, th);
  locale(c, src, root, th);
  return th;
}

/* ---- RenderCV 0.x ------------------------------------------------------ */

/* RenderCV before 1.0 kept each section as a key of cv, titled as its key
 * in Title Case, in this order unless section_order names the titles;
 * custom_sections: [{title, entry_type, entries, link_text}] adds others. */
static const char *const old_sections[] = {"education",
                                           "experience",
                                           "work_experience",
                                           "publications",
                                           "projects",
                                           "academic_projects",
                                           "university_projects",
                                           "personal_projects",
                                           "certificates",
                                           "extracurricular_activities",
                                           "test_scores",
                                           "skills",
                                           "programming_skills",
                                           "other_skills",
                                           "awards",
                                           "interests",
                                           NULL};

typedef struct old_section {
  const cvpdf_node *title, *entries;
  const char *name; /* the title as printed */
} old_section;

/* The sections of a RenderCV 0.x cv, in the order they are printed; the
 * count, or 0 when cv has none of them (RenderCV 1.0 and later). */
static size_t old_layout(cv_conv *c, const cvpdf_node *cv, old_section *out,
                         size_t cap) {
  old_section all[64];
  size_t n = 0, k = 0;
  for (size_t i = 0; old_sections[i] && n < 64; i++) {
    const cvpdf_node *key = cv_conv_key(cv, old_sections[i]);
    if (key && cv_conv_get(cv, old_sections[i]))
      all[n++] = (old_section){key, cv_conv_get(cv, old_sections[i]),
                               proper_title(c, old_sections[i])};
  }
  const cvpdf_node *cs = cv_conv_want_seq(c, cv, "custom_sections", RC);
  for (size_t i = 0; cs && i < cs->n && n < 64; i++) {
    const cvpdf_node *t = cv_conv_want_str(c, cs->items[i], "title", RC);
    if (t)
      all[n++] = (old_section){t, cv_conv_get(cs->items[i], "entries"), t->str};
  }
  const cvpdf_node *order = cv_conv_want_seq(c, cv, "section_order", RC);
  if (!order) {
    for (size_t i = 0; i < n && k < cap; i++)
      out[k++] = all[i];
    return k;
  }
  int used[64] = {0};
  for (size_t i = 0; i < order->n; i++) {
    const char *want = cv_node_str(order->items[i]);
    size_t j = 0;
    while (j < n && !(want && all[j].name && !strcmp(want, all[j].name)))
      j++;
    if (j == n)
      cv_conv_warn(c, order->items[i],
                   RC " section_order names '%s', which is no section of the "
                      "CV",
                   want ? want : cv_node_kind_name(order->items[i]));
    else if (!used[j] && k < cap)
      out[k++] = all[j], used[j] = 1;
  }
  for (size_t j = 0; j < n; j++)
    if (!used[j])
      cv_conv_warn(c, all[j].title,
                   RC " section '%s' is not in section_order: RenderCV does "
                      "not print it, and neither does cvpdf",
                   all[j].name);
  return k;
}

/* RenderCV 0.x: cv's label is the headline, its summary a first section. */
static void old_header(cv_conv *c, const cvpdf_node *cv, cvpdf_node *root,
                       cvpdf_node *secs) {
  if (!cv_node_get(cv, "headline"))
    put(c, root, "headline", cv, "label");
  const cvpdf_node *sum = cv_conv_want_str(c, cv, "summary", RC);
  if (!sum)
    return;
  const cvpdf_node *at = cv_conv_key(cv, "summary");
  cvpdf_node *s = cv_conv_map(c, at);
  cv_conv_set(c, s, "type", at, cv_conv_scalar(c, at, "summary"));
  cv_conv_set(c, s, "title", at, cv_conv_scalar(c, at, "Summary"));
  cv_conv_set(c, s, "text", sum, cv_conv_scalar(c, sum, sum->str));
  cv_conv_push(c, secs, s);
}

cvpdf_node *cv_convert_rendercv(cv_conv *c, const cvpdf_node *src) {
  /* RenderCV typesets $...$ as math: cvpdf prints it as text. */
  c->tex_math = 1;
  static const char *const known[] = {"cv",
                                      "design",
                                      "locale",
                                      "settings",
                                      "rendercv_settings",
                                      "locale_catalog",
                                      NULL};
  for (size_t i = 0; i < src->n; i++) {
    size_t k = 0;
    while (known[k] && strcmp(known[k], src->keys[i]->str))
      k++;
    if (!known[k])
      cv_conv_warn(c, src->keys[i], "unknown RenderCV key '%s' is ignored",
                   src->keys[i]->str);
  }
  const cvpdf_node *cv = cv_node_get(src, "cv");
  if (!cv || cv->kind != CVPDF_NODE_MAP) {
    cv_conv_error(c, cv,
                  RC " field 'cv' expected a mapping (name:, "
                     "sections:, ...), found %s",
                  cv_node_kind_name(cv));
    return NULL;
  }
  cvpdf_node *root = cv_conv_map(c, cv);
  cvpdf_node *secs = cv_conv_seq(c, cv);
  /* Icons are shown unless design says otherwise (1.x, 2.x). */
  const cvpdf_node *d = cv_node_get(src, "design");
  const cvpdf_node *hc = cv_node_get(cv_node_get(d, "header"), "connections");
  int shown = cv_node_bool(cv_node_get(d, "use_icons_for_connections")) != 0 &&
              cv_node_bool(cv_node_get(hc, "show_icons")) != 0;
  cvpdf_node *icons = cv_conv_map(c, cv);
  header(c, cv, root, icons, shown);
  cvpdf_node *th = design(c, src, root);
  cv_rcv_icons(c, th, icons);
  int bullets = 0;
  old_section olds[64];
  size_t nold = cv_node_get(cv, "sections") ? 0 : old_layout(c, cv, olds, 64);
  if (nold)
    old_header(c, cv, root, secs);
  for (size_t i = 0; i < nold; i++) {
    cvpdf_node *title = cv_conv_scalar(c, olds[i].title, olds[i].name);
    if (title)
      section(c, title, olds[i].entries, secs, &bullets);
  }
  const cvpdf_node *sm = cv_conv_want_map(c, cv, "sections", RC);
  for (size_t i = 0; sm && i < sm->n; i++)
    section(c, sm->keys[i], sm->items[i], secs, &bullets);
  cv_conv_set(c, root, "sections", cv_conv_key(cv, "sections"), secs);
  if (bullets) {
    /* BulletEntry sections print their lines as bullets. */
    const cvpdf_node *at = cv_conv_key(cv, "sections");
    cvpdf_node *ss = cv_conv_map(c, at), *sv = cv_conv_map(c, at);
    cv_conv_set(c, sv, "lines", at, cv_conv_scalar(c, at, "bullets"));
    cv_conv_set(c, ss, "service", at, sv);
    cv_conv_set(c, th, "sections", at, ss);
  }
  cv_conv_set(c, root, "theme", cv_conv_key(src, "design"), th);
  cv_rcv_settings(c, src, root);
  return c->oom ? NULL : root;
}
