/* cvpdf - text: spans of inline markup into box/glue/penalty lists (Knuth
 * & Plass 1981).  This file owns what happens between the markup and the
 * shaper: case and small capitals, the font of each character (fallbacks
 * for what a font lacks), break opportunities (libunibreak, UAX #14), and
 * the nodes made of words and spaces.  text_int.h lists the other pieces. */
#define _POSIX_C_SOURCE 200809L
#include "text/text_int.h"

#include <linebreak.h> /* libunibreak's; the breaker is typeset/linebreak.h */
#include <stdlib.h>
#include <string.h>

/* ==== characters ====================================================== */

/* Upper case for Latin (ASCII, Latin-1, Extended-A), Greek and Cyrillic:
 * enough for CV headings, independent of the C locale.  One code point to
 * one code point, so character counts never change. */
static uint32_t cp_upper(uint32_t c) {
  if (c >= 'a' && c <= 'z')
    return c - 32;
  if (c < 0xB5)
    return c;
  if (c == 0xB5)
    return 0x39C;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
    return c - 32;
  if (c == 0xFF)
    return 0x178;
  if (c == 0x131)
    return 'I';
  if (c == 0x17F)
    return 'S';
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
    return (c & 1) ? c - 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
    return (c & 1) ? c : c - 1;
  if (c == 0x3C2)
    return 0x3A3;
  if (c >= 0x3B1 && c <= 0x3C9)
    return c - 32;
  if (c >= 0x430 && c <= 0x44F)
    return c - 32;
  if (c >= 0x450 && c <= 0x45F)
    return c - 80;
  return c;
}

/* Spaces that separate words (and so become glue).  No-break spaces are
 * deliberately absent: they stay inside a box. */
static inline int is_break_space(uint32_t c) {
  if (c < 0x80)
    return c == ' ' || c == '\t';
  return c == '\t' || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A && c != 0x2007) || c == 0x205F ||
         c == 0x3000;
}

static int is_newline(uint32_t c) {
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

static int is_hyphen_like(uint32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
         c == 0xAD;
}

/* Characters that go with the font of the character before them. */
static int is_joiner(uint32_t c) {
  return (c >= 0x300 && c <= 0x36F) || c == 0x200C || c == 0x200D ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x20D0 && c <= 0x20FF);
}

/* ==== paragraph ======================================================== */

/* Paragraph arrays live in the shaper and are reused. */
static void para_free(para *p) {
  memset(p, 0, sizeof *p);
}

static int is_alnum_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
         c >= 0x80;
}

/* The typographic quote for the straight quote at text[i] in the CV's
 * language, or NULL to keep it: a double quote opens after a space, an
 * opening bracket or at the start (t[0..n) is the text written so far of
 * this span, at_start: nothing before the span), and closes elsewhere; a
 * single quote after a letter or digit is an apostrophe.  Quotes are
 * “…” in English and others, „…“ in German, « … » in French with
 * narrow no-break spaces (at most 5 bytes). */
static const char *typographic_quote(const char *text, size_t len, size_t i,
                                     const char *t, size_t n, int at_start,
                                     const char *lang) {
  unsigned char before = n          ? (unsigned char)t[n - 1]
                         : at_start ? ' '
                                    : (unsigned char)t[-1];
  if (text[i] == '\'')
    return is_alnum_byte(before) ? "\u2019" : NULL;
  int dash = (before == 0x93 || before == 0x94) && n >= 3 &&
             (unsigned char)t[n - 2] == 0x80 && (unsigned char)t[n - 3] == 0xE2;
  int open = before == ' ' || before == '(' || before == '[' ||
             before == '\n' || before == '/' || dash;
  if (i + 1 < len && text[i + 1] == ' ' && before != ' ')
    open = 0;
  if (!strcmp(lang, "de"))
    return open ? "\u201E" : "\u201C";
  if (!strcmp(lang, "fr"))
    return open ? "\u00AB\u202F" : "\u202F\u00BB";
  return open ? "\u201C" : "\u201D";
}

/* Writes span text (case-transformed as the style asks) at t, with the
 * span index and small-capital flag of each byte.  t has room for 3 bytes
 * per byte of the span (an invalid byte becomes U+FFFD; case mapping never
 * lengthens a character).  Returns the bytes written. */
static size_t para_add_text(char *t, uint32_t *span, uint8_t *small,
                            const cv_span *sp, uint32_t idx, int upper,
                            int fake_sc, const char *lang, int at_start) {
  if (sp->flags & CV_SPAN_BREAK) {
    t[0] = '\n';
    span[0] = idx;
    small[0] = 0;
    return 1;
  }
  size_t n = 0;
  int code = (sp->flags & CV_SPAN_CODE) != 0;
  for (size_t i = 0; i < sp->len;) {
    unsigned char ch = (unsigned char)sp->text[i];
    const char *q = NULL;
    if (!code && (ch == '"' || ch == '\''))
      q = typographic_quote(sp->text, sp->len, i, t, n, at_start, lang);
    if (q) {
      size_t m = strlen(q);
      memcpy(t + n, q, m);
      for (size_t j = 0; j < m; j++) {
        span[n + j] = idx;
        small[n + j] = 0;
      }
      n += m;
      i++;
      continue;
    }
    if (ch < 0x80) { /* ASCII: one byte in, one out */
      char c = (char)ch, sm = 0;
      if (ch >= 'a' && ch <= 'z' && (upper || fake_sc)) {
        c = (char)(ch - 32);
        sm = (char)(fake_sc != 0);
      }
      t[n] = c;
      span[n] = idx;
      small[n] = (uint8_t)sm;
      n++;
      i++;
      continue;
    }
    int k;
    uint32_t cp = decode_at(sp->text, sp->len, i, &k);
    i += (size_t)k;
    uint32_t up = cp_upper(cp);
    uint8_t sm = 0;
    if (fake_sc && up != cp)
      sm = 1;
    if (upper || fake_sc)
      cp = up;
    int m = cv_utf8_encode(cp, t + n);
    for (int j = 0; j < m; j++) {
      span[n + (size_t)j] = idx;
      small[n + (size_t)j] = sm;
    }
    n += (size_t)m;
  }
  return n;
}

static int para_build(shape_ctx *c, const cv_span *spans, size_t nspans) {
  para *p = c->p;
  const cv_textstyle *style = c->style;
  memset(p, 0, sizeof *p);
  cv_shaper *sh = c->sh;
  p->nsi = nspans;
  if (cv_grow((void **)&sh->psi, &sh->cap_si, nspans ? nspans : 1,
              sizeof *sh->psi))
    goto oom;
  p->si = sh->psi;
  memset(p->si, 0, (nspans ? nspans : 1) * sizeof *p->si);
  size_t room = 1;
  for (size_t i = 0; i < nspans; i++) {
    if (spans[i].len > (SIZE_MAX - room) / 6)
      goto oom;
    /* 3 bytes a byte for U+FFFD, 5 for a French quote. */
    room += (spans[i].flags & CV_SPAN_BREAK) ? 1 : spans[i].len * 5;
    unsigned fl = spans[i].flags;
    /* **strong** inside a bold style stays bold (as \textbf does), while
     * *emphasis* toggles italic (as \emph does). */
    int bold = (style->bold != 0) || ((fl & CV_SPAN_BOLD) != 0);
    int italic = (style->italic != 0) ^ ((fl & CV_SPAN_ITALIC) != 0);
    cv_variant v =
        (cv_variant)((bold ? CV_BOLD : 0) | (italic ? CV_ITALIC : 0));
    const char *fam = (fl & CV_SPAN_CODE) && style->code_family
                          ? style->code_family
                          : style->family;
    span_info *si = &p->si[i];
    si->v = v;
    si->link = spans[i].link && sh->link_filter
                   ? sh->link_filter(sh->link_ud, spans[i].link)
                   : spans[i].link;
    si->lang = spans[i].lang;
    si->ls = cv_shaper_lang_slot(sh, spans[i].lang);
    si->font = cv_fontset_get(sh->fs, fam, v, c->st);
    if (!si->font)
      return -1;
    if (style->smallcaps) {
      if (cv_shaper_has_smcp(sh, si->font))
        si->smcp = style->uppercase ? 2 : 1;
      else
        si->fake_smallcaps = 1;
    }
  }
  if (cv_grow((void **)&sh->ptext, &sh->cap_text, room, 1) ||
      cv_grow((void **)&sh->pspan, &sh->cap_span, room, sizeof *sh->pspan) ||
      cv_grow((void **)&sh->psmall, &sh->cap_small, room, 1))
    goto oom;
  size_t len = 0;
  for (size_t i = 0; i < nspans; i++)
    len += para_add_text(sh->ptext + len, sh->pspan + len, sh->psmall + len,
                         &spans[i], (uint32_t)i,
                         style->uppercase && !p->si[i].smcp,
                         p->si[i].fake_smallcaps && !style->uppercase,
                         cv_shaper_sub_lang(sh, p->si[i].ls), len == 0);
  p->len = len;
  p->text = cv_arena_strndup(sh->arena, sh->ptext, len);
  p->span = sh->pspan;
  p->small = sh->psmall;
  if (!p->text)
    goto oom;
  if (cv_grow((void **)&sh->pfont, &sh->cap_font, len ? len : 1,
              sizeof *sh->pfont) ||
      cv_grow((void **)&sh->pbrks, &sh->cap_brks, len ? len : 1, 1))
    goto oom;
  p->font = sh->pfont;
  p->brks = sh->pbrks;
  memset(p->font, 0, (len ? len : 1) * sizeof *p->font);
  /* Break opportunities are found word by word (word_breaks); a line
   * (cv_shape_line) never breaks and needs none. */
  /* Fonts per character: the span's font, a fallback for what it lacks. */
  cv_font *prev = NULL;
  for (size_t i = 0; i < p->len;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    span_info *si = &p->si[p->span[i]];
    cv_font *f = si->font;
    if (is_joiner(cp) && prev) {
      f = prev;
    } else if (cp >= 0x20 && !is_break_space(cp) && !is_newline(cp) &&
               cp != 0xA0 && cp != 0x202F && cp != 0x2007 && cp != 0xAD &&
               !cv_shaper_has_glyph(c->sh, f, cp)) {
      cv_font *fb = cv_fontset_fallback(c->sh->fs, cp, si->v, style->fallbacks);
      if (fb)
        f = fb;
      else
        cv_shaper_note_missing(c->sh, cp);
    }
    p->font[i] = prev = f;
    i += (size_t)k;
  }
  return 0;
oom:
  cv_status_set(c->st, "out of memory shaping text");
  return -1;
}

/* ==== node lists ======================================================= */

void cv_shape_emit_box(shape_ctx *c, cv_run *run) {
  cv_hlist_box(c->out, run->width, run);
  if (c->out->failed || c->out->n == 0)
    return;
  cv_hnode *nd = &c->out->v[c->out->n - 1];
  nd->height = run->ascent;
  nd->depth = run->descent;
}

double cv_shape_run_size(shape_ctx *c, size_t i) {
  return c->p->small[i] ? c->style->size * 0.8 : c->style->size;
}

/* Whether [a, b) holds punctuation only: what a phrase's word leaves
 * outside the phrase ("</span>,"). */
static int punctuation_only(const para *p, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (is_alnum_byte((unsigned char)p->text[i]))
      return 0;
  return 1;
}

/* A chunk: text between two break opportunities, split into runs where the
 * font, size or span changes; boxes without glue between do not break.
 * A word of a phrase in another language is hyphenated even when the
 * punctuation after it is outside the phrase. */
static int emit_chunk(shape_ctx *c, size_t a, size_t b, int may_hyphenate) {
  para *p = c->p;
  size_t i = a;
  while (i < b) {
    size_t j = i;
    while (j < b) {
      int k;
      decode_at(p->text, p->len, j, &k);
      size_t nx = j + (size_t)k;
      j = nx;
      if (j < b && (p->font[j] != p->font[i] || p->span[j] != p->span[i] ||
                    p->small[j] != p->small[i]))
        break;
    }
    const span_info *si = &p->si[p->span[i]];
    cv_run *run =
        cv_shape_run(c, i, j, p->font[i], cv_shape_run_size(c, i), si);
    if (!run)
      return -1;
    if (may_hyphenate && i == a &&
        (j == b || (si->lang && punctuation_only(p, j, b)))) {
      if (cv_shape_emit_hyphenated(c, run, a, b, si, may_hyphenate) < 0)
        return -1;
    } else {
      cv_shape_emit_box(c, run);
    }
    i = j;
  }
  return 0;
}

/* Han, kana and full-width forms: scripts set without spaces, whose
 * lines justify by spacing every character a little. */
static int is_cjk_char(uint32_t c) {
  return (c >= 0x2E80 && c <= 0x2FFF) || (c >= 0x3040 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF01 && c <= 0xFF60) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

/* Ideographs, kana and Hangul syllables, not their punctuation: where a
 * Latin letter or digit meets one, a quarter em of space is customary. */
static int is_cjk_letter(uint32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

static int is_latin_alnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* The node at a break opportunity between prev and cp inside a word:
 * between CJK and Latin the customary quarter-em space; between two CJK
 * characters of a justified Chinese or Japanese paragraph a glue that
 * stretches by a tenth of an em, so that a line's slack is shared by its
 * characters rather than put into the few spaces around Latin words (a
 * Chinese name inside English text keeps its characters together); else
 * nothing.  1 when a glue was put. */
static int emit_cjk_glue(shape_ctx *c, uint32_t prev, uint32_t cp) {
  double em = c->style->size;
  if ((is_cjk_letter(prev) && is_latin_alnum(cp)) ||
      (is_latin_alnum(prev) && is_cjk_letter(cp))) {
    cv_hlist_glue(c->out, em / 4, c->justify ? em / 8 : 0, em / 16);
    return 1;
  }
  int spaced = !strcmp(c->sh->lang, "zh") || !strcmp(c->sh->lang, "ja");
  if (c->justify && spaced && is_cjk_char(prev) && is_cjk_char(cp)) {
    cv_hlist_glue(c->out, 0, em / 10, 0);
    return 1;
  }
  return 0;
}

static int word_has_hard_hyphen(const para *p, size_t a, size_t b) {
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (is_hyphen_like(cp) || cp == '/' || cp == 0x2014)
      return 1;
    i += (size_t)k;
  }
  return 0;
}

/* A capital: a letter that a lower-case one maps to (cp_upper covers
 * Latin, Greek and Cyrillic). */
static int is_capital(uint32_t cp) {
  return cp_upper(cp) == cp &&
         (cp_upper(cp + 32) == cp || cp_upper(cp + 1) == cp ||
          cp_upper(cp + 80) == cp);
}

/* Whether the word's first letter is a capital. */
static int starts_capital(const para *p, size_t a, size_t b) {
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    i += (size_t)k;
    if (cp < 0x80 && !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
      continue; /* an opening bracket or quote */
    return is_capital(cp);
  }
  return 0;
}

/* Whether the word [a, b) has a letter after its first that a lower-case
 * one maps to ("DeepSpeed", "OHIF") or a digit ("AI4Science"): a name
 * by its spelling. */
static int inner_capital(const para *p, size_t a, size_t b) {
  int letters = 0;
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    i += (size_t)k;
    int capital = is_capital(cp);
    if (letters && (capital || (cp >= '0' && cp <= '9')))
      return 1;
    letters += capital || cp_upper(cp) != cp;
  }
  return 0;
}

/* How the word [a, b) may be hyphenated: 0 not at all, 1 as any word,
 * CV_HYPHEN_LAST_RESORT only when the paragraph cannot be set otherwise (a
 * capitalised word spelt as a common one, "Innovative", where the layout
 * allows that; never "DeepSpeed").  German capitalises every noun: there a
 * capital says nothing of a name. */
static int word_hyphenation(const shape_ctx *c, size_t a, size_t b) {
  int ls = c->p->si[c->p->span[a]].ls; /* a phrase's language, or 0 */
  if (!c->hyphenate || c->line_mode || !cv_shaper_slot_hyphenates(c->sh, ls))
    return 0;
  const char *lang = cv_shaper_sub_lang(c->sh, ls);
  if ((c->hyphenate & CV_HYPHENATE_CAPITALS) || !strcmp(lang, "de") ||
      !strcmp(lang, "lb") || !starts_capital(c->p, a, b))
    return 1;
  if (!(c->hyphenate & CV_HYPHENATE_CAPITALS_LAST) || inner_capital(c->p, a, b))
    return 0;
  return CV_HYPHEN_LAST_RESORT;
}

static int has_text(const para *p, size_t a, size_t b, const char *s) {
  size_t n = strlen(s);
  for (size_t i = a; i + n <= b; i++)
    if (!memcmp(p->text + i, s, n))
      return 1;
  return 0;
}

/* A web address or an e-mail address: "://", a leading "www.", or an "@"
 * with a "." after it. */
static int is_address(const para *p, size_t a, size_t b) {
  if (has_text(p, a, b, "://") ||
      (b - a > 4 && !memcmp(p->text + a, "www.", 4)))
    return 1;
  const char *at = memchr(p->text + a, '@', b - a);
  return at && at > p->text + a &&
         memchr(at, '.', (size_t)(p->text + b - at)) != NULL;
}

/* Where an address may break without a hyphen, as the url package lets
 * TeX: after "/", ".", "@" or "-" with more of the address after it (not
 * inside "//", not before the closing punctuation). */
static int address_break(const para *p, size_t i, size_t b) {
  char prev = p->text[i - 1], next = p->text[i];
  if (!strchr("/.@-", prev) || next == '/' || next == '.')
    return 0;
  size_t rest = b - i;
  while (rest && strchr(".,;:)]'\"", p->text[i + rest - 1]))
    rest--;
  return rest >= 2;
}

static int is_ascii_alnum(char ch) {
  unsigned char u = (unsigned char)ch;
  return (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

/* The break opportunities inside the word [a, b) into p->brks.  UAX #14
 * (libunibreak's pair table) decides a break from the class of the
 * character before it, of the one after it and whether spaces came
 * between; once a word's first character is an ASCII letter or digit
 * (class AL or NU), the state no longer depends on the text before the
 * word.  So such a word is given to libunibreak alone, one of ASCII
 * letters and digits only has no opportunity inside (LB23, LB25, LB28),
 * and any other word makes the whole paragraph go through, once. */
static int word_breaks(shape_ctx *c, size_t a, size_t b) {
  para *p = c->p;
  cv_shaper *sh = c->sh;
  if (p->brks_whole)
    return 0;
  if (!is_ascii_alnum(p->text[a])) {
    p->brks_whole = 1;
    return cv_uax14_breaks(&sh->uax14, p->text, p->len, sh->lang, p->brks);
  }
  size_t i = a + 1;
  while (i < b && is_ascii_alnum(p->text[i]))
    i++;
  if (i == b) {
    memset(p->brks + a, LINEBREAK_NOBREAK, b - a);
    return 0;
  }
  return cv_uax14_breaks(&sh->uax14, p->text + a, b - a, sh->lang, p->brks + a);
}

/* Penalty of a break inside an address: dearer than a space, so an
 * address breaks only when the line cannot be set otherwise. */
#define ADDRESS_BREAK_PENALTY 200

/* A word: maximal text between spaces.  Breaks inside it come from UAX #14
 * (after hyphens and slashes, between ideographs), and inside addresses
 * from address_break. */
static int emit_word(shape_ctx *c, size_t a, size_t b) {
  para *p = c->p;
  if (!c->line_mode && word_breaks(c, a, b) < 0) {
    cv_status_set(c->st, "out of memory shaping text");
    return -1;
  }
  int address = !c->line_mode && is_address(p, a, b);
  int may_hyph = address ? 0 : word_hyphenation(c, a, b);
  /* As in TeX, only a compound's first part is hyphenated ("popu-lation-
   * level", "com-pute/memory"); the parts after its own hyphen or slash
   * are not. */
  int compound = word_has_hard_hyphen(p, a, b);
  size_t start = a, prev_at = a;
  uint32_t prev = 0;
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (i > start && address && address_break(p, i, b)) {
      if (emit_chunk(c, start, i, 0) < 0)
        return -1;
      cv_hlist_penalty(c->out, 0, ADDRESS_BREAK_PENALTY, 0);
      start = i;
    } else if (i > start && !c->line_mode &&
               p->brks[i - 1] == LINEBREAK_ALLOWBREAK) {
      if (emit_chunk(c, start, i, start == a || !compound ? may_hyph : 0) < 0)
        return -1;
      if (prev == 0xAD) {
        if (cv_shape_emit_soft_hyphen(c, prev_at) < 0)
          return -1;
      } else if (emit_cjk_glue(c, prev, cp)) {
        /* the glue is the break */
      } else {
        /* A break after a word's own hyphen ("config-gated") reads back
         * as "configgated" in text extraction, which undoes a line-end
         * hyphen: so it is allowed, but only when nothing else fits. */
        int hy = is_hyphen_like(prev) || prev == 0x2014;
        cv_hlist_penalty(c->out, 0, hy ? (prev == 0x2014 ? 50 : 900) : 0, hy);
      }
      start = i;
    }
    prev = cp;
    prev_at = i;
    i += (size_t)k;
  }
  return emit_chunk(c, start, b, start == a || !compound ? may_hyph : 0);
}

static void emit_space(shape_ctx *c, size_t at) {
  cv_font *f = c->p->si[c->p->span[at]].font;
  double w = cv_shape_space_width(c, f, c->style->size);
  if (c->line_mode)
    cv_hlist_box(c->out, w, NULL);
  else if (c->justify)
    cv_hlist_glue(c->out, w, w / 2, w / 3);
  else
    cv_hlist_glue(c->out, w, 0, w / 3);
}

/* ==== ties ============================================================= */

/* End of the word that starts at i (the next break space or newline). */
static size_t word_end(const para *p, size_t i) {
  while (i < p->len) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (is_break_space(cp) || is_newline(cp))
      break;
    i += (size_t)k;
  }
  return i;
}

static int all_digits(const char *s, size_t n) {
  size_t d = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9')
      d++;
    else if (s[i] != '.' && s[i] != ',')
      return 0;
  }
  return d > 0;
}

/* Whether the n bytes at s are one of the words in list (none empty). */
static int exactly_one_of(const char *s, size_t n, const char *const *list) {
  if (n == 0)
    return 0;
  for (; *list; list++)
    if ((*list)[0] == s[0] && strlen(*list) == n && !memcmp(s, *list, n))
      return 1;
  return 0;
}

/* The same, less closing punctuation ("GB," is "GB"). */
static int one_of(const char *s, size_t n, const char *const *list) {
  while (n && strchr(".,;:)]", s[n - 1]))
    n--;
  return exactly_one_of(s, n, list);
}

/* Whether the space between the word [a, b) and the word [c, d) is a tie
 * (TeX's ~): after an initial before a name ("E. L. Dyer"), between a
 * number and its unit ("16 GB"), before a year that closes a bracket
 * ("(ICML 2024)"), before a roman numeral ("ES-FoMo II"), after a short
 * label before a number ("ID: 201502059", "No. 7"). */
static int is_tie(const para *p, size_t a, size_t b, size_t c, size_t d) {
  static const char *const units[] = {
      "%",  "ms", "s",   "min", "h",   "kB",   "KB",  "MB",     "GB", "TB",
      "PB", "Hz", "kHz", "MHz", "GHz", "K",    "M",   "B",      "k",  "x",
      "pt", "px", "mm",  "cm",  "m",   "km",   "kg",  "g",      "W",  "kW",
      "MW", "V",  "°C",  "USD", "EUR", "GPUs", "GPU", "TFLOPS", NULL};
  static const char *const numerals[] = {"II",   "III", "IV", "VI",  "VII",
                                         "VIII", "IX",  "XI", "XII", NULL};
  static const char *const labels[] = {"ID:", "No.",  "Nr.", "Vol.", "pp.",
                                       "p.",  "Fig.", "§",   NULL};
  const char *w = p->text + a, *x = p->text + c;
  size_t wn = b - a, xn = d - c;
  if (wn == 2 && w[1] == '.' && w[0] >= 'A' && w[0] <= 'Z' &&
      starts_capital(p, c, d))
    return 1;
  if (all_digits(w, wn) && one_of(x, xn, units))
    return 1;
  if (one_of(x, xn, numerals))
    return 1;
  if (exactly_one_of(w, wn, labels) && xn && x[0] >= '0' && x[0] <= '9')
    return 1;
  /* A year closing a short bracket: "(ICML 2024)", "(NeurIPS 2023),". */
  if (xn >= 5 && all_digits(x, 4) && x[4] == ')') {
    for (size_t i = b, seen = 0; i-- > a && seen < 24; seen++)
      if (p->text[i] == '(')
        return 1;
  }
  return 0;
}

static int shape_para(shape_ctx *c) {
  para *p = c->p;
  size_t i = 0, word = 0; /* word: where the last word began */
  /* The next word's end, found for a tie before it is set. */
  size_t next = SIZE_MAX, next_end = 0;
  while (i < p->len) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (is_break_space(cp) || (c->line_mode && is_newline(cp))) {
      size_t at = i;
      while (i < p->len && is_break_space(decode_at(p->text, p->len, i, &k)))
        i += (size_t)k;
      if (!c->line_mode && at > word && i < p->len) {
        next = i;
        next_end = word_end(p, i);
        if (is_tie(p, word, at, i, next_end))
          cv_hlist_penalty(c->out, 0, CV_INF_PENALTY, 0);
      }
      emit_space(c, at);
      if (i == at)
        i += (size_t)k; /* a newline in line mode */
      continue;
    }
    if (is_newline(cp)) {
      /* TeX's \newline: fill the line, then force the break. */
      cv_hlist_glue(c->out, 0, CV_FIL, 0);
      cv_hlist_penalty(c->out, 0, CV_EJECT_PENALTY, 0);
      i += (size_t)k;
      word = i;
      continue;
    }
    size_t a = i;
    i = a == next ? next_end : word_end(p, i);
    word = a;
    if (emit_word(c, a, i) < 0)
      return -1;
  }
  if (c->out->failed) {
    cv_status_set(c->st, "out of memory building the node list");
    return -1;
  }
  return 0;
}

/* ==== words in another language ======================================== */

/* Where a foreign word stands whole in t[from, n) (no letter or digit
 * touching it): its offset, its length in *wl; n when none does. */
static size_t find_foreign(const cv_shaper *sh, const char *t, size_t n,
                           size_t from, size_t *wl) {
  size_t best = n;
  for (size_t k = 0; k < sh->nfwords; k++) {
    const char *w = sh->fwords[k];
    size_t l = w ? strlen(w) : 0;
    for (size_t i = from; l && i + l <= n && i < best; i++)
      if (!memcmp(t + i, w, l) &&
          !(i > 0 && is_alnum_byte((unsigned char)t[i - 1])) &&
          !(i + l < n && is_alnum_byte((unsigned char)t[i + l]))) {
        best = i;
        *wl = l;
        break;
      }
  }
  return best;
}

static int may_hold_foreign(const cv_span *s) {
  return !s->lang && !(s->flags & (CV_SPAN_BREAK | CV_SPAN_CODE));
}

/* spans, with each foreign word that stands whole in them a span of the
 * foreign words' language: spans itself when there is none, else a copy
 * in the arena (*n updated). */
static const cv_span *mark_foreign(cv_shaper *sh, const cv_span *spans,
                                   size_t *n) {
  size_t extra = 0, wl = 0;
  for (size_t i = 0; sh->nfwords && i < *n; i++)
    for (size_t at = 0; may_hold_foreign(&spans[i]) &&
                        (at = find_foreign(sh, spans[i].text, spans[i].len, at,
                                           &wl)) < spans[i].len;
         at += wl)
      extra += 2;
  cv_span *out =
      extra ? cv_arena_alloc_n(sh->arena, *n + extra, sizeof *out) : NULL;
  if (!out) /* none, or out of memory: set as it is */
    return spans;
  size_t m = 0;
  for (size_t i = 0; i < *n; i++) {
    cv_span s = spans[i];
    size_t from = 0, at;
    while (may_hold_foreign(&s) &&
           (at = find_foreign(sh, s.text, s.len, from, &wl)) < s.len) {
      if (at > from)
        out[m++] = (cv_span){s.text + from, at - from, s.flags, s.link, NULL};
      out[m++] = (cv_span){s.text + at, wl, s.flags, s.link, sh->fwlang};
      from = at + wl;
    }
    if (from < s.len || s.len == 0)
      out[m++] =
          (cv_span){s.text + from, s.len - from, s.flags, s.link, s.lang};
  }
  *n = m;
  return out;
}

int cv_shape_spans(cv_shaper *sh, const cv_textstyle *style,
                   const cv_span *spans, size_t nspans, int hyphenate,
                   int justify, cv_hlist *out, cv_status *st) {
  if (nspans == 0)
    return 0;
  spans = mark_foreign(sh, spans, &nspans);
  para p;
  shape_ctx c = {
      sh, style, &p, out, hyphenate, justify, 0, st, HB_DIRECTION_LTR, NULL};
  int rc = para_build(&c, spans, nspans);
  if (rc == 0)
    rc = shape_para(&c);
  para_free(&p);
  return rc;
}

int cv_shape_line(cv_shaper *sh, const cv_textstyle *style, const char *markup,
                  cv_hlist *out, double *width, cv_status *st) {
  *width = 0;
  cv_span *spans = NULL;
  size_t nspans = 0;
  if (cv_markup_parse(sh->arena, markup, strlen(markup), &spans, &nspans, st) <
      0)
    return -1;
  if (nspans == 0)
    return 0;
  const cv_span *marked = mark_foreign(sh, spans, &nspans);
  size_t first = out->n;
  para p;
  shape_ctx c = {sh, style, &p, out, 0, 0, 1, st, HB_DIRECTION_LTR, NULL};
  int rc = para_build(&c, marked, nspans);
  if (rc == 0)
    rc = shape_para(&c);
  para_free(&p);
  for (size_t i = first; rc == 0 && i < out->n; i++)
    *width += out->v[i].width;
  return rc;
}
