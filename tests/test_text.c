/* Tests for core/text/font.c and core/text/text.c: fonts through fontconfig,
 * shaping (ligatures, kerning, fallback, small caps), markup, break
 * opportunities (for any Unicode text) and hyphenation.  Needs
 * fonts-linuxlibertine, fonts-lato, fonts-noto-cjk and hyphen-en-us installed.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linebreak.h>

#include "text/text.h"
#include "text/uax14.h"

static int failures;

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (cond) {                                                                \
      printf("ok - ");                                                         \
    } else {                                                                   \
      printf("FAIL - ");                                                       \
      failures++;                                                              \
    }                                                                          \
    printf(__VA_ARGS__);                                                       \
    printf("\n");                                                              \
  } while (0)

static const char *const hyph_dirs[] = {"/nonexistent", "/usr/share/hyphen",
                                        NULL};

typedef struct env {
  cv_arena arena;
  cv_fontset *fs;
  cv_shaper *sh;
  cv_status st;
} env;

static int env_init(env *e, const char *lang) {
  memset(e, 0, sizeof *e);
  cv_arena_init(&e->arena);
  e->fs = cv_fontset_create(&e->st);
  if (!e->fs)
    return -1;
  const char *lib[4] = {"LinLibertine_R.otf", "LinLibertine_RB.otf",
                        "LinLibertine_RI.otf", "LinLibertine_RBI.otf"};
  const char *lato[4] = {"Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf",
                         "Lato-BoldItalic.ttf"};
  if (cv_fontset_add_family(e->fs, "Libertine", lib, "fonts", &e->st) ||
      cv_fontset_add_family(e->fs, "Lato", lato, NULL, &e->st))
    return -1;
  e->sh = cv_shaper_create(e->fs, &e->arena, lang, hyph_dirs, &e->st);
  return e->sh ? 0 : -1;
}

static void env_fini(env *e) {
  cv_shaper_destroy(e->sh);
  cv_fontset_destroy(e->fs);
  cv_arena_fini(&e->arena);
}

static cv_textstyle style_of(const char *family, double size) {
  cv_textstyle s;
  memset(&s, 0, sizeof s);
  s.family = family;
  s.size = size;
  return s;
}

static int shape_plain(env *e, const cv_textstyle *s, const char *text,
                       int hyph, int justify, cv_hlist *out) {
  cv_span sp = {text, strlen(text), 0, NULL, NULL};
  cv_hlist_init(out);
  return cv_shape_spans(e->sh, s, &sp, 1, hyph, justify, out, &e->st);
}

/* The text of all glyphs of all boxes, '|' between boxes, '-' for a
 * flagged penalty, ' ' for glue. */
static void describe(const cv_hlist *l, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < l->n && n + 8 < cap; i++) {
    const cv_hnode *nd = &l->v[i];
    if (nd->kind == CV_GLUE) {
      buf[n++] = ' ';
    } else if (nd->kind == CV_PENALTY) {
      buf[n++] = nd->flagged && nd->hyphen ? '=' : '/';
    } else if (nd->run) {
      if (i > 0 && l->v[i - 1].kind == CV_BOX)
        buf[n++] = '|';
      for (uint32_t g = 0; g < nd->run->n && n + 8 < cap; g++) {
        memcpy(buf + n, nd->run->g[g].text, nd->run->g[g].text_len);
        n += nd->run->g[g].text_len;
      }
    }
  }
  buf[n] = '\0';
}

static void test_ligature(env *e) {
  cv_font *f = cv_fontset_get(e->fs, "Libertine", CV_REGULAR, &e->st);
  CHECK(f != NULL, "Libertine regular found by file name: %s",
        f ? f->path : e->st.msg);
  if (!f)
    return;
  CHECK(f->is_cff && f->upem == 1000 &&
            strcmp(f->ps_name, "LinLibertineO") == 0,
        "Libertine: CFF=%d upem=%u ps_name=%s asc=%d desc=%d cap=%d x=%d "
        "italic=%.1f serif=%d",
        f->is_cff, f->upem, f->ps_name, f->ascender, f->descender,
        f->cap_height, f->x_height, f->italic_angle, f->serif);
  cv_font *bi = cv_fontset_get(e->fs, "Libertine", CV_BOLD_ITALIC, &e->st);
  CHECK(bi && bi != f && strstr(bi->path, "LinLibertine_RBI.otf") &&
            bi->italic_angle < 0,
        "Libertine bold-italic: %s angle %.1f", bi ? bi->path : e->st.msg,
        bi ? bi->italic_angle : 0.0);
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  shape_plain(e, &s, "office", 0, 1, &l);
  const cv_run *r = l.n == 1 ? l.v[0].run : NULL;
  int lig = -1;
  for (uint32_t i = 0; r && i < r->n; i++)
    if (r->g[i].text_len == 3 && memcmp(r->g[i].text, "ffi", 3) == 0)
      lig = (int)i;
  CHECK(r && r->n == 4 && lig == 1,
        "\"office\" in Libertine: %u glyphs, ffi ligature at glyph %d (gid %u)",
        r ? r->n : 0, lig, r && lig >= 0 ? r->g[lig].gid : 0);
  cv_hlist_fini(&l);
}

static void test_kerning(env *e) {
  cv_textstyle s = style_of("Lato", 10);
  cv_hlist a, av;
  shape_plain(e, &s, "A", 0, 1, &a);
  shape_plain(e, &s, "AV", 0, 1, &av);
  double wa = a.n ? a.v[0].run->g[0].adv : 0;
  double wav = av.n ? av.v[0].run->g[0].adv : 0;
  cv_font *f = av.n ? av.v[0].run->font : NULL;
  CHECK(f && !f->is_cff && wav < wa - 0.1,
        "Lato AV kerned: A alone %.3f pt, A before V %.3f pt (%s)", wa, wav,
        f ? f->path : "?");
  cv_hlist_fini(&a);
  cv_hlist_fini(&av);
}

static void test_diacritics(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  const char *in = "Veličković";
  shape_plain(e, &s, in, 0, 1, &l);
  char buf[256];
  describe(&l, buf, sizeof buf);
  int notdef = 0;
  for (size_t i = 0; i < l.n; i++)
    for (uint32_t g = 0; l.v[i].run && g < l.v[i].run->n; g++)
      notdef += l.v[i].run->g[g].gid == 0;
  CHECK(notdef == 0 && strcmp(buf, in) == 0 && l.n == 1,
        "Veličković: %zu boxes, %d .notdef, text back \"%s\"", l.n, notdef,
        buf);
  cv_hlist_fini(&l);
}

static void test_markup(env *e) {
  const char *m = "**Harry Dong**, *et al.* [site](https://x.org) a\\*b";
  cv_span *sp = NULL;
  size_t n = 0;
  int rc = cv_markup_parse(&e->arena, m, strlen(m), &sp, &n, &e->st);
  for (size_t i = 0; i < n; i++)
    printf("  span %zu: flags %u \"%.*s\" link %s\n", i, sp[i].flags,
           (int)sp[i].len, sp[i].text, sp[i].link ? sp[i].link : "-");
  int good = rc == 0 && n == 6 && sp[0].flags == CV_SPAN_BOLD &&
             strcmp(sp[0].text, "Harry Dong") == 0 && sp[1].flags == 0 &&
             strcmp(sp[1].text, ", ") == 0 && sp[2].flags == CV_SPAN_ITALIC &&
             strcmp(sp[2].text, "et al.") == 0 && strcmp(sp[3].text, " ") == 0;
  good = good && strcmp(sp[4].text, "site") == 0 && sp[4].link &&
         strcmp(sp[4].link, "https://x.org") == 0 && sp[5].flags == 0 &&
         !sp[5].link && strcmp(sp[5].text, " a*b") == 0;
  CHECK(good, "markup: bold, plain, italic, plain, link, plain spans");
  /* md4c reports the escaped star as its own text piece: it merges with
   * its neighbours into one plain span. */
  rc = cv_markup_parse(&e->arena, "a\\*b `x*y` &amp; &ndash; &#x2014;", 33, &sp,
                       &n, &e->st);
  CHECK(rc == 0 && n == 3 && strcmp(sp[0].text, "a*b ") == 0 &&
            sp[1].flags == CV_SPAN_CODE && strcmp(sp[1].text, "x*y") == 0 &&
            strcmp(sp[2].text, " & \xe2\x80\x93 \xe2\x80\x94") == 0,
        "escape, code and entities: %zu spans \"%s\" \"%s\" \"%s\"", n,
        n > 0 ? sp[0].text : "", n > 1 ? sp[1].text : "",
        n > 2 ? sp[2].text : "");
  const char *lits[] = {"1. not a list", "- dash", "# hash",   "> quote",
                        "    indented",  "* star", "2) paren", "---"};
  const char *want[] = {"1. not a list", "- dash", "# hash",   "> quote",
                        "indented",      "* star", "2) paren", "---"};
  for (size_t i = 0; i < sizeof lits / sizeof *lits; i++) {
    rc = cv_markup_parse(&e->arena, lits[i], strlen(lits[i]), &sp, &n, &e->st);
    CHECK(rc == 0 && n == 1 && sp[0].flags == 0 &&
              strcmp(sp[0].text, want[i]) == 0,
          "\"%s\" stays literal: \"%s\"", lits[i], n ? sp[0].text : "");
  }
  rc = cv_markup_parse(&e->arena, "  \n\t ", 5, &sp, &n, &e->st);
  CHECK(rc == 0 && n == 0, "whitespace-only markup: %zu spans", n);
  rc = cv_markup_parse(&e->arena, "one  \ntwo\nthree", 15, &sp, &n, &e->st);
  CHECK(rc == 0 && n == 3 && sp[1].flags == CV_SPAN_BREAK &&
            strcmp(sp[0].text, "one") == 0 &&
            strcmp(sp[2].text, "two three") == 0,
        "hard break and soft break: %zu spans", n);
  rc = cv_markup_parse(&e->arena, "see https://a.org/x now", 23, &sp, &n,
                       &e->st);
  CHECK(rc == 0 && n == 3 && sp[1].link &&
            strcmp(sp[1].link, "https://a.org/x") == 0,
        "bare URL becomes a link: %s", n > 1 && sp[1].link ? sp[1].link : "-");
}

static void test_hyphenation(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  int rc = shape_plain(e, &s, "typesetting hyphenation", 1, 1, &l);
  char buf[256];
  describe(&l, buf, sizeof buf);
  printf("  hyphenated: %s\n", buf);
  int flagged = 0, hyw_ok = 1;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].kind == CV_PENALTY && l.v[i].flagged) {
      flagged++;
      hyw_ok = hyw_ok && l.v[i].penalty == 50 && l.v[i].hyphen &&
               fabs(l.v[i].width - l.v[i].hyphen->width) < 1e-6 &&
               l.v[i].width > 2 && l.v[i].width < 5;
    }
  /* hyph_en_US.dic (with lefthyphenmin 2, righthyphenmin 3) allows
   * type-setting only, not TeX's type-set-ting. */
  CHECK(rc == 0 && strcmp(buf, "type=setting hy=phen=ation") == 0,
        "hyphenation points: \"%s\"", buf);
  CHECK(flagged == 3 && hyw_ok,
        "%d flagged penalties of 50 with the hyphen's width", flagged);
  cv_hlist_fini(&l);
  /* A word with a hard hyphen breaks after it only, unflagged width 0. */
  rc = shape_plain(e, &s, "state-of-the-art and/or office", 1, 1, &l);
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && strcmp(buf, "state-/of-/the-/art and//or office") == 0,
        "explicit breaks: \"%s\"", buf);
  int ok = 1;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].kind == CV_PENALTY)
      ok = ok && l.v[i].width == 0 && !l.v[i].hyphen &&
           l.v[i].penalty == (l.v[i].flagged ? 900 : 0);
  CHECK(ok, "explicit-hyphen penalties 900 (flagged: only when nothing "
            "else fits), after slash 0");
  cv_hlist_fini(&l);
  /* As in TeX, a compound's first part is hyphenated, its later parts
   * are not. */
  rc = shape_plain(e, &s, "population-level compute/memory", 1, 1, &l);
  describe(&l, buf, sizeof buf);
  const char *rest = strstr(buf, "-/");
  const char *slash = strstr(buf, "//");
  const char *space = rest ? strchr(rest, ' ') : NULL;
  CHECK(rc == 0 && rest && slash && space &&
            memchr(buf, '=', (size_t)(rest - buf)) &&
            !memchr(rest, '=', (size_t)(space - rest)) &&
            memchr(space, '=', (size_t)(slash - space)) && !strchr(slash, '='),
        "a compound hyphenated in its first part only: \"%s\"", buf);
  cv_hlist_fini(&l);
  /* A capitalised word as a last resort, a name by its spelling never. */
  rc = shape_plain(e, &s, "Innovative DeepSpeed",
                   CV_HYPHENATE | CV_HYPHENATE_CAPITALS_LAST, 1, &l);
  describe(&l, buf, sizeof buf);
  int last = 0, other = 0;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].kind == CV_PENALTY && l.v[i].flagged) {
      if (l.v[i].flagged == CV_HYPHEN_LAST_RESORT &&
          l.v[i].penalty == CV_LAST_RESORT_PENALTY)
        last++;
      else
        other++;
    }
  CHECK(rc == 0 && last > 0 && other == 0 && !strchr(strchr(buf, ' '), '='),
        "capitals as a last resort: \"%s\" (%d last-resort hyphens)", buf,
        last);
  cv_hlist_fini(&l);
  rc = shape_plain(e, &s, "Innovative", CV_HYPHENATE, 1, &l);
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && !strchr(buf, '='), "no capital hyphenated by default: %s",
        buf);
  cv_hlist_fini(&l);
  rc = shape_plain(e, &s, "Dong\xc2\xadhui", 1, 1, &l);
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && l.n == 3 && l.v[1].kind == CV_PENALTY && l.v[1].flagged &&
            l.v[1].hyphen && l.v[1].width > 0,
        "soft hyphen is a hyphenation point: \"%s\"", buf);
  cv_hlist_fini(&l);
  rc = shape_plain(e, &s, "office", 1, 1, &l);
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && strcmp(buf, "office") == 0,
        "no hyphenation inside the ffi ligature (of-fice): \"%s\"", buf);
  cv_hlist_fini(&l);
}

static void test_cjk(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  const char *in = "Li 林志恒";
  int rc = shape_plain(e, &s, in, 0, 1, &l);
  int notdef = 0;
  const cv_font *cjk = NULL;
  for (size_t i = 0; i < l.n; i++) {
    const cv_run *r = l.v[i].run;
    for (uint32_t g = 0; r && g < r->n; g++) {
      notdef += r->g[g].gid == 0;
      if (r->g[g].text_len && (unsigned char)r->g[g].text[0] >= 0xE0)
        cjk = r->font;
    }
  }
  char buf[256];
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && notdef == 0 && cjk && strstr(cjk->family, "CJK"),
        "林志恒 falls back to %s (%s), %d .notdef; nodes \"%s\"",
        cjk ? cjk->family : "nothing", cjk ? cjk->path : "-", notdef, buf);
  const uint32_t *miss;
  CHECK(cv_shaper_missing(e->sh, &miss) == 0, "no missing characters");
  cv_hlist_fini(&l);
  /* Private-use code point no font has: recorded as missing. */
  rc = shape_plain(e, &s, "x\xf3\xb0\x80\x80", 0, 1, &l);
  size_t nm = cv_shaper_missing(e->sh, &miss);
  CHECK(rc == 0 && nm == 1 && miss[0] == 0xF0000,
        "U+F0000 recorded missing (%zu)", nm);
  /* ... and not drawn: no .notdef glyph, its text joined to the x's. */
  int drawn0 = 0;
  const cv_glyph *gx = NULL;
  for (size_t i = 0; i < l.n; i++)
    for (uint32_t k = 0; l.v[i].run && k < l.v[i].run->n; k++) {
      drawn0 += l.v[i].run->g[k].gid == 0;
      gx = &l.v[i].run->g[k];
    }
  CHECK(drawn0 == 0 && gx && gx->text_len == 5 &&
            !memcmp(gx->text, "x\xf3\xb0\x80\x80", 5),
        "no .notdef drawn for U+F0000; its text rides on 'x' (%d drawn)",
        drawn0);
  cv_hlist_fini(&l);
}

/* Where CJK meets Latin without a space, a quarter em of glue; none
 * inside the Latin word or between two ideographs of an English text. */
static void test_cjk_latin(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  int rc = shape_plain(e, &s, "\xe7\xb2\xbe\xe9\x80\x9aKubernetes\xe7\xad\x89",
                       0, 1, &l);
  size_t glues = 0, quarter = 0;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].kind == CV_GLUE) {
      glues++;
      quarter += l.v[i].width > 2.49 && l.v[i].width < 2.51;
    }
  char buf[256];
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && glues == 2 && quarter == 2,
        "精通Kubernetes等: a quarter-em glue at each side of the Latin word "
        "(%zu glues, %zu of 2.5 pt; nodes \"%s\")",
        glues, quarter, buf);
  cv_hlist_fini(&l);
}

static void test_smallcaps(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist plain, sc, up;
  shape_plain(e, &s, "smith", 0, 1, &plain);
  s.smallcaps = 1;
  shape_plain(e, &s, "smith", 0, 1, &sc);
  s.smallcaps = 0;
  s.uppercase = 1;
  shape_plain(e, &s, "smith", 0, 1, &up);
  const cv_run *a = plain.n ? plain.v[0].run : NULL;
  const cv_run *b = sc.n ? sc.v[0].run : NULL;
  const cv_run *u = up.n ? up.v[0].run : NULL;
  int differ = a && b && a->n == b->n;
  for (uint32_t i = 0; differ && i < a->n; i++)
    differ = a->g[i].gid != b->g[i].gid;
  CHECK(differ && b->g[0].text_len == 1 && b->g[0].text[0] == 's',
        "small caps change every glyph of \"smith\" (s: %u -> %u)",
        a ? a->g[0].gid : 0, b ? b->g[0].gid : 0);
  char buf[64];
  describe(&up, buf, sizeof buf);
  CHECK(u && strcmp(buf, "SMITH") == 0, "uppercase: \"%s\"", buf);
  cv_hlist_fini(&plain);
  cv_hlist_fini(&sc);
  cv_hlist_fini(&up);
  /* Tracking spaces letters out and keeps them apart. */
  cv_textstyle ts = style_of("Libertine", 10);
  cv_hlist t0, t1;
  shape_plain(e, &ts, "office", 0, 1, &t0);
  ts.tracking = 0.1;
  shape_plain(e, &ts, "office", 0, 1, &t1);
  const cv_run *r0 = t0.n ? t0.v[0].run : NULL, *r1 = t1.n ? t1.v[0].run : NULL;
  CHECK(r0 && r1 && r1->n == 6 &&
            fabs(r1->g[0].adv - r0->g[0].adv - 1.0) < 1e-4,
        "tracking 0.1 em: 6 glyphs (no ligature), o widened %.3f -> %.3f pt",
        r0 ? r0->g[0].adv : 0, r1 ? r1->g[0].adv : 0);
  cv_hlist_fini(&t0);
  cv_hlist_fini(&t1);
  /* Strong stays bold in a bold style; emphasis toggles italic. */
  cv_textstyle bs = style_of("Libertine", 10);
  bs.bold = 1;
  bs.italic = 1;
  cv_span two[2] = {{"bold ", 5, 0, NULL, NULL},
                    {"upright", 7, CV_SPAN_BOLD | CV_SPAN_ITALIC, "u", NULL}};
  cv_hlist_init(&t0);
  cv_shape_spans(e->sh, &bs, two, 2, 0, 1, &t0, &e->st);
  CHECK(t0.n == 3 && t0.v[0].run->font->variant == CV_BOLD_ITALIC &&
            t0.v[2].run->font->variant == CV_BOLD && t0.v[2].run->link &&
            !strcmp(t0.v[2].run->link, "u"),
        "bold italic style + strong emphasis span = bold upright, link kept");
  cv_hlist_fini(&t0);
  /* Lato has no smcp: lowercase becomes capitals at 0.8 size. */
  cv_textstyle ls = style_of("Lato", 10);
  ls.smallcaps = 1;
  shape_plain(e, &ls, "Dong", 0, 1, &sc);
  describe(&sc, buf, sizeof buf);
  CHECK(sc.n == 2 && sc.v[0].run->size == 10.0f && sc.v[1].run->size == 8.0f &&
            strcmp(buf, "D|ONG") == 0,
        "fake small caps in Lato: \"%s\", sizes %.1f/%.1f", buf,
        sc.n > 0 ? sc.v[0].run->size : 0, sc.n > 1 ? sc.v[1].run->size : 0);
  cv_hlist_fini(&sc);
}

static void test_glue(env *e) {
  cv_textstyle s = style_of("Lato", 11);
  cv_font *f = cv_fontset_get(e->fs, "Lato", CV_REGULAR, &e->st);
  hb_codepoint_t sp = 0;
  hb_font_get_nominal_glyph(f->hb_font, ' ', &sp);
  double want = hb_font_get_glyph_h_advance(f->hb_font, sp) * 11.0 / f->upem;
  cv_hlist l;
  shape_plain(e, &s, "one two", 0, 1, &l);
  const cv_hnode *g = l.n == 3 ? &l.v[1] : NULL;
  CHECK(g && g->kind == CV_GLUE && fabs(g->width - want) < 1e-9 &&
            fabs(g->stretch - want / 2) < 1e-9 &&
            fabs(g->shrink - want / 3) < 1e-9,
        "justified glue %.4f+%.4f-%.4f, space advance %.4f pt",
        g ? g->width : 0, g ? g->stretch : 0, g ? g->shrink : 0, want);
  cv_hlist_fini(&l);
  shape_plain(e, &s, "one two", 0, 0, &l);
  g = l.n == 3 ? &l.v[1] : NULL;
  CHECK(g && g->stretch == 0 && fabs(g->shrink - want / 3) < 1e-9,
        "ragged glue has no stretch");
  cv_hlist_fini(&l);
  shape_plain(e, &s,
              "a\xc2\xa0"
              "b",
              0, 0, &l);
  CHECK(l.n == 1 && l.v[0].run->n == 3, "no-break space stays in the box");
  cv_hlist_fini(&l);
  double w = 0;
  cv_hlist_init(&l);
  int rc = cv_shape_line(e->sh, &s, "**Page** 2", &l, &w, &e->st);
  int boxes = 1;
  for (size_t i = 0; i < l.n; i++)
    boxes = boxes && l.v[i].kind == CV_BOX;
  CHECK(rc == 0 && boxes && l.n == 3 && l.v[1].run == NULL &&
            fabs(l.v[1].width - want) < 1e-9 &&
            l.v[0].run->font->variant == CV_BOLD &&
            fabs(w - (l.v[0].width + l.v[1].width + l.v[2].width)) < 1e-9,
        "shape_line: %zu boxes, width %.3f", l.n, w);
  cv_hlist_fini(&l);
}

static void test_fontconfig_family(env *e) {
  cv_status st = {0};
  cv_font *f = cv_fontset_get(e->fs, "Lato", CV_ITALIC, &st);
  CHECK(f && strstr(f->path, "Lato-Italic.ttf"), "manifest italic: %s",
        f ? f->path : st.msg);
  memset(&st, 0, sizeof st);
  f = cv_fontset_get(e->fs, "Noto Sans CJK SC", CV_REGULAR, &st);
  CHECK(f && f->path && strstr(f->path, ".ttc"),
        "undeclared family through fontconfig: %s index %d",
        f ? f->path : st.msg, f ? f->face_index : -1);
  memset(&st, 0, sizeof st);
  f = cv_fontset_get(e->fs, "No Such Family XYZ", CV_REGULAR, &st);
  CHECK(!f && st.failed && strstr(st.msg, "No Such Family XYZ"),
        "unknown family fails clearly: %s", st.msg);
  memset(&st, 0, sizeof st);
  const char *bad[4] = {"DoesNotExist.otf", NULL, NULL, NULL};
  cv_fontset_add_family(e->fs, "Bad", bad, NULL, &st);
  f = cv_fontset_get(e->fs, "Bad", CV_BOLD, &st);
  CHECK(!f && strstr(st.msg, "DoesNotExist.otf"), "missing file: %s", st.msg);
}

static void test_timing(env *e) {
  static const char *words[] = {
      "research",  "efficient", "language", "models",   "inference",
      "the",       "of",        "and",      "hardware", "sparsity",
      "attention", "we",        "propose",  "a",        "novel",
      "method",    "for",       "training", "networks", "with",
  };
  char text[4096];
  size_t n = 0;
  for (int i = 0; i < 200; i++) {
    const char *w = words[(i * 7) % 20];
    n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? " " : "", w);
  }
  cv_textstyle s = style_of("Libertine", 10);
  struct timespec t0, t1;
  cv_hlist l;
  double best = 1e9;
  for (int rep = 0; rep < 5; rep++) {
    clock_gettime(CLOCK_MONOTONIC, &t0);
    shape_plain(e, &s, text, 1, 1, &l);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (ms < best)
      best = ms;
    if (rep < 4)
      cv_hlist_fini(&l);
  }
  size_t glue = 0;
  for (size_t i = 0; i < l.n; i++)
    glue += l.v[i].kind == CV_GLUE;
  CHECK(glue == 199, "200-word paragraph: %zu nodes, %zu glue, best %.3f ms",
        l.n, glue, best);
  cv_hlist_fini(&l);
}

/* Results stay where they were shaped; later calls go to the new arena,
 * and cache hits after the old arena is gone are still right (under
 * AddressSanitizer a pointer into the old arena would be caught). */
static void test_set_arena(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  /* "Hello" twice: a cache hit within the call; the CJK name is not
   * cacheable (the shaper's scratch entry); "hyphenation" is hyphenated
   * and its points are cached. */
  static const char text[] =
      "Hello world Hello \xe5\xbc\xa0\xe4\xbc\x9f hyphenation";
  cv_arena a, b;
  cv_arena_init(&a);
  cv_arena_init(&b);
  cv_shaper_set_arena(e->sh, &a);
  cv_hlist l1, l2;
  int rc1 = shape_plain(e, &s, text, 1, 1, &l1);
  /* What the first shaping gave, copied out before its arena goes. */
  char d1[256], d2[256];
  describe(&l1, d1, sizeof d1);
  uint32_t gids1[64];
  float adv1[64];
  size_t n1 = 0;
  for (size_t i = 0; i < l1.n; i++)
    for (uint32_t g = 0; l1.v[i].run && g < l1.v[i].run->n && n1 < 64; g++) {
      gids1[n1] = l1.v[i].run->g[g].gid;
      adv1[n1++] = l1.v[i].run->g[g].adv;
    }
  size_t nodes1 = l1.n;
  int in_a =
      l1.n > 0 && l1.v[0].run && (const void *)l1.v[0].run->g[0].text != NULL;
  cv_hlist_fini(&l1);
  cv_shaper_set_arena(e->sh, &b);
  cv_arena_fini(&a); /* nothing shaped from now on may point into it */
  int rc2 = shape_plain(e, &s, text, 1, 1, &l2);
  describe(&l2, d2, sizeof d2);
  int same = rc1 == 0 && rc2 == 0 && l2.n == nodes1 && in_a;
  size_t n2 = 0;
  for (size_t i = 0; i < l2.n; i++)
    for (uint32_t g = 0; l2.v[i].run && g < l2.v[i].run->n && n2 < 64; g++) {
      same = same && n2 < n1 && l2.v[i].run->g[g].gid == gids1[n2] &&
             l2.v[i].run->g[g].adv == adv1[n2];
      n2++;
    }
  same = same && n2 == n1 && strcmp(d1, d2) == 0 && strchr(d2, '=');
  CHECK(same,
        "shaped again after switching arenas and freeing the first: "
        "\"%s\" (%zu glyphs), was \"%s\" (%zu)",
        d2, n2, d1, n1);
  /* The second results live in b, and stay valid while b does. */
  cv_shaper_set_arena(e->sh, &e->arena);
  cv_hlist l3;
  shape_plain(e, &s, "Hello", 0, 1, &l3);
  char d3[64];
  describe(&l2, d2, sizeof d2);
  describe(&l3, d3, sizeof d3);
  CHECK(strcmp(d2, d1) == 0 && strcmp(d3, "Hello") == 0,
        "earlier results untouched by later calls: \"%s\", \"%s\"", d2, d3);
  cv_hlist_fini(&l3);
  cv_hlist_fini(&l2);
  cv_arena_fini(&b);
}

/* fontconfig's config parser and libhyphen's pattern loader leak a little
 * by themselves; nothing of ours is suppressed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:libfontconfig.so\nleak:libhyphen.so\n";
}

/* Text a CV may hold that libunibreak 1.1 cannot take as it is: flags
 * (regional indicator pairs), U+FFFF (its end-of-text value), other
 * noncharacters, unassigned code points, lone combining marks, emoji
 * sequences and bytes that are no UTF-8. */
static const char *const any_unicode[] = {
    /* a flag; two flags and a lone regional indicator */
    "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7",
    "UK \xF0\x9F\x87\xAC\xF0\x9F\x87\xA7 and FR "
    "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9",
    /* U+FFFF alone and in text */
    "\xEF\xBF\xBF",
    "a\xEF\xBF\xBF b \xEF\xBF\xBF\xEF\xBF\xBF c",
    /* noncharacters U+FFFE U+FDD0 U+1FFFF U+10FFFF */
    "\xEF\xBF\xBE \xEF\xB7\x90 \xF0\x9F\xBF\xBF \xF4\x8F\xBF\xBF",
    /* unassigned U+0378 U+50000 U+E0080 */
    "\xCD\xB8 \xF1\x90\x80\x80 \xF3\xA0\x82\x80",
    /* lone combining marks (U+0301) */
    "\xCC\x81\xCC\x81 lone \xCC\x81 marks",
    /* a ZWJ family, a skin tone, the flag of Scotland (tag characters) */
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
    "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok",
    "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xB3"
    "\xF3\xA0\x81\xA3\xF3\xA0\x81\xB4\xF3\xA0\x81\xBF",
    /* bytes that are no UTF-8 */
    "bad \xFF\xFE bytes \xEF\xBF",
};

static void test_any_unicode(env *e) {
  cv_textstyle s = style_of("Libertine", 10);
  for (size_t i = 0; i < sizeof any_unicode / sizeof *any_unicode; i++) {
    for (int hyph = 0; hyph < 2; hyph++) {
      cv_hlist l;
      int rc = shape_plain(e, &s, any_unicode[i], hyph, 1, &l);
      CHECK(rc == 0 && !l.failed, "any Unicode text shapes: case %zu%s", i,
            hyph ? ", hyphenated" : "");
      cv_hlist_fini(&l);
    }
  }
}

/* The opportunity after the character that ends at byte `end` of s. */
static int after(const char *brks, size_t end) {
  return brks[end - 1];
}

static void test_uax14(void) {
  cv_uax14 u = {0};
  char a[256], b[256];
  /* Ordinary text: exactly what libunibreak gives for UTF-8. */
  static const char *const same[] = {
      "state-of-the-art and/or office",
      "Li 林志恒 (2021)",
      "Veličković",
      "line\nbreak\r\nhere",
      "e\xCC\x81t\xC3\xA9",
      "https://example.org/a-b",
      "\xE2\x80\x9Cquoted\xE2\x80\x9D \xC2\xAB guillemets \xC2\xBB",
      "a\xC2\xA0"
      "b c\xE2\x80\x94"
      "d",
      "\xCC\x81 mark first",
      "\xEF\xB7\x90\xF0\x9F\xBF\xBF\xF4\x8F\xBF\xBF\xCD\xB8\xF1\x90\x80\x80",
  };
  for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
    size_t n = strlen(same[i]);
    set_linebreaks_utf8((const utf8_t *)same[i], n, "en", a);
    int rc = cv_uax14_breaks(&u, same[i], n, "en", b);
    CHECK(rc == 0 && memcmp(a, b, n) == 0,
          "ordinary text breaks as libunibreak's UTF-8 call: case %zu", i);
  }
  /* U+FFFF breaks as the noncharacter U+FFFE does. */
  const char *ffff = "x\xEF\xBF\xBF y\xEF\xBF\xBF";
  const char *fffe = "x\xEF\xBF\xBE y\xEF\xBF\xBE";
  size_t n = strlen(ffff);
  set_linebreaks_utf8((const utf8_t *)fffe, n, "en", a);
  int rc = cv_uax14_breaks(&u, ffff, n, "en", b);
  CHECK(rc == 0 && memcmp(a, b, n) == 0, "U+FFFF breaks as U+FFFE");
  /* Flags: no break inside a pair, a break between two (LB30a). */
  const char *flags = "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7\xF0\x9F\x87\xAB"
                      "\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9";
  rc = cv_uax14_breaks(&u, flags, 20, "en", b);
  CHECK(rc == 0 && after(b, 4) == LINEBREAK_NOBREAK &&
            after(b, 8) == LINEBREAK_ALLOWBREAK &&
            after(b, 12) == LINEBREAK_NOBREAK &&
            after(b, 16) == LINEBREAK_ALLOWBREAK &&
            after(b, 20) == LINEBREAK_MUSTBREAK &&
            b[0] == LINEBREAK_INSIDEACHAR,
        "flags: %d %d %d %d %d", after(b, 4), after(b, 8), after(b, 12),
        after(b, 16), after(b, 20));
  /* Emoji sequences stay whole: after a ZWJ (LB8a), before a modifier. */
  const char *family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80"
                       "\x8D\xF0\x9F\x91\xA7\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
  rc = cv_uax14_breaks(&u, family, 26, "en", b);
  CHECK(rc == 0 && after(b, 4) == LINEBREAK_NOBREAK &&
            after(b, 7) == LINEBREAK_NOBREAK &&
            after(b, 11) == LINEBREAK_NOBREAK &&
            after(b, 14) == LINEBREAK_NOBREAK &&
            after(b, 18) == LINEBREAK_ALLOWBREAK &&
            after(b, 22) == LINEBREAK_NOBREAK,
        "ZWJ sequence and skin tone stay whole: %d %d %d %d %d %d", after(b, 4),
        after(b, 7), after(b, 11), after(b, 14), after(b, 18), after(b, 22));
  /* Bytes that are no UTF-8 count as U+FFFD, one byte each. */
  const char *junk = "a\xFF\xFE\xEF\xBF";
  rc = cv_uax14_breaks(&u, junk, 5, "en", b);
  int ok = rc == 0;
  for (int i = 0; i < 5; i++)
    ok = ok && b[i] != LINEBREAK_INSIDEACHAR;
  CHECK(ok, "invalid bytes are one character each");
  cv_uax14_fini(&u);
}

/* text.c finds a word's break opportunities from the word alone when it
 * starts with an ASCII letter or digit, and none inside a word of only
 * those: libunibreak must agree with its answer for the whole text,
 * whatever stands before the word. */
static void test_uax14_words(void) {
  static const char *const before[] = {"",
                                       "x ",
                                       "( ",
                                       "\xE2\x80\x9C ",
                                       "2024 ",
                                       "a\xE2\x80\x8B ",
                                       "\xE6\x9E\x97 ",
                                       "\xCC\x81 ",
                                       "- ",
                                       "x\n",
                                       "x\r\n",
                                       "$ ",
                                       "x\xE3\x80\x80",
                                       "x\xE2\x80\x83",
                                       "\xF0\x9F\x87\xAC ",
                                       "/ ",
                                       "10% ",
                                       "\xC2\xAB "};
  static const char *const words[] = {"state-of-the-art",
                                      "and/or",
                                      "e.g.,",
                                      "2024),",
                                      "IEEE",
                                      "co\xE2\x80\x94op",
                                      "a\xE6\x9E\x97"
                                      "b",
                                      "x\xCC\x81y",
                                      "C++",
                                      "3.5",
                                      "v2\xE2\x80\x93v3",
                                      "h\xE2\x80\x8Bi",
                                      "www.x.org/a-b",
                                      "ID:7",
                                      "M\xC3\xBCnchen"};
  static const char *const langs[] = {"en", "de", "fr", "ja", "zh", NULL};
  cv_uax14 u = {0};
  char t[128], all[128], alone[128];
  int bad = 0, cases = 0;
  for (size_t i = 0; i < sizeof before / sizeof *before; i++)
    for (size_t j = 0; j < sizeof words / sizeof *words; j++)
      for (size_t k = 0; k < sizeof langs / sizeof *langs; k++) {
        size_t a = strlen(before[i]), n = strlen(words[j]);
        snprintf(t, sizeof t, "%s%s next", before[i], words[j]);
        int rc = cv_uax14_breaks(&u, t, strlen(t), langs[k], all);
        rc |= cv_uax14_breaks(&u, words[j], n, langs[k], alone);
        cases++;
        if (rc != 0 || memcmp(all + a, alone, n - 1) != 0)
          bad++;
      }
  CHECK(bad == 0, "a word's breaks from the word alone: %d of %d differ", bad,
        cases);
  const char *alnum = "Word2Vec 3Blue1Brown x86 ABC123def";
  cv_uax14_breaks(&u, alnum, strlen(alnum), "en", all);
  int allowed = 0;
  for (size_t i = 0; alnum[i]; i++)
    allowed += alnum[i + 1] && alnum[i] != ' ' && alnum[i + 1] != ' ' &&
               all[i] == LINEBREAK_ALLOWBREAK;
  CHECK(allowed == 0, "no break inside ASCII letters and digits: %d", allowed);
  cv_uax14_fini(&u);
}

/* Language tags: a CV's `language` reaches file names (hyph_LANG.dic)
 * and the PDF, so only the shape of a tag is let through. */
static void test_language_tags(void) {
  static const char *const good[] = {"en",  "de-CH",  "pt_BR",  "sr-Latn-RS",
                                     "yue", "es-419", "de-1996"};
  static const char *const bad[] = {"",
                                    "e",
                                    "en-",
                                    "-en",
                                    "en us",
                                    "../x",
                                    "en/US",
                                    "1en",
                                    "en--US",
                                    "abcdefghi",
                                    "en-abcdefghi",
                                    "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddd"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    CHECK(cv_language_tag_ok(good[i]), "language tag '%s' is accepted",
          good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK(!cv_language_tag_ok(bad[i]), "language tag '%s' is refused", bad[i]);
}

/* Phrases in another language: <span lang="de"> gives its spans and runs
 * that language, and its words that language's hyphenation (a capitalised
 * German noun too, which an English paragraph leaves alone); other raw
 * HTML stays text; cv_markup_check_langs reports bad tags. */
static void report_count(void *ud, size_t off, int error, const char *msg) {
  int *c = ud;
  printf("  reported at %zu (%s): %s\n", off, error ? "error" : "warning", msg);
  c[error ? 0 : 1]++;
  c[2] = (int)off;
}

static void test_phrase_lang(env *e) {
  const char *m = "Thesis: <span lang=\"de\">Schönheitswettbewerb</span> and "
                  "Schönheitswettbewerb <b>x</b>";
  cv_span *sp = NULL;
  size_t n = 0;
  int rc = cv_markup_parse(&e->arena, m, strlen(m), &sp, &n, &e->st);
  CHECK(rc == 0 && n == 3 && !sp[0].lang && sp[1].lang &&
            !strcmp(sp[1].lang, "de") &&
            !strcmp(sp[1].text, "Schönheitswettbewerb") && !sp[2].lang &&
            strstr(sp[2].text, "<b>x</b>"),
        "a phrase in German is a span of its own; <b> stays text: %zu spans",
        n);
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  cv_hlist_init(&l);
  rc = rc ? rc : cv_shape_spans(e->sh, &s, sp, n, 1, 1, &l, &e->st);
  char buf[512];
  describe(&l, buf, sizeof buf);
  printf("  shaped: %s\n", buf);
  const char *and = strstr(buf, " and ");
  int de_runs = 0;
  for (size_t i = 0; i < l.n; i++)
    if (l.v[i].run && l.v[i].run->lang && !strcmp(l.v[i].run->lang, "de"))
      de_runs++;
  CHECK(rc == 0 && and&&memchr(buf, '=', (size_t)(and-buf)) &&
            !strchr(and, '='),
        "the German word hyphenated by German patterns, the English one "
        "not: %s",
        buf);
  CHECK(de_runs >= 2, "the German word's pieces carry lang de: %d runs",
        de_runs);
  cv_hlist_fini(&l);
  int c[3] = {0, 0, -1};
  const char *bad = "a <span lang=\"German\">b</span>";
  CHECK(cv_markup_check_langs(bad, strlen(bad), report_count, c) == 1 &&
            c[0] == 1 && c[2] == 2,
        "a language that is none is an error at its tag's offset");
  c[0] = c[1] = 0;
  const char *open = "`<span lang=xx>` <span lang=fr>ouvert </span></span>";
  cv_markup_check_langs(open, strlen(open), report_count, c);
  CHECK(c[0] == 0 && c[1] == 1 && c[2] == 45,
        "code is not markup; a stray </span> is a warning: %d, %d at %d", c[0],
        c[1], c[2]);
  char near[16];
  CHECK(cv_language_known("pt-BR") && !cv_language_known("dx") &&
            cv_language_suggest("dx", near, sizeof near) &&
            !strcmp(near, "de") &&
            cv_language_suggest("French", near, sizeof near) &&
            !strcmp(near, "fr"),
        "languages known, and what a wrong one meant");
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_language_tags();
  env e;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = env_init(&e, "en-US");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK(rc == 0 && !e.st.failed && e.st.msg[0] == '\0',
        "fontset and shaper (en-US) created in %.2f ms %s",
        (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
        e.st.msg);
  if (rc != 0) {
    printf("FAIL - setup: %s\n", e.st.msg);
    return 1;
  }
  CHECK(cv_shaper_hyphenates(e.sh), "en-US has hyphenation patterns");
  test_ligature(&e);
  test_kerning(&e);
  test_diacritics(&e);
  test_markup(&e);
  test_hyphenation(&e);
  test_phrase_lang(&e);
  test_cjk(&e);
  test_cjk_latin(&e);
  test_smallcaps(&e);
  test_glue(&e);
  test_fontconfig_family(&e);
  test_timing(&e);
  test_set_arena(&e);
  test_any_unicode(&e);
  test_uax14();
  test_uax14_words();
  env_fini(&e);

  /* Dictionary lookup: "de" -> hyph_de_DE.dic (ISO-8859-1), "xx" none. */
  env d;
  rc = env_init(&d, "de");
  cv_textstyle s = style_of("Libertine", 10);
  cv_hlist l;
  char buf[256];
  shape_plain(&d, &s, "Schönheitswettbewerb", 1, 1, &l);
  describe(&l, buf, sizeof buf);
  CHECK(rc == 0 && strchr(buf, '=') && strstr(buf, "Sch"),
        "German (8-bit dictionary): \"%s\"", buf);
  cv_hlist_fini(&l);
  env_fini(&d);
  rc = env_init(&d, "xx");
  /* No failure, and nothing in the error status: the caller asks and
   * warns at the CV's language. */
  CHECK(rc == 0 && !d.st.failed && !d.st.msg[0] && !cv_shaper_hyphenates(d.sh),
        "no patterns is no error, and the shaper says so: %s", d.st.msg);
  env_fini(&d);
  return failures ? 1 : 0;
}
