/* cvpdf - LaTeX to Unicode, for the text of BibTeX fields: accents,
 * letters and symbols to their characters, dashes, quotes and ties, math
 * without its dollars, styling commands dropped for their argument, and a
 * warning (once per command) for what is not known. */
#define _POSIX_C_SOURCE 200809L
#include "document/bibtex_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>

/* LaTeX's accent commands and the combining marks they stand for.  A
 * letter that composes with its mark under Unicode NFC is printed
 * precomposed (ICU knows which do); other bases get the mark after
 * them. */
typedef struct accent {
  char cmd;      /* \' \` \^ ... \v \H ... */
  uint32_t mark; /* combining mark */
} accent;

static const accent accents[] = {
    {'\'', 0x0301}, {'`', 0x0300}, {'^', 0x0302}, {'"', 0x0308},
    {'~', 0x0303},  {'=', 0x0304}, {'.', 0x0307}, {'u', 0x0306},
    {'v', 0x030C},  {'H', 0x030B}, {'c', 0x0327}, {'k', 0x0328},
    {'r', 0x030A},  {'d', 0x0323}, {'b', 0x0331}, {'t', 0x0361},
};

/* The precomposed form of letter with mark, or -1 when there is none. */
static int32_t composed(char letter, uint32_t mark) {
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
  if (U_FAILURE(err))
    return -1;
  return unorm2_composePair(nfc, (unsigned char)letter, (UChar32)mark);
}

/* Control words that stand for a character or a short text. */
typedef struct symbol {
  const char *name;
  const char *text;
} symbol;

static const symbol symbols[] = {
    /* Letters of other alphabets. */
    {"ss", "ß"},
    {"SS", "SS"},
    {"o", "ø"},
    {"O", "Ø"},
    {"l", "ł"},
    {"L", "Ł"},
    {"aa", "å"},
    {"AA", "Å"},
    {"ae", "æ"},
    {"AE", "Æ"},
    {"oe", "œ"},
    {"OE", "Œ"},
    {"i", "ı"},
    {"j", "ȷ"},
    {"dh", "ð"},
    {"DH", "Ð"},
    {"th", "þ"},
    {"TH", "Þ"},
    {"ng", "ŋ"},
    {"NG", "Ŋ"},
    {"dj", "đ"},
    {"DJ", "Đ"},
    /* Punctuation and signs. */
    {"textendash", "–"},
    {"textemdash", "—"},
    {"ldots", "…"},
    {"dots", "…"},
    {"textellipsis", "…"},
    {"textquoteleft", "‘"},
    {"textquoteright", "’"},
    {"textquotedblleft", "“"},
    {"textquotedblright", "”"},
    {"guillemotleft", "«"},
    {"guillemotright", "»"},
    {"copyright", "©"},
    {"textcopyright", "©"},
    {"textregistered", "®"},
    {"texttrademark", "™"},
    {"S", "§"},
    {"P", "¶"},
    {"pounds", "£"},
    {"euro", "€"},
    {"texteuro", "€"},
    {"textdegree", "°"},
    {"textbackslash", "\\"},
    {"textasciitilde", "~"},
    {"textunderscore", "_"},
    {"textbar", "|"},
    {"textless", "<"},
    {"textgreater", ">"},
    {"textbullet", "•"},
    {"dag", "†"},
    {"ddag", "‡"},
    {"TeX", "TeX"},
    {"LaTeX", "LaTeX"},
    {"BibTeX", "BibTeX"},
    {"quad", " "},
    {"qquad", " "},
    /* Mathematics, in or out of $...$. */
    {"alpha", "α"},
    {"beta", "β"},
    {"gamma", "γ"},
    {"delta", "δ"},
    {"epsilon", "ϵ"},
    {"varepsilon", "ε"},
    {"zeta", "ζ"},
    {"eta", "η"},
    {"theta", "θ"},
    {"iota", "ι"},
    {"kappa", "κ"},
    {"lambda", "λ"},
    {"mu", "μ"},
    {"nu", "ν"},
    {"xi", "ξ"},
    {"pi", "π"},
    {"rho", "ρ"},
    {"sigma", "σ"},
    {"tau", "τ"},
    {"upsilon", "υ"},
    {"phi", "ϕ"},
    {"varphi", "φ"},
    {"chi", "χ"},
    {"psi", "ψ"},
    {"omega", "ω"},
    {"Gamma", "Γ"},
    {"Delta", "Δ"},
    {"Theta", "Θ"},
    {"Lambda", "Λ"},
    {"Xi", "Ξ"},
    {"Pi", "Π"},
    {"Sigma", "Σ"},
    {"Phi", "Φ"},
    {"Psi", "Ψ"},
    {"Omega", "Ω"},
    {"ell", "ℓ"},
    {"infty", "∞"},
    {"times", "×"},
    {"pm", "±"},
    {"le", "≤"},
    {"leq", "≤"},
    {"ge", "≥"},
    {"geq", "≥"},
    {"neq", "≠"},
    {"ne", "≠"},
    {"approx", "≈"},
    {"sim", "∼"},
    {"cdot", "·"},
    {"to", "→"},
    {"rightarrow", "→"},
    {"leftarrow", "←"},
    {"in", "∈"},
    {"sum", "∑"},
    {"log", "log"},
    {"sqrt", "√"},
    {"partial", "∂"},
    {"nabla", "∇"},
    {"mid", "|"},
    {NULL, NULL}};

/* Commands that only style their argument: the argument is kept. */
static const char *const styles[] = {"textbf",
                                     "textit",
                                     "textsl",
                                     "emph",
                                     "texttt",
                                     "textsc",
                                     "textsf",
                                     "textrm",
                                     "textup",
                                     "textmd",
                                     "textnormal",
                                     "mathrm",
                                     "mathbf",
                                     "mathit",
                                     "mathcal",
                                     "mathbb",
                                     "mathsf",
                                     "mathtt",
                                     "boldsymbol",
                                     "operatorname",
                                     "text",
                                     "mbox",
                                     "hbox",
                                     "url",
                                     "em",
                                     "it",
                                     "bf",
                                     "sc",
                                     "rm",
                                     "tt",
                                     "sf",
                                     "sl",
                                     "normalfont",
                                     "relax",
                                     "protect",
                                     "small",
                                     "footnotesize",
                                     "large",
                                     "Large",
                                     "uppercase",
                                     "lowercase",
                                     "MakeUppercase",
                                     "MakeLowercase",
                                     "nolinkurl",
                                     "ensuremath",
                                     "left",
                                     "right",
                                     NULL};

/* Commands whose first argument is not printed: sort keys, link targets. */
static const char *const drop_first[] = {"noopsort", "href", "SortNoop",
                                         "sortnoop", NULL};

static int in_list(const char *const *list, const char *s, size_t n) {
  for (int i = 0; list[i]; i++)
    if (strlen(list[i]) == n && !strncmp(list[i], s, n))
      return 1;
  return 0;
}

static void put_cp(cv_buf *out, uint32_t cp) {
  char u[4];
  cv_buf_put(out, u, (size_t)cv_utf8_encode(cp, u));
}

static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void skip_spaces(const char *s, size_t *p) {
  while (s[*p] == ' ' || s[*p] == '\t' || s[*p] == '\n')
    (*p)++;
}

/* End of the brace group opening at s[p] == '{' (the index after its '}'),
 * or strlen when it is not closed (libbtparse has checked the balance of
 * whole values, not of the pieces we cut). */
static size_t group_end(const char *s, size_t p) {
  int depth = 0;
  for (; s[p]; p++) {
    if (s[p] == '\\' && s[p + 1]) {
      p++;
      continue;
    }
    if (s[p] == '{')
      depth++;
    else if (s[p] == '}' && --depth == 0)
      return p + 1;
  }
  return p;
}

static void convert(cv_tex_ctx *t, const char *s, size_t n, int verbatim,
                    cv_buf *out);

static void warn_unknown(cv_tex_ctx *t, const char *name, size_t n) {
  if (n >= sizeof t->warned[0])
    n = sizeof t->warned[0] - 1;
  for (int i = 0; i < t->nwarned; i++)
    if (strlen(t->warned[i]) == n && !strncmp(t->warned[i], name, n))
      return;
  if (t->nwarned < (int)(sizeof t->warned / sizeof t->warned[0])) {
    memcpy(t->warned[t->nwarned], name, n);
    t->warned[t->nwarned][n] = 0;
    t->nwarned++;
  }
  if (t->diags)
    cv_diags_add(t->diags, CV_SEV_WARNING, t->file, t->line, t->col,
                 "unknown LaTeX command '\\%.*s': printed as '%.*s' "
                 "(write the text it stands for instead)",
                 (int)n, name, (int)n, name);
}

/* An accent and its argument, s[*p] just after the accent command: {e},
 * e, {\i}, \i, {} (a lone accent).  The first letter carries the accent;
 * the rest of a longer group is converted as text. */
static void put_accent(cv_tex_ctx *t, const accent *a, const char *s, size_t *p,
                       size_t n, cv_buf *out) {
  skip_spaces(s, p);
  size_t start = *p, end;
  if (*p < n && s[*p] == '{') {
    end = group_end(s, *p);
    start++;
    *p = end;
    if (end > start && s[end - 1] == '}')
      end--;
  } else {
    end = *p;
    if (end < n && s[end] == '\\' && end + 1 < n &&
        (s[end + 1] == 'i' || s[end + 1] == 'j') &&
        (end + 2 >= n || !is_alpha(s[end + 2])))
      end += 2;
    else if (end < n) {
      uint32_t cp;
      int k = cv_utf8_decode(s + end, n - end, &cp);
      end += k > 0 ? (size_t)k : 1;
    }
    *p = end;
  }
  /* Inner braces and spaces round the base, as in \'{{e}} or \c{ c}. */
  while (start < end && (s[start] == '{' || s[start] == ' '))
    start++;
  if (start >= end) {
    /* \~{} and friends print the accent itself. */
    if (!is_alpha(a->cmd))
      cv_buf_putc(out, a->cmd);
    return;
  }
  char base = s[start];
  size_t rest = start + 1;
  if (base == '\\' && start + 1 < end &&
      (s[start + 1] == 'i' || s[start + 1] == 'j')) {
    /* Dotless i and j take the accent in place of the dot. */
    base = s[start + 1];
    rest = start + 2;
  }
  int32_t cp = is_alpha(base) ? composed(base, a->mark) : -1;
  if (cp >= 0) {
    put_cp(out, (uint32_t)cp);
  } else if ((unsigned char)base < 0x80 && base != '\\') {
    cv_buf_putc(out, base);
    put_cp(out, a->mark);
  } else {
    /* A multi-byte or command base: convert it, then mark it. */
    rest = start;
    cv_buf tmp;
    cv_buf_init(&tmp);
    convert(t, s + start, end - start, 0, &tmp);
    if (tmp.data)
      cv_buf_put(out, tmp.data, tmp.len);
    cv_buf_fini(&tmp);
    put_cp(out, a->mark);
    return;
  }
  convert(t, s + rest, end - rest, 0, out);
}

static const accent *find_accent(char c) {
  for (size_t i = 0; i < sizeof accents / sizeof accents[0]; i++)
    if (accents[i].cmd == c)
      return &accents[i];
  return NULL;
}

/* The character Unicode gives as the superscript (sup) or subscript form
 * of cp: the first whose compatibility decomposition is <super> cp or
 * <sub> cp; -1 when there is none. */
static int32_t script_char(const USet *set, const UNormalizer2 *nfkd,
                           uint32_t cp) {
  int32_t items = uset_getItemCount(set);
  for (int32_t i = 0; i < items; i++) {
    UErrorCode err = U_ZERO_ERROR;
    UChar32 lo, hi;
    if (uset_getItem(set, i, &lo, &hi, NULL, 0, &err) != 0 || U_FAILURE(err))
      continue;
    for (UChar32 x = lo; x <= hi; x++) {
      UChar d[4];
      err = U_ZERO_ERROR;
      int32_t len = unorm2_getRawDecomposition(nfkd, x, d, 4, &err);
      UChar32 one = -1;
      if (len == 1)
        one = d[0];
      else if (len == 2 && U16_IS_LEAD(d[0]) && U16_IS_TRAIL(d[1]))
        one = U16_GET_SUPPLEMENTARY(d[0], d[1]);
      if (U_SUCCESS(err) && one == (UChar32)cp)
        return x;
    }
  }
  return -1;
}

/* text in its superscript or subscript characters, appended to out; 0
 * when one character has none (out is then left as it was).  Only those of
 * the Basic Multilingual Plane, which the installed fonts cover: the
 * modifier letters Unicode 14 added above it (a superscript q) have no
 * glyph in them. */
static int put_script(const char *text, size_t n, int sup, cv_buf *out) {
  UErrorCode err = U_ZERO_ERROR;
  UChar pat[40];
  u_uastrcpy(pat, sup ? "[[:dt=super:]&[\\u0000-\\uFFFF]]"
                      : "[[:dt=sub:]&[\\u0000-\\uFFFF]]");
  const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err);
  USet *set = U_SUCCESS(err) ? uset_openPattern(pat, -1, &err) : NULL;
  size_t start = out->len;
  int ok = set && U_SUCCESS(err) && n > 0;
  for (size_t i = 0; ok && i < n;) {
    uint32_t cp;
    int k = cv_utf8_decode(text + i, n - i, &cp);
    /* TeX's minus is the hyphen typed; Unicode's superscript is of U+2212. */
    int32_t x = k > 0 ? script_char(set, nfkd, cp == '-' ? 0x2212 : cp) : -1;
    if (x < 0)
      ok = 0;
    else
      put_cp(out, (uint32_t)x);
    i += k > 0 ? (size_t)k : 1;
  }
  if (set)
    uset_close(set);
  if (!ok)
    out->len = start;
  return ok;
}

/* A superscript (^) or subscript (_) in mathematics, s[*p] just after the
 * mark: its argument (a character, a command or a {group}) in Unicode's
 * superscript or subscript characters where each has one, else after the
 * mark as written ("x^q", "e^(iπ)"). */
static void script(cv_tex_ctx *t, const char *s, size_t *p, size_t n, char mark,
                   cv_buf *out) {
  skip_spaces(s, p);
  size_t a = *p, e = a;
  if (e < n && s[e] == '{') {
    e = group_end(s, e);
  } else if (e < n && s[e] == '\\') {
    e++;
    while (e < n && is_alpha(s[e]))
      e++;
    if (e == a + 1 && e < n)
      e++;
  } else if (e < n) {
    uint32_t cp;
    int k = cv_utf8_decode(s + e, n - e, &cp);
    e += k > 0 ? (size_t)k : 1;
  }
  *p = e > n ? n : e;
  cv_buf arg;
  cv_buf_init(&arg);
  convert(t, s + a, *p - a, 0, &arg);
  const char *txt = arg.data ? arg.data : "";
  if (!put_script(txt, arg.len, mark == '^', out)) {
    uint32_t cp;
    int one = arg.len > 0 && cv_utf8_decode(txt, arg.len, &cp) == (int)arg.len;
    cv_buf_putc(out, mark);
    if (!one)
      cv_buf_putc(out, '(');
    cv_buf_put(out, txt, arg.len);
    if (!one)
      cv_buf_putc(out, ')');
  }
  cv_buf_fini(&arg);
}

/* A command at s[*p] == '\\'. */
static void command(cv_tex_ctx *t, const char *s, size_t *p, size_t n,
                    int verbatim, cv_buf *out) {
  size_t q = *p + 1;
  if (q >= n) {
    *p = q;
    return;
  }
  char c = s[q];
  if (!is_alpha(c)) {
    *p = q + 1;
    const accent *a = verbatim ? NULL : find_accent(c);
    if (a && !is_alpha(c)) {
      put_accent(t, a, s, p, n, out);
      return;
    }
    switch (c) {
    case '\\':
    case ' ':
      cv_buf_putc(out, ' ');
      return;
    case '-': /* discretionary hyphen */
    case '/': /* italic correction */
    case '@':
      return;
    case ',':
    case ';':
    case ':':
      cv_buf_putc(out, ' ');
      return;
    default:
      cv_buf_putc(out, c); /* \& \% \$ \_ \# \{ \} */
      return;
    }
  }
  size_t name = q;
  while (q < n && is_alpha(s[q]))
    q++;
  size_t len = q - name;
  *p = q;
  if (verbatim) {
    cv_buf_put(out, s + name - 1, len + 1);
    return;
  }
  const accent *a = len == 1 ? find_accent(s[name]) : NULL;
  if (a && is_alpha(s[name]) &&
      !(s[name] == 'i' || s[name] == 'j' || s[name] == 'o' || s[name] == 'l' ||
        s[name] == 'L' || s[name] == 'O' || s[name] == 'S' || s[name] == 'P')) {
    put_accent(t, a, s, p, n, out);
    return;
  }
  /* TeX ends a control word at the first non-letter and eats the spaces
   * after it: "\ss e" is "ße".  In mathematics TeX spaces by itself, so
   * the written space stays: "$\log n$" is "log n". */
  if (!t->math)
    skip_spaces(s, p);
  for (int i = 0; symbols[i].name; i++)
    if (strlen(symbols[i].name) == len &&
        !strncmp(symbols[i].name, s + name, len)) {
      cv_buf_puts(out, symbols[i].text);
      return;
    }
  if (in_list(styles, s + name, len))
    return;
  if (in_list(drop_first, s + name, len)) {
    if (*p < n && s[*p] == '{')
      *p = group_end(s, *p);
    return;
  }
  warn_unknown(t, s + name, len);
  cv_buf_put(out, s + name, len);
}

/* Converts n bytes of LaTeX at s to text.  verbatim (addresses, DOIs):
 * only braces and escapes of special characters are undone, so "~" and
 * "--" in an address survive. */
static void convert(cv_tex_ctx *t, const char *s, size_t n, int verbatim,
                    cv_buf *out) {
  int outer = t->math;
  size_t p = 0;
  while (p < n && s[p]) {
    char c = s[p];
    if (c == '{' || c == '}') {
      p++;
      continue;
    }
    if (c == '\\') {
      command(t, s, &p, n, verbatim, out);
      continue;
    }
    if (verbatim) {
      cv_buf_putc(out, c);
      p++;
      continue;
    }
    if (c == '$') {
      t->math = !t->math;
      p++;
      continue;
    }
    if (t->math && (c == '^' || c == '_')) {
      p++;
      script(t, s, &p, n, c, out);
      continue;
    }
    if (!t->math && c == '-' && p + 1 < n && s[p + 1] == '-') {
      int three = p + 2 < n && s[p + 2] == '-';
      cv_buf_puts(out, three ? "—" : "–");
      p += three ? 3 : 2;
      continue;
    }
    if (!t->math && c == '`') {
      int two = p + 1 < n && s[p + 1] == '`';
      cv_buf_puts(out, two ? "“" : "‘");
      p += two ? 2 : 1;
      continue;
    }
    if (!t->math && c == '\'' && p + 1 < n && s[p + 1] == '\'') {
      cv_buf_puts(out, "”");
      p += 2;
      continue;
    }
    if (c == '~') {
      cv_buf_puts(out, "\xc2\xa0"); /* a tie: no-break space */
      p++;
      continue;
    }
    cv_buf_putc(out, c);
    p++;
  }
  /* A $ left open ends with its text. */
  t->math = outer;
}

/* Collapses the spaces that removing braces and commands can leave. */
static char *tidy(cv_arena *a, const cv_buf *b) {
  const char *s = b->data ? b->data : "";
  char *r = cv_arena_alloc(a, b->len + 1);
  if (!r)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < b->len; i++) {
    if (s[i] == ' ' && (o == 0 || r[o - 1] == ' '))
      continue;
    r[o++] = s[i];
  }
  while (o > 0 && r[o - 1] == ' ')
    o--;
  r[o] = 0;
  return r;
}

char *cv_tex_convert(cv_tex_ctx *t, const char *tex, int verbatim,
                     cv_arena *arena) {
  cv_buf out;
  cv_buf_init(&out);
  convert(t, tex ? tex : "", tex ? strlen(tex) : 0, verbatim, &out);
  char *r = out.failed ? NULL : tidy(arena, &out);
  cv_buf_fini(&out);
  return r;
}

/* Where the LaTeX math span starting at s[i] == '$' ends (the index of its
 * closing delimiter), or 0 when s[i] opens none; *w is the delimiter's
 * width.  "$$...$$" is math (RenderCV 1.1 and later); "$...$" is math by
 * Pandoc's rule, so that prices stay text: the opening '$' is followed by
 * a non-space, the closing one follows a non-space and is not followed by
 * a digit. */
static size_t math_end(const char *s, size_t i, size_t *w) {
  *w = s[i + 1] == '$' ? 2 : 1;
  char first = s[i + *w];
  if (!first || first == ' ' || first == '$')
    return 0;
  for (size_t j = i + *w + 1; s[j]; j++) {
    if (s[j] == '\\' && s[j + 1]) {
      j++;
      continue;
    }
    if (s[j] != '$')
      continue;
    if (*w == 2) {
      if (s[j + 1] == '$')
        return j;
    } else if (s[j - 1] != ' ' && !(s[j + 1] >= '0' && s[j + 1] <= '9')) {
      return j;
    }
  }
  return 0;
}

char *cv_latex_math_spans(const char *s, cv_arena *arena, cv_diags *diags,
                          const char *file, int line, int col) {
  if (!s || !strchr(s, '$'))
    return (char *)s;
  cv_tex_ctx t = {.diags = diags, .file = file, .line = line, .col = col};
  cv_buf out;
  cv_buf_init(&out);
  for (size_t i = 0; s[i]; i++) {
    size_t w = 1;
    size_t e =
        s[i] == '$' && (i == 0 || s[i - 1] != '\\') ? math_end(s, i, &w) : 0;
    if (!e) {
      cv_buf_putc(&out, s[i]);
      continue;
    }
    t.math = 1;
    convert(&t, s + i + w, e - i - w, 0, &out);
    t.math = 0;
    i = e + w - 1;
  }
  char *r = out.failed
                ? NULL
                : cv_arena_strndup(arena, out.data ? out.data : "", out.len);
  cv_buf_fini(&out);
  return r;
}

char *cv_latex_to_text(const char *tex, int verbatim, cv_arena *arena,
                       cv_diags *diags, const char *file, int line, int col) {
  cv_tex_ctx t = {.diags = diags, .file = file, .line = line, .col = col};
  return cv_tex_convert(&t, tex, verbatim, arena);
}
