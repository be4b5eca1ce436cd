/* cvpdf - validation against declared fields, and dates. */
#include "document/schema.h"

#include <stdio.h>
#include <string.h>

/* ---- messages -------------------------------------------------------- */

typedef struct vctx {
  cv_diags *diags;
  int errors;
} vctx;

static void verr(vctx *v, const cvpdf_node *at, const char *fmt, ...)
    CV_PRINTF(3, 4);

/* All validation errors pass through here. */
static void verr(vctx *v, const cvpdf_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diag_vat(v->diags, CV_SEV_ERROR, at, fmt, ap);
  va_end(ap);
  v->errors++;
}

/* What was found, for "found ...": the text of a scalar (shortened), or
 * the kind of a collection. */
static const char *found_desc(const cvpdf_node *n, char *buf, size_t cap) {
  if (!n)
    return "nothing";
  if (n->kind == CVPDF_NODE_SEQ)
    return "a list";
  if (n->kind == CVPDF_NODE_MAP)
    return "a mapping";
  if (n->len == 0)
    return "an empty value";
  if (n->len > 40) {
    /* Cut on a UTF-8 boundary so the message stays valid text. */
    size_t cut = 37;
    while (cut > 0 && ((unsigned char)n->str[cut] & 0xC0) == 0x80)
      cut--;
    snprintf(buf, cap, "'%.*s...'", (int)cut, n->str);
  } else {
    snprintf(buf, cap, "'%s'", n->str);
  }
  return buf;
}

static const char *expected_desc(const cvpdf_field *f) {
  switch (f->type) {
  case CVPDF_FIELD_STRING:
    return (f->flags & CVPDF_FIELD_ONE_OR_MORE)
               ? "a string or a list of strings"
               : "a string";
  case CVPDF_FIELD_INT:
    return "an integer";
  case CVPDF_FIELD_BOOL:
    return "true or false";
  case CVPDF_FIELD_DATE:
    return "a date such as 2021, 2021-05 or May 2021";
  case CVPDF_FIELD_URL:
    return "a URL";
  case CVPDF_FIELD_LIST:
    if (!f->children)
      return (f->flags & CVPDF_FIELD_NESTED)
                 ? "a list of strings or {text: ..., items: [...]}"
                 : "a list of strings";
    return (f->flags & CVPDF_FIELD_STRING_ITEMS)
               ? "a list of mappings or strings"
               : "a list of mappings";
  case CVPDF_FIELD_MAP:
    return "a mapping";
  case CVPDF_FIELD_DICT:
    return "a mapping of names to strings";
  }
  return "a value";
}

static void type_error(vctx *v, const cvpdf_field *f, const cvpdf_node *n) {
  char buf[64];
  const char *hint = "";
  if (f->type == CVPDF_FIELD_LIST && n->kind == CVPDF_NODE_MAP)
    hint = " (start each item with '- ')";
  else if (f->type == CVPDF_FIELD_INT && n->kind == CVPDF_NODE_SCALAR &&
           n->quoted)
    hint = " (remove the quotes)";
  verr(v, n, "field '%s' expected %s, found %s%s", f->name, expected_desc(f),
       found_desc(n, buf, sizeof buf), hint);
}

/* ---- field checks ---------------------------------------------------- */

static int is_scalar(const cvpdf_node *n) {
  return n && n->kind == CVPDF_NODE_SCALAR;
}

static int is_int(const cvpdf_node *n) {
  if (!is_scalar(n) || n->quoted || n->len == 0)
    return 0;
  const char *s = n->str;
  if (*s == '-' || *s == '+')
    s++;
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return (size_t)(s - n->str) == n->len;
}

/* Items of a sequence that are not scalars get their own error, at the
 * item. */
static void check_scalar_items(vctx *v, const cvpdf_field *f,
                               const cvpdf_node *seq) {
  char buf[64];
  for (size_t i = 0; i < seq->n; i++) {
    const cvpdf_node *it = seq->items[i];
    if (!is_scalar(it))
      verr(v, it, "item %zu of field '%s' expected a string, found %s", i + 1,
           f->name, found_desc(it, buf, sizeof buf));
  }
}

/* Position of a in the calendar against b: <0 before, >0 after, 0 the
 * same or not comparable at the precision both have ("2021" against
 * "2021-05").  present is after every date. */
static int date_cmp(const cv_date *a, const cv_date *b) {
  if (a->present || b->present)
    return a->present - b->present;
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (!a->month || !b->month || a->month != b->month)
    return !a->month || !b->month ? 0 : a->month < b->month ? -1 : 1;
  if (!a->day || !b->day || a->day == b->day)
    return 0;
  return a->day < b->day ? -1 : 1;
}

static int is_date_field(const cvpdf_field *fields, const char *name) {
  for (size_t i = 0; fields && fields[i].name; i++)
    if (!strcmp(fields[i].name, name))
      return fields[i].type == CVPDF_FIELD_DATE;
  return 0;
}

/* A period whose end comes before its start (a typing error in one of
 * the years, usually) would print as given; it is reported at the end. */
static void check_period(vctx *v, const cvpdf_node *obj,
                         const cvpdf_field *fields) {
  if (!is_date_field(fields, "start") || !is_date_field(fields, "end"))
    return;
  const cvpdf_node *s = cv_node_get(obj, "start"), *e = cv_node_get(obj, "end");
  cv_date ds, de;
  if (!is_scalar(s) || !is_scalar(e) || cv_date_parse(s->str, &ds) ||
      cv_date_parse(e->str, &de) || date_cmp(&de, &ds) >= 0)
    return;
  verr(v, e, "end date '%s' is before start date '%s' (line %d)", e->str,
       s->str, s->line);
}

static int validate_map(vctx *v, const cvpdf_node *obj,
                        const cvpdf_field *fields, const char *const *extra,
                        const char *what);

/* "education section" + "entries" -> "education entry"; elsewhere the
 * singular of the field name ("highlights" -> "highlight"). */
static void item_what(const char *what, const char *field, char *out,
                      size_t cap) {
  char sing[64];
  size_t n = strlen(field);
  if (n > 3 && n < sizeof sing && strcmp(field + n - 3, "ies") == 0)
    snprintf(sing, sizeof sing, "%.*sy", (int)(n - 3), field);
  else if (n > 1 && n < sizeof sing && field[n - 1] == 's')
    snprintf(sing, sizeof sing, "%.*s", (int)(n - 1), field);
  else
    snprintf(sing, sizeof sing, "'%s' item", field);
  const char *suffix = " section";
  size_t wl = strlen(what), sl = strlen(suffix);
  if (wl > sl && strcmp(what + wl - sl, suffix) == 0)
    snprintf(out, cap, "%.*s %s", (int)(wl - sl), what, sing);
  else
    snprintf(out, cap, "%s", sing);
}

/* A bullet with sub-bullets (CVPDF_FIELD_NESTED): its text and its items,
 * which nest the same way. */
static const cvpdf_field bullet_fields[] = {
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "the bullet", NULL},
    {"items", CVPDF_FIELD_LIST, CVPDF_FIELD_NESTED, "its sub-bullets", NULL},
    {NULL, 0, 0, NULL, NULL}};

/* The items of a list of strings; with CVPDF_FIELD_NESTED an item may be
 * {text, items}. */
static void check_bullets(vctx *v, const cvpdf_field *f, const cvpdf_node *seq,
                          const char *what) {
  char buf[64], iw[160];
  /* A sub-bullet is named as its parent is ("experience highlight"). */
  if (f == &bullet_fields[1])
    snprintf(iw, sizeof iw, "%s", what);
  else
    item_what(what, f->name, iw, sizeof iw);
  for (size_t i = 0; i < seq->n; i++) {
    const cvpdf_node *it = seq->items[i];
    if (is_scalar(it))
      continue;
    if (it->kind == CVPDF_NODE_MAP && (f->flags & CVPDF_FIELD_NESTED)) {
      validate_map(v, it, bullet_fields, NULL, iw);
      continue;
    }
    verr(v, it, "item %zu of field '%s' expected %s, found %s", i + 1, f->name,
         (f->flags & CVPDF_FIELD_NESTED)
             ? "a string or {text: ..., items: [...]}"
             : "a string",
         found_desc(it, buf, sizeof buf));
  }
}

static void check_list(vctx *v, const cvpdf_field *f, const cvpdf_node *n,
                       const char *what) {
  if (!f->children) {
    if (n->kind == CVPDF_NODE_SCALAR)
      return; /* a lone string stands for a list of one */
    if (n->kind != CVPDF_NODE_SEQ) {
      type_error(v, f, n);
      return;
    }
    check_bullets(v, f, n, what);
    return;
  }
  if (n->kind != CVPDF_NODE_SEQ) {
    type_error(v, f, n);
    return;
  }
  char iw[160];
  item_what(what, f->name, iw, sizeof iw);
  char buf[64];
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *it = n->items[i];
    if (it->kind == CVPDF_NODE_MAP) {
      validate_map(v, it, f->children, NULL, iw);
      continue;
    }
    if (it->kind == CVPDF_NODE_SCALAR && (f->flags & CVPDF_FIELD_STRING_ITEMS))
      continue;
    verr(v, it, "item %zu of field '%s' expected %s, found %s", i + 1, f->name,
         (f->flags & CVPDF_FIELD_STRING_ITEMS) ? "a mapping or a string"
                                               : "a mapping",
         found_desc(it, buf, sizeof buf));
  }
}

static void check_dict(vctx *v, const cvpdf_field *f, const cvpdf_node *n) {
  if (n->kind != CVPDF_NODE_MAP) {
    type_error(v, f, n);
    return;
  }
  char buf[64];
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *val = n->items[i];
    if (val->kind == CVPDF_NODE_SCALAR)
      continue;
    if (val->kind == CVPDF_NODE_SEQ) {
      check_scalar_items(v, f, val);
      continue;
    }
    verr(v, val,
         "'%s' in field '%s' expected a string or a list of strings, found %s",
         n->keys[i]->str, f->name, found_desc(val, buf, sizeof buf));
  }
}

static void check_field(vctx *v, const cvpdf_field *f, const cvpdf_node *n,
                        const char *what) {
  char buf[64];
  switch (f->type) {
  case CVPDF_FIELD_STRING:
    if (is_scalar(n))
      return;
    if ((f->flags & CVPDF_FIELD_ONE_OR_MORE) && n->kind == CVPDF_NODE_SEQ) {
      check_scalar_items(v, f, n);
      return;
    }
    type_error(v, f, n);
    return;
  case CVPDF_FIELD_INT:
    if (!is_int(n))
      type_error(v, f, n);
    return;
  case CVPDF_FIELD_BOOL:
    if (cv_node_bool(n) < 0)
      type_error(v, f, n);
    return;
  case CVPDF_FIELD_DATE: {
    cv_date d;
    if (cv_date_literal(n))
      return;
    if (!is_scalar(n) || cv_date_parse(n->str, &d) != 0)
      verr(v, n,
           "field '%s' expected a date such as 2021, 2021-05 or May 2021, "
           "found %s",
           f->name, found_desc(n, buf, sizeof buf));
    return;
  }
  case CVPDF_FIELD_URL:
    if (!is_scalar(n))
      type_error(v, f, n);
    return;
  case CVPDF_FIELD_LIST:
    check_list(v, f, n, what);
    return;
  case CVPDF_FIELD_MAP: {
    if (n->kind != CVPDF_NODE_MAP) {
      type_error(v, f, n);
      return;
    }
    if (!f->children)
      return;
    char cw[96];
    snprintf(cw, sizeof cw, "field '%s'", f->name);
    validate_map(v, n, f->children, NULL, cw);
    return;
  }
  case CVPDF_FIELD_DICT:
    check_dict(v, f, n);
    return;
  }
  verr(v, n, "field '%s' has an unknown type in its declaration", f->name);
}

/* ---- unknown fields -------------------------------------------------- */

static const cvpdf_field *find_field(const cvpdf_field *fields,
                                     const cvpdf_node *key) {
  for (size_t i = 0; fields && fields[i].name; i++)
    if (strlen(fields[i].name) == key->len &&
        memcmp(fields[i].name, key->str, key->len) == 0)
      return &fields[i];
  return NULL;
}

static int in_extra(const char *const *extra, const cvpdf_node *key) {
  for (size_t i = 0; extra && extra[i]; i++)
    if (strlen(extra[i]) == key->len &&
        memcmp(extra[i], key->str, key->len) == 0)
      return 1;
  return 0;
}

#define MAX_NAMES 64

/* Collects declared and extra names (up to MAX_NAMES) into a NULL-ended
 * list for cv_nearest. */
static void collect_names(const cvpdf_field *fields, const char *const *extra,
                          const char **names) {
  size_t n = 0;
  for (size_t i = 0; fields && fields[i].name && n < MAX_NAMES; i++)
    names[n++] = fields[i].name;
  for (size_t i = 0; extra && extra[i] && n < MAX_NAMES; i++)
    names[n++] = extra[i];
  names[n] = NULL;
}

static void unknown_field(vctx *v, const cvpdf_node *key,
                          const char *const *names, const char *what) {
  const char *near = cv_nearest(key->str, names);
  if (near) {
    verr(v, key, "unknown field '%s' in %s; did you mean '%s'?", key->str, what,
         near);
    return;
  }
  cv_buf b;
  cv_buf_init(&b);
  size_t i;
  for (i = 0; names[i] && i < 8; i++) {
    if (i)
      cv_buf_puts(&b, ", ");
    cv_buf_puts(&b, names[i]);
  }
  if (names[i])
    cv_buf_puts(&b, ", ...");
  if (b.failed || i == 0)
    verr(v, key, "unknown field '%s' in %s", key->str, what);
  else
    verr(v, key, "unknown field '%s' in %s; valid fields: %s", key->str, what,
         b.data);
  cv_buf_fini(&b);
}

static int validate_map(vctx *v, const cvpdf_node *obj,
                        const cvpdf_field *fields, const char *const *extra,
                        const char *what) {
  int before = v->errors;
  char buf[64];
  if (!obj || obj->kind != CVPDF_NODE_MAP) {
    verr(v, obj, "%s expected a mapping, found %s", what,
         found_desc(obj, buf, sizeof buf));
    return v->errors - before;
  }
  const char *names[MAX_NAMES + 1];
  collect_names(fields, extra, names);
  for (size_t i = 0; i < obj->n; i++) {
    const cvpdf_node *key = obj->keys[i];
    const cvpdf_field *f = find_field(fields, key);
    if (f)
      check_field(v, f, obj->items[i], what);
    else if (!in_extra(extra, key))
      unknown_field(v, key, names, what);
  }
  for (size_t i = 0; fields && fields[i].name; i++) {
    if ((fields[i].flags & CVPDF_FIELD_REQUIRED) &&
        !cv_node_get(obj, fields[i].name))
      verr(v, obj, "%s is missing required field '%s'", what, fields[i].name);
  }
  check_period(v, obj, fields);
  return v->errors - before;
}

int cv_schema_validate(const cvpdf_node *obj, const cvpdf_field *fields,
                       const char *const *extra, const char *what,
                       cv_diags *diags) {
  vctx v = {diags, 0};
  return validate_map(&v, obj, fields, extra, what ? what : "mapping");
}

/* ---- dates ----------------------------------------------------------- */

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq(const char *a, size_t n, const char *b) {
  if (strlen(b) != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)a[i]) != b[i])
      return 0;
  return 1;
}

static const char *const en_full[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* Month number of an English name: full, three-letter or "sept", with an
 * optional final period.  0 when not a month. */
static int month_of(const char *s, size_t n) {
  if (n > 0 && s[n - 1] == '.')
    n--;
  if (n < 3)
    return 0;
  for (int m = 0; m < 12; m++) {
    if (ieq(s, n, en_full[m]))
      return m + 1;
    if (n == 3 && lower((unsigned char)s[0]) == en_full[m][0] &&
        lower((unsigned char)s[1]) == en_full[m][1] &&
        lower((unsigned char)s[2]) == en_full[m][2])
      return m + 1;
  }
  if (ieq(s, n, "sept"))
    return 9;
  return 0;
}

/* Reads exactly `digits` digits (or 1..digits when loose) at *p. */
static int read_num(const char **p, int min_d, int max_d, int *out) {
  const char *s = *p;
  int v = 0, k = 0;
  while (k < max_d && s[k] >= '0' && s[k] <= '9') {
    v = v * 10 + (s[k] - '0');
    k++;
  }
  if (k < min_d || (s[k] >= '0' && s[k] <= '9'))
    return -1;
  *p = s + k;
  *out = v;
  return 0;
}

static int days_in(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static int date_ok(const cv_date *d) {
  if (d->year < 1000 || d->year > 9999)
    return 0;
  if (d->month < 0 || d->month > 12)
    return 0;
  if (d->day &&
      (!d->month || d->day < 1 || d->day > days_in(d->year, d->month)))
    return 0;
  return 1;
}

/* 2021, 2021-05, 2021-05-17 */
static int parse_iso(const char *s, cv_date *d) {
  if (read_num(&s, 4, 4, &d->year) < 0)
    return -1;
  if (*s == '\0')
    return 0;
  if (*s++ != '-' || read_num(&s, 1, 2, &d->month) < 0)
    return -1;
  if (*s == '\0')
    return 0;
  if (*s++ != '-' || read_num(&s, 1, 2, &d->day) < 0)
    return -1;
  return *s == '\0' ? 0 : -1;
}

/* 05/2021 */
static int parse_slash(const char *s, cv_date *d) {
  if (read_num(&s, 1, 2, &d->month) < 0 || *s++ != '/')
    return -1;
  if (read_num(&s, 4, 4, &d->year) < 0)
    return -1;
  return *s == '\0' ? 0 : -1;
}

/* May 2021, May. 2021, Sept 2021, May 17, 2021, 17 May 2021 */
static int parse_named(const char *s, cv_date *d) {
  const char *p = s;
  if (*p >= '0' && *p <= '9') {
    if (read_num(&p, 1, 2, &d->day) < 0 || *p != ' ')
      return -1;
    while (*p == ' ')
      p++;
  }
  const char *w = p;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.')
    p++;
  d->month = month_of(w, (size_t)(p - w));
  if (!d->month || (*p != ' ' && *p != '\0'))
    return -1;
  while (*p == ' ')
    p++;
  if (!d->day && p[0] >= '0' && p[0] <= '9' &&
      (p[1] == ',' || (p[1] >= '0' && p[1] <= '9' && p[2] == ','))) {
    if (read_num(&p, 1, 2, &d->day) < 0 || *p++ != ',')
      return -1;
    while (*p == ' ')
      p++;
  }
  if (read_num(&p, 4, 4, &d->year) < 0)
    return -1;
  return *p == '\0' ? 0 : -1;
}

const char *cv_date_literal(const cvpdf_node *n) {
  if (!n || n->kind != CVPDF_NODE_MAP || cv_node_len(n) != 1)
    return NULL;
  const cvpdf_node *t = cv_node_get(n, "text");
  return t && is_scalar(t) && t->str && *t->str ? t->str : NULL;
}

int cv_date_parse(const char *s, cv_date *d) {
  cv_date r = {0, 0, 0, 0};
  if (d)
    *d = r;
  if (!s || !d)
    return -1;
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  char tmp[64];
  if (n == 0 || n >= sizeof tmp)
    return -1;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  if (ieq(tmp, n, "present") || ieq(tmp, n, "now") || ieq(tmp, n, "today")) {
    r.present = 1;
    *d = r;
    return 0;
  }
  int ok = parse_iso(tmp, &r) == 0;
  if (!ok) {
    r = (cv_date){0, 0, 0, 0};
    ok = parse_slash(tmp, &r) == 0;
  }
  if (!ok) {
    r = (cv_date){0, 0, 0, 0};
    ok = parse_named(tmp, &r) == 0;
  }
  if (!ok || !date_ok(&r))
    return -1;
  *d = r;
  return 0;
}

int cv_date_parse_day(const char *s, cv_date *d) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      cv_date_parse(s, d) != 0 || !d->day)
    return -1;
  return 0;
}
