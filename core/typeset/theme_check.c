/* cvpdf - a layout's names checked against what reads them: the section
 * types, layout options and words the plugins declare, and the style
 * names core and the plugins use.  A misspelt name would otherwise be
 * read by nothing, silently. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme_read.h"

#include <string.h>

const char *const cv_std_styles[] = {"body",        "title",
                                     "subtitle",    "date",
                                     "location",    "detail",
                                     "note",        "summary",
                                     "name",        "headline",
                                     "heading",     "subheading",
                                     "contact",     "contact.separator",
                                     "label",       "item",
                                     "item.bullet", "item.number",
                                     "pair",        "pair.label",
                                     "rule",        "header",
                                     "footer",      "link",
                                     NULL};

/* Words core prints itself: "present" in dates, and those its footers
 * and last-updated line offer ({of}, {updated}). */
static const char *const core_words[] = {"present", "of", "updated", NULL};

/* Options core reads for every section type. */
static const char *const core_options[] = {"label_width", NULL};

static int in_list(const char *const *list, const char *s) {
  for (size_t i = 0; list && list[i]; i++)
    if (!strcmp(list[i], s))
      return 1;
  return 0;
}

/* A NULL-terminated list in the reader's arena: base, then the strings of
 * the member at offset `member` (a `const char *const *`) of each type. */
static const char **gather(cv_lr *r, const char *const *base, size_t member) {
  size_t n = 0;
  for (size_t i = 0; base && base[i]; i++)
    n++;
  for (size_t t = 0; r->types[t]; t++) {
    const char *const *l;
    memcpy(&l, (const char *)r->types[t] + member, sizeof l);
    for (size_t i = 0; l && l[i]; i++)
      n++;
  }
  const char **out = cv_arena_alloc_n(r->arena, n + 1, sizeof *out);
  if (!out)
    return NULL;
  n = 0;
  for (size_t i = 0; base && base[i]; i++)
    out[n++] = base[i];
  for (size_t t = 0; r->types[t]; t++) {
    const char *const *l;
    memcpy(&l, (const char *)r->types[t] + member, sizeof l);
    for (size_t i = 0; l && l[i]; i++)
      out[n++] = l[i];
  }
  out[n] = NULL;
  return out;
}

/* "unknown WHAT 'key'WHERE; did you mean 'x'?" at n, the nearest name
 * taken from names; without one, WHY says what was looked for. */
static void unknown(cv_lr *r, const cvpdf_node *n, const char *what,
                    const char *key, const char *const *names,
                    const char *where, const char *why) {
  const char *near = names ? cv_nearest(key, names) : NULL;
  if (near)
    cv_lr_err(r, n, "unknown %s '%s'%s; did you mean '%s'?", what, key, where,
              near);
  else
    cv_lr_err(r, n, "unknown %s '%s'%s (%s)", what, key, where, why);
}

/* key's text among base and the lists at `member` of the declared types,
 * or an error. */
static int known_name(cv_lr *r, const cvpdf_node *key, const char *const *base,
                      size_t member, const char *what, const char *why) {
  const char *name = cv_node_str(key);
  if (!r->types || !name || in_list(base, name))
    return 0;
  const char **names = gather(r, base, member);
  if (names && in_list(names, name))
    return 0;
  unknown(r, key, what, name, names, "", why);
  return -1;
}

int cv_lr_check_style(cv_lr *r, const cvpdf_node *key) {
  return known_name(r, key, cv_std_styles, offsetof(cvpdf_section_type, styles),
                    "style",
                    "neither cvpdf nor a plugin uses a style of that name");
}

const cvpdf_section_type *cv_lr_check_type(cv_lr *r, const cvpdf_node *key,
                                           int *bad) {
  const char *name = cv_node_str(key);
  *bad = 0;
  if (!r->types || !name)
    return NULL;
  for (size_t i = 0; r->types[i]; i++)
    if (!strcmp(r->types[i]->name, name))
      return r->types[i];
  size_t n = 0;
  while (r->types[n])
    n++;
  const char **names = cv_arena_alloc_n(r->arena, n + 1, sizeof *names);
  for (size_t i = 0; names && i <= n; i++)
    names[i] = i < n ? r->types[i]->name : NULL;
  unknown(r, key, "section type", name, names, " in sections",
          "no plugin handles it");
  *bad = 1;
  return NULL;
}

/* "margin or column" / "a, b or c". */
static const char *one_of(cv_lr *r, const char *const *values) {
  const char *out = values[0];
  for (size_t i = 1; out && values[i]; i++)
    out = cv_arena_printf(r->arena, "%s%s%s", out,
                          values[i + 1] ? ", " : " or ", values[i]);
  return out ? out : "";
}

int cv_lr_check_option(cv_lr *r, const cvpdf_section_type *t,
                       const cvpdf_node *key, const cvpdf_node *val) {
  const char *name = cv_node_str(key);
  if (!t || !name || in_list(core_options, name))
    return 0;
  const cvpdf_option *o = t->options;
  size_t n = 0;
  while (o && o[n].name)
    n++;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(o[i].name, name))
      continue;
    const char *v = cv_node_str(val);
    if (!o[i].values || !v || in_list(o[i].values, v))
      return 0;
    const char *near = cv_nearest(v, o[i].values);
    cv_lr_err(
        r, val, "option '%s' for %s sections: expected %s, found '%s'%s%s%s",
        name, t->name, one_of(r, o[i].values), v,
        near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    return -1;
  }
  const char **names = cv_arena_alloc_n(r->arena, n + 2, sizeof *names);
  for (size_t i = 0; names && i < n; i++)
    names[i] = o[i].name;
  if (names) {
    names[n] = core_options[0];
    names[n + 1] = NULL;
  }
  const char *tail = cv_arena_printf(r->arena, " for %s sections", t->name);
  unknown(r, key, "option", name, names, tail ? tail : "",
          n ? "not one the plugin declares" : "the plugin reads no option");
  return -1;
}

/* Whether {key} appears in text (a footer or header). */
static int in_template(const char *text, const char *key) {
  size_t len = strlen(key);
  for (const char *p = text ? strchr(text, '{') : NULL; p;
       p = strchr(p + 1, '{'))
    if (!strncmp(p + 1, key, len) && p[1 + len] == '}')
      return 1;
  return 0;
}

int cv_lr_check_word(cv_lr *r, const cvpdf_node *key) {
  const char *name = cv_node_str(key);
  if (name &&
      (in_template(r->t->footer, name) || in_template(r->t->header, name) ||
       in_template(r->t->updated, name)))
    return 0;
  return known_name(r, key, core_words, offsetof(cvpdf_section_type, words),
                    "word",
                    "no plugin prints it, nor the layout's header or footer");
}
