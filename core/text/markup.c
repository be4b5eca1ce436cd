/* cvpdf - inline markup: **bold**, *italic*, `code`, links, escapes,
 * entities and phrases in another language (<span lang="de">, the inline
 * markup HTML, and so Markdown, has for a language) parsed with md4c into
 * the flat list of spans text.c shapes. */
#define _POSIX_C_SOURCE 200809L
#include "text/text.h"

#include <md4c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== markup ========================================================== */

typedef struct md_state {
  cv_arena *arena;
  cv_buf text;      /* text of the span being collected */
  unsigned flags;   /* of the span being collected */
  const char *link; /* of the span being collected */
  const char *lang; /* of the span being collected */
  int strong, em, code;
  /* Open <span>s, innermost last: each one's language (NULL: none, or
   * not a tag) and where its tag is in the markup (check only). */
  const char *langs[8];
  size_t lang_at[8];
  int nlangs;
  const char *links[8]; /* nested links: innermost wins */
  int nlinks;
  int paragraphs; /* paragraphs seen so far */
  cv_span *spans;
  size_t nspans, cap;
  int failed;
  /* cv_markup_check_langs: where problems go, and the markup as written,
   * searched from `from` for each tag at fault. */
  cv_markup_report report;
  void *ud;
  const char *orig;
  size_t orig_len, from;
  int errors;
} md_state;

static unsigned md_cur_flags(const md_state *s) {
  return (s->strong ? CV_SPAN_BOLD : 0u) | (s->em ? CV_SPAN_ITALIC : 0u) |
         (s->code ? CV_SPAN_CODE : 0u);
}

static const char *md_cur_link(const md_state *s) {
  return s->nlinks > 0 ? s->links[s->nlinks - 1 < 8 ? s->nlinks - 1 : 7] : NULL;
}

/* The language of the innermost open span that names one. */
static const char *md_cur_lang(const md_state *s) {
  for (int i = s->nlangs < 8 ? s->nlangs : 8; i-- > 0;)
    if (s->langs[i])
      return s->langs[i];
  return NULL;
}

static void md_push_span(md_state *s, const char *text, size_t len,
                         unsigned flags, const char *link, const char *lang) {
  if (cv_grow((void **)&s->spans, &s->cap, s->nspans + 1, sizeof *s->spans)) {
    s->failed = 1;
    return;
  }
  char *t = cv_arena_strndup(s->arena, text, len);
  if (!t) {
    s->failed = 1;
    return;
  }
  s->spans[s->nspans++] = (cv_span){t, len, flags, link, lang};
}

static void md_flush(md_state *s) {
  if (s->text.len)
    md_push_span(s, s->text.data, s->text.len, s->flags, s->link, s->lang);
  cv_buf_reset(&s->text);
}

/* Text with the current attributes; a change of attributes starts a span. */
static void md_put(md_state *s, const char *t, size_t n) {
  unsigned fl = md_cur_flags(s);
  const char *link = md_cur_link(s);
  const char *lang = md_cur_lang(s);
  if (s->text.len && (fl != s->flags || link != s->link || lang != s->lang))
    md_flush(s);
  s->flags = fl;
  s->link = link;
  s->lang = lang;
  cv_buf_put(&s->text, t, n);
  if (s->text.failed)
    s->failed = 1;
}

static const struct {
  const char *name;
  uint32_t cp;
} named_entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},    {"nbsp", 0xA0},
    {"ndash", 0x2013},  {"mdash", 0x2014}, {"hellip", 0x2026},
    {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"laquo", 0xAB},   {"raquo", 0xBB},
    {"copy", 0xA9},     {"reg", 0xAE},     {"trade", 0x2122},
    {"middot", 0xB7},   {"bull", 0x2022},  {"deg", 0xB0},
    {"times", 0xD7},    {"minus", 0x2212}, {"plusmn", 0xB1},
    {"thinsp", 0x2009}, {"ensp", 0x2002},  {"emsp", 0x2003},
    {"shy", 0xAD},      {"euro", 0x20AC},  {"pound", 0xA3},
    {"sect", 0xA7},     {"para", 0xB6},    {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"star", 0x2606},  {"larr", 0x2190},
    {"rarr", 0x2192},   {"eacute", 0xE9},  {"Eacute", 0xC9},
    {"auml", 0xE4},     {"ouml", 0xF6},    {"uuml", 0xFC},
    {"Auml", 0xC4},     {"Ouml", 0xD6},    {"Uuml", 0xDC},
    {"szlig", 0xDF},    {"ccedil", 0xE7},  {"egrave", 0xE8},
    {"aacute", 0xE1},   {"iacute", 0xED},  {"oacute", 0xF3},
    {"uacute", 0xFA},   {"ntilde", 0xF1},  {"zwj", 0x200D},
    {"zwnj", 0x200C},
};

/* "&name;" or "&#123;" / "&#x1F;" to a code point; 0 when unknown. */
static uint32_t entity_decode(const char *t, size_t n) {
  if (n < 3 || t[0] != '&' || t[n - 1] != ';')
    return 0;
  if (t[1] == '#') {
    int hex = n > 3 && (t[2] == 'x' || t[2] == 'X');
    uint32_t v = 0;
    size_t i = hex ? 3 : 2;
    if (i >= n - 1)
      return 0;
    for (; i < n - 1; i++) {
      char c = t[i];
      int d = c >= '0' && c <= '9'          ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : -1;
      if (d < 0 || v > 0x10FFFF)
        return 0;
      v = v * (hex ? 16u : 10u) + (uint32_t)d;
    }
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
      return 0xFFFD;
    return v;
  }
  for (size_t i = 0; i < sizeof named_entities / sizeof *named_entities; i++)
    if (strlen(named_entities[i].name) == n - 2 &&
        memcmp(named_entities[i].name, t + 1, n - 2) == 0)
      return named_entities[i].cp;
  return 0;
}

/* Appends an entity decoded, or as written when unknown. */
static void buf_put_entity(cv_buf *b, const char *t, size_t n) {
  uint32_t cp = entity_decode(t, n);
  if (!cp) {
    cv_buf_put(b, t, n);
    return;
  }
  char u[4];
  cv_buf_put(b, u, (size_t)cv_utf8_encode(cp, u));
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  (void)detail;
  md_state *s = ud;
  /* Any block after the first is text that happened to be separated by a
   * blank line: it reads as one space. */
  if (type != MD_BLOCK_DOC && type != MD_BLOCK_HTML && s->paragraphs++ > 0 &&
      (s->text.len || s->nspans))
    md_put(s, " ", 1);
  return 0;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  (void)type, (void)detail, (void)ud;
  return 0;
}

static const char *md_attr_string(md_state *s, const MD_ATTRIBUTE *a) {
  cv_buf b;
  cv_buf_init(&b);
  for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
    const char *t = a->text + a->substr_offsets[i];
    size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
    if (a->substr_types[i] == MD_TEXT_ENTITY)
      buf_put_entity(&b, t, n);
    else if (a->substr_types[i] != MD_TEXT_NULLCHAR)
      cv_buf_put(&b, t, n);
  }
  const char *r = cv_arena_strndup(s->arena, b.data ? b.data : "", b.len);
  if (!r || b.failed)
    s->failed = 1;
  cv_buf_fini(&b);
  return r;
}

static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud) {
  md_state *s = ud;
  switch (type) {
  case MD_SPAN_STRONG:
    s->strong++;
    break;
  case MD_SPAN_EM:
    s->em++;
    break;
  case MD_SPAN_CODE:
    s->code++;
    break;
  case MD_SPAN_A: {
    const char *href = md_attr_string(s, &((MD_SPAN_A_DETAIL *)detail)->href);
    if (s->nlinks < 8)
      s->links[s->nlinks] = href;
    s->nlinks++;
    break;
  }
  default:
    break;
  }
  return s->failed ? -1 : 0;
}

/* md4c was seen closing a link it had not opened, on brackets and images
 * nested in a link's text (the markup fuzz corpus keeps that input): no
 * depth may go below zero, or the next link is stored at links[-1]. */
static void leave(int *depth) {
  if (*depth > 0)
    (*depth)--;
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud) {
  (void)detail;
  md_state *s = ud;
  switch (type) {
  case MD_SPAN_STRONG:
    leave(&s->strong);
    break;
  case MD_SPAN_EM:
    leave(&s->em);
    break;
  case MD_SPAN_CODE:
    leave(&s->code);
    break;
  case MD_SPAN_A:
    leave(&s->nlinks);
    break;
  default:
    break;
  }
  return 0;
}

/* ---- <span lang="..."> ------------------------------------------------ */

typedef struct span_tag {
  int closing;
  int has_lang;  /* a lang (or xml:lang) attribute */
  char lang[48]; /* its value, cut short past 47 bytes */
  char attr[24]; /* the first other attribute, for "did you mean" */
} span_tag;

static int is_space_byte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int ieq(const char *a, size_t n, const char *b) {
  return strlen(b) == n && !strncasecmp(a, b, n);
}

/* Copies [a, a + n) into a buffer of cap bytes, cut short. */
static void copy_cut(char *dst, size_t cap, const char *a, size_t n) {
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, a, n);
  dst[n] = '\0';
}

/* Reads a raw HTML tag: 1 when it is <span ...> or </span>, with what it
 * says in tg. */
static int parse_span_tag(const char *t, size_t n, span_tag *tg) {
  memset(tg, 0, sizeof *tg);
  size_t i = 1;
  if (n < 3 || t[0] != '<' || t[n - 1] != '>')
    return 0;
  if (t[i] == '/')
    tg->closing = 1, i++;
  size_t name = i;
  while (i < n && ((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z'))
    i++;
  if (!ieq(t + name, i - name, "span"))
    return 0;
  n--; /* the closing '>' */
  while (i < n) {
    while (i < n && (is_space_byte(t[i]) || t[i] == '/'))
      i++;
    size_t an = i;
    while (i < n && !is_space_byte(t[i]) && t[i] != '=' && t[i] != '/')
      i++;
    size_t al = i - an;
    while (i < n && is_space_byte(t[i]))
      i++;
    const char *v = "";
    size_t vl = 0;
    if (i < n && t[i] == '=') {
      i++;
      while (i < n && is_space_byte(t[i]))
        i++;
      char q = i < n && (t[i] == '"' || t[i] == '\'') ? t[i++] : 0;
      v = t + i;
      while (i < n && (q ? t[i] != q : !is_space_byte(t[i])))
        i++;
      vl = (size_t)(t + i - v);
      if (q && i < n)
        i++;
    }
    if (!al)
      continue;
    if (ieq(t + an, al, "lang") || ieq(t + an, al, "xml:lang")) {
      tg->has_lang = 1;
      copy_cut(tg->lang, sizeof tg->lang, v, vl);
    } else if (!tg->attr[0]) {
      copy_cut(tg->attr, sizeof tg->attr, t + an, al);
    }
  }
  return 1;
}

/* Where the tag t is in the markup as written (check only), searching
 * on from the last tag found; (size_t)-1 when it is not there as is. */
static size_t md_find(md_state *s, const char *t, size_t n) {
  for (size_t i = s->from; s->report && n && i + n <= s->orig_len; i++)
    if (!memcmp(s->orig + i, t, n)) {
      s->from = i + n;
      return i;
    }
  return (size_t)-1;
}

static void md_report(md_state *s, size_t at, int error, const char *fmt, ...)
    CV_PRINTF(4, 5);
static void md_report(md_state *s, size_t at, int error, const char *fmt, ...) {
  if (!s->report)
    return;
  char msg[320];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  s->errors += error;
  s->report(s->ud, at, error, msg);
}

/* What is wrong with the language of an opening tag, reported. */
static void check_span_lang(md_state *s, const char *t, size_t n, size_t at,
                            const span_tag *tg) {
  char near[16];
  if (!tg->has_lang) {
    const char *const lang[] = {"lang", NULL};
    int like = tg->attr[0] && cv_nearest(tg->attr, lang);
    md_report(s, at, 0,
              "expected <span lang=\"TAG\"> (a language tag such as de), "
              "found %.*s, which is set in the paragraph's language%s",
              (int)(n < 80 ? n : 80), t, like ? "; did you mean 'lang'?" : "");
    return;
  }
  if (cv_language_tag_ok(tg->lang) && cv_language_known(tg->lang))
    return;
  /* A well-formed tag of no language ("dx", "German") is as wrong as a
   * malformed one: no patterns, no reader's voice. */
  const char *sug = cv_language_suggest(tg->lang, near, sizeof near);
  md_report(s, at, 1,
            "<span lang>: expected a language tag such as en, de or pt-BR, "
            "found '%s'%s%s%s",
            tg->lang, sug ? "; did you mean '" : "", sug ? sug : "",
            sug ? "'?" : "");
}

/* Raw HTML: a span's tags open and close a phrase in a language; any
 * other tag is text, as it was before spans were read. */
static void md_html(md_state *s, const char *t, size_t n) {
  span_tag tg;
  if (!parse_span_tag(t, n, &tg)) {
    md_put(s, t, n);
    return;
  }
  size_t at = md_find(s, t, n);
  if (tg.closing) {
    if (s->nlangs > 0)
      s->nlangs--;
    else
      md_report(s, at, 0,
                "found </span> with no <span lang=\"...\"> open before it; "
                "it is left out");
    return;
  }
  const char *lang = NULL;
  if (s->report)
    check_span_lang(s, t, n, at, &tg);
  if (tg.has_lang && cv_language_tag_ok(tg.lang)) {
    lang = cv_arena_strdup(s->arena, tg.lang);
    if (!lang)
      s->failed = 1;
  }
  if (s->nlangs < 8) {
    s->langs[s->nlangs] = lang;
    s->lang_at[s->nlangs] = at;
  }
  s->nlangs++;
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE n, void *ud) {
  md_state *s = ud;
  switch (type) {
  case MD_TEXT_NULLCHAR:
    break;
  case MD_TEXT_BR:
    md_flush(s);
    md_push_span(s, "", 0, CV_SPAN_BREAK | md_cur_flags(s), NULL, NULL);
    break;
  case MD_TEXT_SOFTBR:
    md_put(s, " ", 1);
    break;
  case MD_TEXT_HTML:
    md_html(s, t, n);
    break;
  case MD_TEXT_ENTITY: {
    uint32_t cp = entity_decode(t, n);
    char u[4];
    if (cp)
      md_put(s, u, (size_t)cv_utf8_encode(cp, u));
    else
      md_put(s, t, n);
    break;
  }
  default:
    md_put(s, t, n);
    break;
  }
  return s->failed ? -1 : 0;
}

static int line_is_only(const char *p, const char *end, char c) {
  int count = 0;
  for (; p < end; p++) {
    if (*p == c)
      count++;
    else if (*p != ' ' && *p != '\t')
      return 0;
  }
  return count >= 3;
}

/* "]:" within [p, end): a link reference definition.  The line is not
 * NUL-terminated, so no str* function may look at it. */
static int has_label_colon(const char *p, const char *end) {
  for (; p + 1 < end; p++)
    if (p[0] == ']' && p[1] == ':')
      return 1;
  return 0;
}

/* Copies one line into b, escaping what md4c would read as block syntax:
 * a CV field "1. foo" or "- foo" is text, never a list. */
static void escape_line(cv_buf *b, const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++; /* indentation would make a code block or a lazy continuation */
  if (p == end)
    return;
  char c = *p;
  const char *q = p;
  while (q < end && *q >= '0' && *q <= '9')
    q++;
  if (q > p && q < end && (*q == '.' || *q == ')')) {
    cv_buf_put(b, p, (size_t)(q - p));
    cv_buf_putc(b, '\\');
    cv_buf_put(b, q, (size_t)(end - q));
    return;
  }
  int esc = c == '#' || c == '>' || c == '-' || c == '+' || c == '=' ||
            c == '|' || (c == '`' && end - p >= 3 && !memcmp(p, "```", 3)) ||
            (c == '~' && end - p >= 3 && !memcmp(p, "~~~", 3)) ||
            (c == '*' && (p + 1 == end || p[1] == ' ' || p[1] == '\t' ||
                          line_is_only(p, end, '*'))) ||
            (c == '_' && line_is_only(p, end, '_')) ||
            (c == '[' && has_label_colon(p, end));
  if (esc)
    cv_buf_putc(b, '\\');
  cv_buf_put(b, p, (size_t)(end - p));
}

/* Runs md4c over markup (valid UTF-8) with s's callbacks; 0, or -1
 * when out of memory. */
static int md_run(md_state *s, const char *markup, size_t len) {
  cv_buf src;
  cv_buf_init(&src);
  for (const char *p = markup, *end = markup + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    escape_line(&src, p, le);
    if (nl)
      cv_buf_putc(&src, '\n');
    p = nl ? nl + 1 : end;
  }
  cv_buf_init(&s->text);
  MD_PARSER parser = {0};
  /* Raw inline HTML is read for <span lang>; any other tag stays text. */
  parser.flags = MD_FLAG_NOHTMLBLOCKS | MD_FLAG_NOINDENTEDCODEBLOCKS |
                 MD_FLAG_COLLAPSEWHITESPACE | MD_FLAG_PERMISSIVEURLAUTOLINKS |
                 MD_FLAG_PERMISSIVEEMAILAUTOLINKS;
  parser.enter_block = md_enter_block;
  parser.leave_block = md_leave_block;
  parser.enter_span = md_enter_span;
  parser.leave_span = md_leave_span;
  parser.text = md_text;
  int rc = src.failed ? -1
                      : md_parse(src.data ? src.data : "", (MD_SIZE)src.len,
                                 &parser, s);
  if (rc == 0 && !s->failed)
    md_flush(s);
  cv_buf_fini(&src);
  cv_buf_fini(&s->text);
  return rc != 0 || s->failed ? -1 : 0;
}

/* Whether md4c would give markup back as it is, one span of plain text:
 * one line, no white space it trims or collapses, and no byte it reads as
 * inline syntax (emphasis, code, links, autolinks at ':' and '@',
 * entities, escapes, raw HTML).  What escape_line guards at a line's
 * start ("1.", "-", "#") comes back as written too.  Most of a CV's
 * fields are such text, and md4c costs more than shaping them. */
static int plain_text(const char *t, size_t n) {
  static const char syntax[] = "\\`*_[]<>&~|!:@";
  if (n == 0 || t[0] == ' ' || t[n - 1] == ' ')
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (c >= 0x80 || (c >= '0' && c <= '9') ||
        ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
      continue;
    if (c < 0x20 || c == 0x7F || memchr(syntax, c, sizeof syntax - 1) ||
        (c == ' ' && t[i + 1] == ' '))
      return 0;
  }
  return 1;
}

int cv_markup_parse(cv_arena *arena, const char *markup, size_t len,
                    cv_span **spans, size_t *nspans, cv_status *st) {
  *spans = NULL;
  *nspans = 0;
  size_t bad = cv_utf8_check(markup, len);
  if (bad != (size_t)-1) {
    cv_status_set(st, "invalid UTF-8 in text at byte %zu", bad);
    return -1;
  }
  if (plain_text(markup, len)) {
    cv_span *sp = cv_arena_alloc_n(arena, 1, sizeof *sp);
    char *t = sp ? cv_arena_strndup(arena, markup, len) : NULL;
    if (!t) {
      cv_status_set(st, "out of memory parsing inline markup");
      return -1;
    }
    *sp = (cv_span){t, len, 0, NULL, NULL};
    *spans = sp;
    *nspans = 1;
    return 0;
  }
  md_state s = {.arena = arena};
  if (md_run(&s, markup, len) < 0) {
    free(s.spans);
    cv_status_set(st, "out of memory parsing inline markup");
    return -1;
  }
  /* Hand the spans over in the arena, like everything else they point to. */
  if (s.nspans) {
    *spans = cv_arena_alloc_n(arena, s.nspans, sizeof **spans);
    if (!*spans) {
      free(s.spans);
      cv_status_set(st, "out of memory parsing inline markup");
      return -1;
    }
    memcpy(*spans, s.spans, s.nspans * sizeof **spans);
  }
  *nspans = s.nspans;
  free(s.spans);
  return 0;
}

int cv_markup_check_langs(const char *markup, size_t len,
                          cv_markup_report report, void *ud) {
  if (!memchr(markup, '<', len) || cv_utf8_check(markup, len) != (size_t)-1)
    return 0;
  cv_arena arena;
  cv_arena_init(&arena);
  md_state s = {.arena = &arena,
                .report = report,
                .ud = ud,
                .orig = markup,
                .orig_len = len};
  if (md_run(&s, markup, len) == 0)
    for (int i = s.nlangs < 8 ? s.nlangs : 8; i-- > 0;)
      if (s.langs[i])
        md_report(&s, s.lang_at[i], 0,
                  "<span lang=\"%s\"> is not closed with </span>: the text "
                  "after it to the field's end is in '%s'",
                  s.langs[i], s.langs[i]);
  free(s.spans);
  cv_arena_fini(&arena);
  return s.errors;
}
