/* cvpdf - RenderCV's settings (`settings:`, 1.x `rendercv_settings:`):
 * bold_keywords are set in bold markup in the converted text, pdf_title
 * is the title:, current_date other than today a warning (cvpdf dates the
 * CV itself); every other key is a warning that names it at its position.
 * render_command (RenderCV's own output paths and switches) means nothing
 * for the document and is ignored on purpose. */
#define _POSIX_C_SOURCE 200809L
#include "document/convert_int.h"
#include "document/schema.h"

#include <string.h>

#define RC "RenderCV"

/* A byte that is part of a word: an ASCII letter or digit, or any byte
 * of a multibyte UTF-8 character. */
static int word_byte(unsigned char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

/* Whether keyword kw stands at s + i as a whole word. */
static int whole_word(const char *s, size_t i, size_t len, const char *kw,
                      size_t kl) {
  if (i + kl > len || memcmp(s + i, kw, kl))
    return 0;
  if (word_byte((unsigned char)kw[0]) && i > 0 &&
      word_byte((unsigned char)s[i - 1]))
    return 0;
  if (word_byte((unsigned char)kw[kl - 1]) && i + kl < len &&
      word_byte((unsigned char)s[i + kl]))
    return 0;
  return 1;
}

/* s with every keyword that stands as a whole word outside bold, code
 * and link targets wrapped in **...**; s itself when none does. */
static char *bolden(cv_conv *c, char *s, const cvpdf_node *kws) {
  /* Each byte becomes at most five: a one-byte keyword in its marks. */
  size_t len = strlen(s), cap = len * 5 + 1, k = 0;
  char *out = cv_arena_alloc(c->arena, cap);
  if (!out) {
    c->oom = 1;
    return s;
  }
  int bold = 0, code = 0, hits = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] == '\\' && i + 1 < len) {
      out[k++] = s[i++];
      out[k++] = s[i++];
      continue;
    }
    if (s[i] == '`')
      code = !code;
    else if (!code && s[i] == '*' && s[i + 1] == '*') {
      bold = !bold;
      out[k++] = s[i++];
      out[k++] = s[i++];
      continue;
    } else if (!code && s[i] == ']' && s[i + 1] == '(') {
      /* A link's target is no text. */
      while (i < len && s[i] != ')')
        out[k++] = s[i++];
      continue;
    }
    size_t hit = 0;
    for (size_t j = 0; !bold && !code && j < kws->n && !hit; j++) {
      const char *kw = cv_node_str(kws->items[j]);
      size_t kl = kw ? strlen(kw) : 0;
      if (kl && whole_word(s, i, len, kw, kl))
        hit = kl;
    }
    if (!hit) {
      out[k++] = s[i++];
      continue;
    }
    memcpy(out + k, "**", 2);
    memcpy(out + k + 2, s + i, hit);
    memcpy(out + k + 2 + hit, "**", 2);
    k += hit + 4, i += hit, hits++;
  }
  out[k] = '\0';
  return hits ? out : s;
}

static int listed(const char *const *keys, const char *key) {
  for (size_t i = 0; keys[i]; i++)
    if (!strcmp(keys[i], key))
      return 1;
  return 0;
}

/* Keys of the converted entries whose values are no printed text with
 * markup: dates, addresses, tags and the names the layouts match in
 * author lists. */
static int not_text(const char *key) {
  static const char *const keys[] = {"start", "end",     "date", "url",
                                     "doi",   "icon",    "tags", "id",
                                     "lang",  "authors", NULL};
  return listed(keys, key);
}

static void bold_node(cv_conv *c, cvpdf_node *n, const cvpdf_node *kws) {
  if (!n)
    return;
  if (n->kind == CVPDF_NODE_SCALAR && n->str) {
    n->str = bolden(c, n->str, kws);
    n->len = strlen(n->str);
    return;
  }
  for (size_t i = 0; i < n->n; i++)
    if (n->kind == CVPDF_NODE_SEQ || (n->keys[i] && !not_text(n->keys[i]->str)))
      bold_node(c, n->items[i], kws);
}

/* bold_keywords: a list of strings, each set in bold in the sections. */
static void bold_keywords(cv_conv *c, const cvpdf_node *kws, cvpdf_node *root) {
  if (kws->kind != CVPDF_NODE_SEQ) {
    cv_conv_warn(c, kws,
                 RC " settings.bold_keywords expected a list of strings, "
                    "found %s; it is ignored",
                 cv_node_kind_name(kws));
    return;
  }
  for (size_t i = 0; i < kws->n; i++)
    if (kws->items[i]->kind != CVPDF_NODE_SCALAR)
      cv_conv_warn(c, kws->items[i],
                   RC " settings.bold_keywords expected a list of strings, "
                      "found %s in it; it is ignored",
                   cv_node_kind_name(kws->items[i]));
  /* A section's own keys (its heading among them) are left as they are. */
  static const char *const own[] = {"type", "title", "id",
                                    "lang", "tags",  NULL};
  cvpdf_node *secs = (cvpdf_node *)cv_node_get(root, "sections");
  for (size_t i = 0; secs && i < secs->n; i++) {
    cvpdf_node *sec = secs->items[i];
    for (size_t j = 0; sec->kind == CVPDF_NODE_MAP && j < sec->n; j++)
      if (!listed(own, sec->keys[j]->str))
        bold_node(c, sec->items[j], kws);
  }
}

/* RenderCV's placeholders for the CV's name, and how each writes it. */
static const struct {
  const char *word;
  char space;  /* what a space becomes: ' ' kept, '_' or '-' */
  int letters; /* 0 as written, 1 lower case, 2 upper case */
} name_forms[] = {{"NAME", ' ', 0},
                  {"NAME_IN_SNAKE_CASE", '_', 0},
                  {"NAME_IN_LOWER_SNAKE_CASE", '_', 1},
                  {"NAME_IN_UPPER_SNAKE_CASE", '_', 2},
                  {"NAME_IN_KEBAB_CASE", '-', 0},
                  {"NAME_IN_LOWER_KEBAB_CASE", '-', 1},
                  {"NAME_IN_UPPER_KEBAB_CASE", '-', 2}};

/* Its placeholders for the date, which a converted CV has no value for:
 * cvpdf dates it when it renders. */
static const char *const date_words[] = {"CURRENT_DATE",
                                         "FULL_MONTH_NAME",
                                         "MONTH_ABBREVIATION",
                                         "MONTH_IN_TWO_DIGITS",
                                         "MONTH",
                                         "YEAR_IN_TWO_DIGITS",
                                         "YEAR",
                                         "DAY_IN_TWO_DIGITS",
                                         "DAY",
                                         NULL};

static int placeholder_byte(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Appends the name in form f at out + k; returns the new length. */
static size_t put_name(char *out, size_t k, const char *name, size_t f) {
  for (const char *p = name; *p; p++) {
    char ch = *p == ' ' ? name_forms[f].space : *p;
    if (name_forms[f].letters == 1 && ch >= 'A' && ch <= 'Z')
      ch = (char)(ch - 'A' + 'a');
    else if (name_forms[f].letters == 2 && ch >= 'a' && ch <= 'z')
      ch = (char)(ch - 'a' + 'A');
    out[k++] = ch;
  }
  return k;
}

/* pdf_title: cvpdf's title:, the name placeholders replaced by the CV's
 * name; a placeholder with no value is a warning and stays as written. */
static void pdf_title(cv_conv *c, const cvpdf_node *key, const cvpdf_node *v,
                      cvpdf_node *root) {
  if (v->kind != CVPDF_NODE_SCALAR) {
    cv_conv_warn(c, v,
                 RC " settings.pdf_title expected a string, found %s; it is "
                    "ignored",
                 cv_node_kind_name(v));
    return;
  }
  const char *name = cv_node_get_str(root, "name");
  size_t len = strlen(v->str), k = 0;
  /* A placeholder has 4 bytes at least, its value the name's length. */
  char *out = cv_arena_alloc(c->arena, len * (name ? strlen(name) + 1 : 1) + 1);
  if (!out) {
    c->oom = 1;
    return;
  }
  for (size_t i = 0; i < len;) {
    size_t w = 0;
    while (placeholder_byte(v->str[i + w]))
      w++;
    if (!w) {
      out[k++] = v->str[i++];
      continue;
    }
    size_t f = 0, nf = sizeof name_forms / sizeof name_forms[0];
    while (f < nf && !(strlen(name_forms[f].word) == w &&
                       !memcmp(name_forms[f].word, v->str + i, w)))
      f++;
    size_t d = 0;
    while (date_words[d] && !(strlen(date_words[d]) == w &&
                              !memcmp(date_words[d], v->str + i, w)))
      d++;
    if (f < nf && name)
      k = put_name(out, k, name, f);
    else {
      if (f < nf || date_words[d])
        cv_conv_warn(c, v,
                     RC " settings.pdf_title placeholder '%.*s' has no value: "
                        "%s; it is printed as written",
                     (int)w, v->str + i,
                     f < nf ? "the CV has no name"
                            : "cvpdf dates the CV when it renders");
      memcpy(out + k, v->str + i, w);
      k += w;
    }
    i += w;
  }
  out[k] = '\0';
  cv_conv_set(c, root, "title", key, cv_conv_scalar(c, v, out));
}

/* current_date (1.x date): RenderCV's default, today, is what cvpdf does;
 * a fixed day becomes the CV's date:. */
static void current_date(cv_conv *c, const char *settings,
                         const cvpdf_node *key, const cvpdf_node *v,
                         cvpdf_node *root) {
  if (cv_conv_is_null(v))
    return;
  cv_date day;
  if (v->kind == CVPDF_NODE_SCALAR && !strcmp(v->str, "today"))
    return;
  if (v->kind == CVPDF_NODE_SCALAR && cv_date_parse_day(v->str, &day) == 0)
    cv_conv_set(c, root, "date", key, cv_conv_scalar(c, v, v->str));
  else if (v->kind != CVPDF_NODE_SCALAR)
    cv_conv_warn(c, v,
                 RC " %s.%s expected a date such as 2026-09-14 or today, "
                    "found %s; it is ignored",
                 settings, key->str, cv_node_kind_name(v));
  else
    cv_conv_warn(c, v,
                 RC " %s.%s expected a date such as 2026-09-14 or today, "
                    "found '%s'; it is ignored",
                 settings, key->str, v->str);
}

void cv_rcv_settings(cv_conv *c, const cvpdf_node *src, cvpdf_node *root) {
  const char *name = "settings";
  const cvpdf_node *st = cv_node_get(src, name);
  if (!st)
    st = cv_node_get(src, name = "rendercv_settings");
  if (!st || cv_conv_is_null(st))
    return;
  if (st->kind != CVPDF_NODE_MAP) {
    cv_conv_warn(c, st, RC " field '%s' expected a mapping, found %s", name,
                 cv_node_kind_name(st));
    return;
  }
  for (size_t i = 0; i < st->n; i++) {
    const char *key = st->keys[i]->str;
    const cvpdf_node *v = st->items[i];
    if (!strcmp(key, "bold_keywords")) {
      if (!cv_conv_is_null(v))
        bold_keywords(c, v, root);
    } else if (!strcmp(key, "pdf_title")) {
      if (!cv_conv_is_null(v))
        pdf_title(c, st->keys[i], v, root);
    } else if (!strcmp(key, "current_date") || !strcmp(key, "date")) {
      current_date(c, name, st->keys[i], v, root);
    } else if (strcmp(key, "render_command"))
      cv_conv_warn(c, st->keys[i], "unknown RenderCV %s key '%s' is ignored",
                   name, key);
  }
}
