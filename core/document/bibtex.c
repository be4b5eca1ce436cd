/* cvpdf - BibTeX input: libbtparse reads the file, this module turns the
 * entries into positioned document nodes and their LaTeX into Unicode text.
 *
 * libbtparse keeps process-wide state: its lexer and parser statics, the
 * name of the file being read, error counters and the table of @string
 * macros.  It cannot read two files at once, so every call into it happens
 * under one lock (bt_lock), the library is initialised once (pthread_once)
 * and never cleaned up (bt_cleanup would pull the macro table from under
 * another document).  The macro table is emptied at the start of each file,
 * so one file's @string definitions never leak into another's.  This lock is
 * the only process-wide thing here; everything else lives in the caller's
 * arena and diagnostics.  The library prints its own messages about a bad
 * file on stderr (it offers no hook for them); ours, positioned, follow. */
#define _POSIX_C_SOURCE 200809L
#include "document/bibtex.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <btparse.h>

static pthread_once_t bt_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t bt_lock = PTHREAD_MUTEX_INITIALIZER;

static void bt_init_once(void) { bt_initialize(); }

static _Thread_local int read_in_process;

void cv_bibtex_read_in_process(int yes) {
  read_in_process = yes;
}

/* ---- LaTeX to Unicode ------------------------------------------------ */

/* Precomposed letters: for each accent, the ASCII bases that compose with
 * it under Unicode NFC and the code points they compose to.  Other bases
 * get the combining mark after them. */
typedef struct accent {
  char cmd;         /* \' \` \^ ... \v \H ... */
  uint32_t mark;    /* combining mark */
  const char *base; /* letters with a precomposed form */
  const uint16_t *cp;
} accent;

static const accent accents[] = {
    {'\'', 0x0301, "acegiklmnoprsuwyzACEGIKLMNOPRSUWYZ",
     (const uint16_t[]){0xE1,   0x107,  0xE9,  0x1F5,  0xED,   0x1E31, 0x13A,
                        0x1E3F, 0x144,  0xF3,  0x1E55, 0x155,  0x15B,  0xFA,
                        0x1E83, 0xFD,   0x17A, 0xC1,   0x106,  0xC9,   0x1F4,
                        0xCD,   0x1E30, 0x139, 0x1E3E, 0x143,  0xD3,   0x1E54,
                        0x154,  0x15A,  0xDA,  0x1E82, 0xDD,   0x179}},
    {'`', 0x0300, "aeinouwyAEINOUWY",
     (const uint16_t[]){0xE0, 0xE8, 0xEC, 0x1F9, 0xF2, 0xF9, 0x1E81, 0x1EF3,
                        0xC0, 0xC8, 0xCC, 0x1F8, 0xD2, 0xD9, 0x1E80, 0x1EF2}},
    {'^', 0x0302, "aceghijosuwyzACEGHIJOSUWYZ",
     (const uint16_t[]){0xE2,  0x109,  0xEA,  0x11D, 0x125,  0xEE,  0x135,
                        0xF4,  0x15D,  0xFB,  0x175, 0x177,  0x1E91, 0xC2,
                        0x108, 0xCA,   0x11C, 0x124, 0xCE,   0x134, 0xD4,
                        0x15C, 0xDB,   0x174, 0x176, 0x1E90}},
    {'"', 0x0308, "aehiotuwxyAEHIOUWXY",
     (const uint16_t[]){0xE4, 0xEB, 0x1E27, 0xEF, 0xF6, 0x1E97, 0xFC,
                        0x1E85, 0x1E8D, 0xFF, 0xC4, 0xCB, 0x1E26, 0xCF,
                        0xD6, 0xDC, 0x1E84, 0x1E8C, 0x178}},
    {'~', 0x0303, "aeinouvyAEINOUVY",
     (const uint16_t[]){0xE3, 0x1EBD, 0x129, 0xF1, 0xF5, 0x169, 0x1E7D,
                        0x1EF9, 0xC3, 0x1EBC, 0x128, 0xD1, 0xD5, 0x168,
                        0x1E7C, 0x1EF8}},
    {'=', 0x0304, "aegiouyAEGIOUY",
     (const uint16_t[]){0x101, 0x113, 0x1E21, 0x12B, 0x14D, 0x16B, 0x233,
                        0x100, 0x112, 0x1E20, 0x12A, 0x14C, 0x16A, 0x232}},
    {'.', 0x0307, "abcdefghmnoprstwxyzABCDEFGHIMNOPRSTWXYZ",
     (const uint16_t[]){0x227,  0x1E03, 0x10B,  0x1E0B, 0x117,  0x1E1F,
                        0x121,  0x1E23, 0x1E41, 0x1E45, 0x22F,  0x1E57,
                        0x1E59, 0x1E61, 0x1E6B, 0x1E87, 0x1E8B, 0x1E8F,
                        0x17C,  0x226,  0x1E02, 0x10A,  0x1E0A, 0x116,
                        0x1E1E, 0x120,  0x1E22, 0x130,  0x1E40, 0x1E44,
                        0x22E,  0x1E56, 0x1E58, 0x1E60, 0x1E6A, 0x1E86,
                        0x1E8A, 0x1E8E, 0x17B}},
    {'u', 0x0306, "aegiouAEGIOU",
     (const uint16_t[]){0x103, 0x115, 0x11F, 0x12D, 0x14F, 0x16D, 0x102,
                        0x114, 0x11E, 0x12C, 0x14E, 0x16C}},
    {'v', 0x030C, "acdeghijklnorstuzACDEGHIKLNORSTUZ",
     (const uint16_t[]){0x1CE, 0x10D, 0x10F, 0x11B, 0x1E7, 0x21F, 0x1D0,
                        0x1F0, 0x1E9, 0x13E, 0x148, 0x1D2, 0x159, 0x161,
                        0x165, 0x1D4, 0x17E, 0x1CD, 0x10C, 0x10E, 0x11A,
                        0x1E6, 0x21E, 0x1CF, 0x1E8, 0x13D, 0x147, 0x1D1,
                        0x158, 0x160, 0x164, 0x1D3, 0x17D}},
    {'H', 0x030B, "ouOU", (const uint16_t[]){0x151, 0x171, 0x150, 0x170}},
    {'c', 0x0327, "cdeghklnrstCDEGHKLNRST",
     (const uint16_t[]){0xE7,   0x1E11, 0x229,  0x123, 0x1E29, 0x137,
                        0x13C,  0x146,  0x157,  0x15F, 0x163,  0xC7,
                        0x1E10, 0x228,  0x122,  0x1E28, 0x136, 0x13B,
                        0x145,  0x156,  0x15E,  0x162}},
    {'k', 0x0328, "aeiouAEIOU",
     (const uint16_t[]){0x105, 0x119, 0x12F, 0x1EB, 0x173, 0x104, 0x118,
                        0x12E, 0x1EA, 0x172}},
    {'r', 0x030A, "auwyAU",
     (const uint16_t[]){0xE5, 0x16F, 0x1E98, 0x1E99, 0xC5, 0x16E}},
    {'d', 0x0323, "abdehiklmnorstuvwyzABDEHIKLMNORSTUVWYZ",
     (const uint16_t[]){0x1EA1, 0x1E05, 0x1E0D, 0x1EB9, 0x1E25, 0x1ECB,
                        0x1E33, 0x1E37, 0x1E43, 0x1E47, 0x1ECD, 0x1E5B,
                        0x1E63, 0x1E6D, 0x1EE5, 0x1E7F, 0x1E89, 0x1EF5,
                        0x1E93, 0x1EA0, 0x1E04, 0x1E0C, 0x1EB8, 0x1E24,
                        0x1ECA, 0x1E32, 0x1E36, 0x1E42, 0x1E46, 0x1ECC,
                        0x1E5A, 0x1E62, 0x1E6C, 0x1EE4, 0x1E7E, 0x1E88,
                        0x1EF4, 0x1E92}},
    {'b', 0x0331, "bdhklnrtzBDKLNRTZ",
     (const uint16_t[]){0x1E07, 0x1E0F, 0x1E96, 0x1E35, 0x1E3B, 0x1E49,
                        0x1E5F, 0x1E6F, 0x1E95, 0x1E06, 0x1E0E, 0x1E34,
                        0x1E3A, 0x1E48, 0x1E5E, 0x1E6E, 0x1E94}},
    {'t', 0x0361, "", (const uint16_t[]){0}},
};

/* Control words that stand for a character or a short text. */
typedef struct symbol {
  const char *name;
  const char *text;
} symbol;

static const symbol symbols[] = {
    /* Letters of other alphabets. */
    {"ss", "ß"}, {"SS", "SS"}, {"o", "ø"}, {"O", "Ø"}, {"l", "ł"},
    {"L", "Ł"}, {"aa", "å"}, {"AA", "Å"}, {"ae", "æ"}, {"AE", "Æ"},
    {"oe", "œ"}, {"OE", "Œ"}, {"i", "ı"}, {"j", "ȷ"}, {"dh", "ð"},
    {"DH", "Ð"}, {"th", "þ"}, {"TH", "Þ"}, {"ng", "ŋ"}, {"NG", "Ŋ"},
    {"dj", "đ"}, {"DJ", "Đ"},
    /* Punctuation and signs. */
    {"textendash", "–"}, {"textemdash", "—"}, {"ldots", "…"},
    {"dots", "…"}, {"textellipsis", "…"}, {"textquoteleft", "‘"},
    {"textquoteright", "’"}, {"textquotedblleft", "“"},
    {"textquotedblright", "”"}, {"guillemotleft", "«"},
    {"guillemotright", "»"}, {"copyright", "©"}, {"textcopyright", "©"},
    {"textregistered", "®"}, {"texttrademark", "™"}, {"S", "§"},
    {"P", "¶"}, {"pounds", "£"}, {"euro", "€"}, {"texteuro", "€"},
    {"textdegree", "°"}, {"textbackslash", "\\"}, {"textasciitilde", "~"},
    {"textunderscore", "_"}, {"textbar", "|"}, {"textless", "<"},
    {"textgreater", ">"}, {"textbullet", "•"}, {"dag", "†"}, {"ddag", "‡"},
    {"TeX", "TeX"}, {"LaTeX", "LaTeX"}, {"BibTeX", "BibTeX"},
    {"quad", " "}, {"qquad", " "},
    /* Mathematics, in or out of $...$. */
    {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"},
    {"epsilon", "ϵ"}, {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"},
    {"theta", "θ"}, {"iota", "ι"}, {"kappa", "κ"}, {"lambda", "λ"},
    {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"}, {"pi", "π"}, {"rho", "ρ"},
    {"sigma", "σ"}, {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "ϕ"},
    {"varphi", "φ"}, {"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"},
    {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"}, {"Lambda", "Λ"},
    {"Xi", "Ξ"}, {"Pi", "Π"}, {"Sigma", "Σ"}, {"Phi", "Φ"}, {"Psi", "Ψ"},
    {"Omega", "Ω"}, {"ell", "ℓ"}, {"infty", "∞"}, {"times", "×"},
    {"pm", "±"}, {"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"},
    {"neq", "≠"}, {"ne", "≠"}, {"approx", "≈"}, {"sim", "∼"},
    {"cdot", "·"}, {"to", "→"}, {"rightarrow", "→"}, {"leftarrow", "←"},
    {"in", "∈"}, {"sum", "∑"}, {"log", "log"}, {"sqrt", "√"},
    {"partial", "∂"}, {"nabla", "∇"}, {"mid", "|"},
    {NULL, NULL}};

/* Commands that only style their argument: the argument is kept. */
static const char *const styles[] = {
    "textbf", "textit", "textsl", "emph", "texttt", "textsc", "textsf",
    "textrm", "textup", "textmd", "textnormal", "mathrm", "mathbf", "mathit",
    "mathcal", "mathbb", "mathsf", "mathtt", "boldsymbol", "operatorname",
    "text", "mbox", "hbox", "url", "em", "it", "bf", "sc", "rm", "tt", "sf",
    "sl", "normalfont", "relax", "protect", "small", "footnotesize", "large",
    "Large", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase",
    "nolinkurl", "ensuremath", "left", "right", NULL};

/* Commands whose first argument is not printed: sort keys, link targets. */
static const char *const drop_first[] = {"noopsort", "href", "SortNoop",
                                         "sortnoop", NULL};

typedef struct tex_ctx {
  cv_diags *diags;
  const char *file;
  int line, col; /* where the text being converted comes from */
  char warned[32][32]; /* unknown commands already reported */
  int nwarned;
  int math; /* inside $...$ */
} tex_ctx;

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

static void convert(tex_ctx *t, const char *s, size_t n, int verbatim,
                    cv_buf *out);

static void warn_unknown(tex_ctx *t, const char *name, size_t n) {
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
static void put_accent(tex_ctx *t, const accent *a, const char *s, size_t *p,
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
  const char *hit = is_alpha(base) ? strchr(a->base, base) : NULL;
  if (hit) {
    put_cp(out, a->cp[hit - a->base]);
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

/* A command at s[*p] == '\\'. */
static void command(tex_ctx *t, const char *s, size_t *p, size_t n,
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
      !(s[name] == 'i' || s[name] == 'j' || s[name] == 'o' ||
        s[name] == 'l' || s[name] == 'L' || s[name] == 'O' ||
        s[name] == 'S' || s[name] == 'P')) {
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
static void convert(tex_ctx *t, const char *s, size_t n, int verbatim,
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

char *cv_latex_to_text(const char *tex, int verbatim, cv_arena *arena,
                       cv_diags *diags, const char *file, int line, int col) {
  tex_ctx t;
  memset(&t, 0, sizeof t);
  t.diags = diags;
  t.file = file;
  t.line = line;
  t.col = col;
  cv_buf out;
  cv_buf_init(&out);
  convert(&t, tex ? tex : "", tex ? strlen(tex) : 0, verbatim, &out);
  char *r = out.failed ? NULL : tidy(arena, &out);
  cv_buf_fini(&out);
  return r;
}

/* ---- positions ------------------------------------------------------- */

typedef struct lines {
  const char *buf;
  size_t len;
  size_t *start; /* byte offset of each line */
  size_t n;
} lines;

static int lines_init(lines *l, const char *buf, size_t len) {
  l->buf = buf;
  l->len = len;
  l->n = 0;
  size_t count = 1;
  for (size_t i = 0; i < len; i++)
    count += buf[i] == '\n';
  l->start = cv_malloc_n(count, sizeof *l->start);
  if (!l->start)
    return -1;
  l->start[l->n++] = 0;
  for (size_t i = 0; i < len; i++)
    if (buf[i] == '\n')
      l->start[l->n++] = i + 1;
  return 0;
}

/* Column (1-based, in characters) of the first case-insensitive match of
 * word on 1-based line `line` at or after character column `from`, or
 * `from` when it is not there. */
static int find_col(const lines *l, int line, const char *word, int from) {
  if (line < 1 || (size_t)line > l->n || !word || !*word)
    return from;
  size_t a = l->start[line - 1];
  size_t z = (size_t)line < l->n ? l->start[line] : l->len;
  size_t w = strlen(word);
  int col = 1;
  for (size_t i = a; i < z; i++) {
    if ((l->buf[i] & 0xC0) == 0x80)
      continue;
    if (col >= from && i + w <= z && !strncasecmp(l->buf + i, word, w))
      return col;
    col++;
  }
  return from;
}

/* Line and column of byte offset off. */
static void pos_of(const lines *l, size_t off, int *line, int *col) {
  size_t lo = 0, hi = l->n;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (l->start[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  int c = 1;
  for (size_t i = l->start[lo]; i < off; i++)
    c += (l->buf[i] & 0xC0) != 0x80;
  *line = (int)lo + 1;
  *col = c;
}

/* ---- nodes ----------------------------------------------------------- */

typedef struct loader {
  cv_arena *arena;
  cv_diags *diags;
  const char *file; /* in the arena: nodes borrow it */
  lines lines;
  tex_ctx tex;
  int oom;
} loader;

static cvpdf_node *scalar(loader *ld, int line, int col, const char *s) {
  cvpdf_node *n = cv_arena_alloc(ld->arena, sizeof *n);
  char *copy = s ? cv_arena_strdup(ld->arena, s) : NULL;
  if (!n || !copy) {
    ld->oom = 1;
    return NULL;
  }
  n->kind = CVPDF_NODE_SCALAR;
  n->file = ld->file;
  n->line = line;
  n->col = col;
  n->str = copy;
  n->len = strlen(copy);
  n->quoted = 1; /* text, never a YAML number or boolean */
  return n;
}

/* A growing list of pairs or items, copied into the arena when done. */
typedef struct nodelist {
  cvpdf_node **keys, **items;
  size_t n, cap, kcap;
} nodelist;

static int nl_push(loader *ld, nodelist *l, cvpdf_node *key,
                   cvpdf_node *item) {
  if (!item || cv_grow((void **)&l->items, &l->cap, l->n + 1,
                       sizeof *l->items) ||
      cv_grow((void **)&l->keys, &l->kcap, l->n + 1, sizeof *l->keys)) {
    ld->oom = 1;
    return -1;
  }
  l->keys[l->n] = key;
  l->items[l->n++] = item;
  return 0;
}

static cvpdf_node *nl_finish(loader *ld, nodelist *l, cvpdf_node_kind kind,
                             int line, int col) {
  cvpdf_node *n = cv_arena_alloc(ld->arena, sizeof *n);
  cvpdf_node **items = cv_arena_alloc_n(ld->arena, l->n ? l->n : 1,
                                        sizeof *items);
  cvpdf_node **keys = kind == CVPDF_NODE_MAP
                          ? cv_arena_alloc_n(ld->arena, l->n ? l->n : 1,
                                             sizeof *keys)
                          : NULL;
  if (!n || !items || (kind == CVPDF_NODE_MAP && !keys)) {
    ld->oom = 1;
  } else {
    if (l->n)
      memcpy(items, l->items, l->n * sizeof *items);
    if (keys && l->n)
      memcpy(keys, l->keys, l->n * sizeof *keys);
    n->kind = kind;
    n->file = ld->file;
    n->line = line;
    n->col = col;
    n->n = l->n;
    n->items = items;
    n->keys = keys;
  }
  free(l->items);
  free(l->keys);
  memset(l, 0, sizeof *l);
  return ld->oom ? NULL : n;
}

static int add_pair(loader *ld, nodelist *m, const char *key, int line,
                    int col, cvpdf_node *value) {
  return nl_push(ld, m, scalar(ld, line, col, key), value);
}

/* The text of a field: its pieces (strings, numbers, @string macros)
 * pasted and its spaces collapsed.  libbtparse has normally done both
 * already (see parse_locked); a macro left unexpanded is undefined. */
static char *field_text(loader *ld, AST *field, int line, int col) {
  cv_buf b;
  cv_buf_init(&b);
  bt_nodetype type;
  char *text = NULL;
  AST *v = NULL;
  while ((v = bt_next_value(field, v, &type, &text))) {
    if (!text)
      continue;
    if (type != BTAST_MACRO) {
      cv_buf_puts(&b, text);
    } else if (bt_macro_length(text) > 0) {
      const char *m = bt_macro_text(text, (char *)ld->file, line);
      cv_buf_puts(&b, m ? m : "");
    } else {
      cv_diags_add(ld->diags, CV_SEV_WARNING, ld->file, line, col,
                   "undefined BibTeX macro '%s': the field is left empty "
                   "(define it with @string{%s = {...}} before this entry, "
                   "or write the value in braces)",
                   text, text);
    }
  }
  if (b.failed) {
    cv_buf_fini(&b);
    return NULL;
  }
  char *r = cv_strdup(b.data ? b.data : "");
  cv_buf_fini(&b);
  if (r) {
    for (char *q = r; *q; q++)
      if (*q == '\t' || *q == '\n' || *q == '\r')
        *q = ' ';
    bt_postprocess_string(r, BTO_COLLAPSE);
  }
  return r;
}

static char *text_of(loader *ld, const char *tex, int verbatim, int line,
                     int col) {
  ld->tex.line = line;
  ld->tex.col = col;
  tex_ctx *t = &ld->tex;
  cv_buf out;
  cv_buf_init(&out);
  convert(t, tex, strlen(tex), verbatim, &out);
  char *r = out.failed ? NULL : tidy(ld->arena, &out);
  cv_buf_fini(&out);
  if (!r)
    ld->oom = 1;
  return r;
}

static void put_tokens(cv_buf *b, char **tok, int n) {
  for (int i = 0; i < n; i++) {
    if (b->len)
      cv_buf_putc(b, ' ');
    cv_buf_puts(b, tok[i]);
  }
}

/* "Last, First and von Last, Jr, First" into a sequence of "First von
 * Last, Jr" names.  Braces keep a name or a corporate author whole. */
static cvpdf_node *names(loader *ld, char *tex, int line, int col) {
  nodelist seq = {0};
  bt_stringlist *list =
      bt_split_list(tex, "and", (char *)ld->file, line, "name");
  for (int i = 0; list && i < list->num_items; i++) {
    char *item = list->items[i];
    if (!item)
      continue;
    if (!strcmp(item, "others")) {
      nl_push(ld, &seq, NULL, scalar(ld, line, col, "et al."));
      continue;
    }
    bt_name *nm = bt_split_name(item, (char *)ld->file, line, i + 1);
    if (!nm)
      continue;
    cv_buf b;
    cv_buf_init(&b);
    put_tokens(&b, nm->parts[BTN_FIRST], nm->part_len[BTN_FIRST]);
    put_tokens(&b, nm->parts[BTN_VON], nm->part_len[BTN_VON]);
    put_tokens(&b, nm->parts[BTN_LAST], nm->part_len[BTN_LAST]);
    if (nm->part_len[BTN_JR]) {
      cv_buf_putc(&b, ',');
      put_tokens(&b, nm->parts[BTN_JR], nm->part_len[BTN_JR]);
    }
    bt_free_name(nm);
    char *text = b.failed ? NULL : text_of(ld, b.data ? b.data : "", 0,
                                           line, col);
    cv_buf_fini(&b);
    /* A tie inside a name ("Ada~Lovelace") is a plain space, so the name
     * matches the forms the CV highlights. */
    for (char *q = text ? strstr(text, "\xc2\xa0") : NULL; q;
         q = strstr(q, "\xc2\xa0"))
      memmove(q, q + 1, strlen(q + 1) + 1), *q = ' ';
    if (text && *text)
      nl_push(ld, &seq, NULL, scalar(ld, line, col, text));
  }
  if (list)
    bt_free_list(list);
  return nl_finish(ld, &seq, CVPDF_NODE_SEQ, line, col);
}

static const char *const month_names[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};

/* 1-12 for "jan", "January", "5", "05", "Sept."; 0 when not a month. */
static int month_number(const char *s) {
  while (*s == ' ')
    s++;
  if (s[0] >= '0' && s[0] <= '9') {
    int m = atoi(s);
    return m >= 1 && m <= 12 ? m : 0;
  }
  for (int i = 0; i < 12; i++)
    if (!strncasecmp(s, month_names[i], 3))
      return i + 1;
  return 0;
}

static int is_year(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int is_verbatim(const char *field) {
  static const char *const v[] = {"url", "doi", "eprint", "file", "isbn",
                                  "issn", "pdf", "code", NULL};
  return in_list(v, field, strlen(field));
}

/* One regular entry into a mapping. */
static cvpdf_node *entry(loader *ld, AST *e) {
  nodelist m = {0};
  int line = e->line;
  int at_col = find_col(&ld->lines, line, "@", 1);
  const char *type = bt_entry_type(e);
  const char *key = bt_entry_key(e);
  char *lower = cv_arena_strdup(ld->arena, type ? type : "");
  if (!lower) {
    ld->oom = 1;
    return NULL;
  }
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  int key_col = key ? find_col(&ld->lines, line, key, at_col) : at_col;
  add_pair(ld, &m, "key", line, key_col, scalar(ld, line, key_col, key ? key : ""));
  add_pair(ld, &m, "type", line, at_col, scalar(ld, line, at_col, lower));
  cvpdf_node *year = NULL, *month = NULL, *date = NULL;
  char *name = NULL;
  AST *f = NULL;
  while (!ld->oom && (f = bt_next_field(e, f, &name))) {
    int fl = f->line;
    /* Field names as BibTeX reads them: case does not matter. */
    name = cv_arena_strdup(ld->arena, name ? name : "");
    if (!name) {
      ld->oom = 1;
      break;
    }
    for (char *q = name; *q; q++)
      if (*q >= 'A' && *q <= 'Z')
        *q = (char)(*q - 'A' + 'a');
    int fc = find_col(&ld->lines, fl, name, 1);
    char *tex = field_text(ld, f, fl, fc);
    if (!tex) {
      ld->oom = 1;
      break;
    }
    cvpdf_node *v;
    if (!strcmp(name, "author") || !strcmp(name, "editor")) {
      v = names(ld, tex, fl, fc);
    } else {
      char *text = text_of(ld, tex, is_verbatim(name), fl, fc);
      v = text ? scalar(ld, fl, fc, text) : NULL;
    }
    free(tex);
    if (!v)
      break;
    if (!strcmp(name, "year"))
      year = v;
    else if (!strcmp(name, "month"))
      month = v;
    else if (!strcmp(name, "date"))
      date = v;
    add_pair(ld, &m, name, fl, fc, v);
  }
  /* A year with a month, or a biblatex date, becomes `date` in the form
   * "2021-05" that CV dates accept. */
  if (!ld->oom && date && is_year(date->str)) {
    int mo = date->str[4] == '-' ? month_number(date->str + 5) : 0;
    date->str = mo ? cv_arena_printf(ld->arena, "%.4s-%02d", date->str, mo)
                   : cv_arena_strndup(ld->arena, date->str, 4);
    if (!date->str)
      ld->oom = 1;
    else
      date->len = strlen(date->str);
  } else if (!ld->oom && !date && year && month && is_year(year->str) &&
             month_number(month->str)) {
    char *d = cv_arena_printf(ld->arena, "%.4s-%02d", year->str,
                              month_number(month->str));
    add_pair(ld, &m, "date", month->line, month->col,
             d ? scalar(ld, month->line, month->col, d) : NULL);
  }
  return nl_finish(ld, &m, CVPDF_NODE_MAP, line, at_col);
}

/* ---- the file -------------------------------------------------------- */

static const char *const month_macros[][2] = {
    {"jan", "January"}, {"feb", "February"}, {"mar", "March"},
    {"apr", "April"},   {"may", "May"},      {"jun", "June"},
    {"jul", "July"},    {"aug", "August"},   {"sep", "September"},
    {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};

/* Parses every entry of the file; called with bt_lock held. */
static cvpdf_node *parse_locked(loader *ld, FILE *f, const char *buf,
                                size_t len) {
  nodelist seq = {0};
  /* The standard month macros, and no @string left from another file. */
  bt_delete_all_macros();
  for (int i = 0; i < 12; i++) {
    char name[4], text[16];
    snprintf(name, sizeof name, "%s", month_macros[i][0]);
    snprintf(text, sizeof text, "%s", month_macros[i][1]);
    bt_add_macro_text(name, text, NULL, 0);
  }
  /* libbtparse expands and pastes values as it parses (its default string
   * options, set again in case anything in the process changed them).  It
   * warns about an undefined macro only on stderr, and leaks the empty
   * value it stands for: a few bytes per such field, left as they are
   * because parsing raw values instead leaks on every field. */
  bt_set_stringopts(BTE_REGULAR, BTO_FULL);
  bt_reset_error_counts();
  int failed = 0;
  boolean ok = 1;
  AST *e;
  while ((e = bt_parse_entry(f, (char *)ld->file, 0, &ok))) {
    if (!ok) {
      int col = find_col(&ld->lines, e->line, "@", 1);
      const char *key = bt_entry_key(e);
      const char *type = bt_entry_type(e);
      cv_diags_add(ld->diags, CV_SEV_ERROR, ld->file, e->line, col,
                   "BibTeX entry '@%s{%s' does not parse: expected fields "
                   "written name = {value} or name = \"value\", separated "
                   "by commas, with balanced braces and quotes, and the "
                   "entry closed by '}'",
                   type ? type : "", key ? key : "");
      failed = 1;
    } else if (!failed && bt_entry_metatype(e) == BTE_REGULAR) {
      nl_push(ld, &seq, NULL, entry(ld, e));
    }
    bt_free_ast(e);
    if (ld->oom)
      break;
  }
  /* libbtparse keeps the file it is reading in static data, cleared only
   * when a call finds that file at its end; after some lexical errors the
   * call that returned NULL has not cleared it, and a later call with
   * another file then ends the process (exit, in the library).  So after
   * such errors the library is asked once more, with the file at its end
   * (after a clean read that only earns a warning on stderr). */
  if (bt_get_error_count(BTERR_LEXERR) || bt_get_error_count(BTERR_SYNTAX)) {
    while (fgetc(f) != EOF)
      ;
    for (int i = 0; i < 2; i++) {
      AST *rest = bt_parse_entry(f, (char *)ld->file, 0, NULL);
      if (!rest)
        break;
      bt_free_ast(rest);
    }
  }
  if (!ld->oom && !failed &&
      (bt_get_error_count(BTERR_SYNTAX) || bt_get_error_count(BTERR_LEXERR))) {
    /* An error outside any entry (text after the last one, a lone '@'). */
    int line, col;
    pos_of(&ld->lines, len, &line, &col);
    cv_diags_add(ld->diags, CV_SEV_ERROR, ld->file, line, col,
                 "BibTeX file does not parse: expected entries written "
                 "@type{key, name = {value}, ...}");
    failed = 1;
  }
  (void)buf;
  cvpdf_node *root = nl_finish(ld, &seq, CVPDF_NODE_SEQ, 1, 1);
  return failed ? NULL : root;
}

typedef struct key_ref {
  const cvpdf_node *key;
  size_t entry;
} key_ref;

static int key_ref_cmp(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  int c = strcmp(x->key->str, y->key->str);
  return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* Keys given twice are a warning: the CV prints both, BibTeX would not.
 * The keys are sorted once (by key, then file order), so a file of any
 * size is checked in n log n; the warnings still come in file order.
 * Returns -1 when out of memory. */
static int check_keys(loader *ld, const cvpdf_node *seq) {
  size_t n = seq->n, m = 0;
  key_ref *v = cv_malloc_n(n ? n : 1, sizeof *v);
  const cvpdf_node **first = cv_calloc_n(n ? n : 1, sizeof *first);
  if (!v || !first) {
    free(v);
    free(first);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *k = cv_node_get(seq->items[i], "key");
    if (k && k->str)
      v[m++] = (key_ref){k, i};
  }
  qsort(v, m, sizeof *v, key_ref_cmp);
  for (size_t j = 1, g = 0; j < m; j++) {
    if (strcmp(v[j].key->str, v[g].key->str))
      g = j;
    else
      first[v[j].entry] = v[g].key;
  }
  for (size_t i = 0; i < n; i++) {
    if (!first[i])
      continue;
    const cvpdf_node *k = cv_node_get(seq->items[i], "key");
    cv_diags_add(ld->diags, CV_SEV_WARNING, ld->file, k->line, k->col,
                 "BibTeX key '%s' is used twice (first at line %d); "
                 "both entries are printed",
                 k->str, first[i]->line);
  }
  free(v);
  free(first);
  return 0;
}

/* libbtparse ends the whole process (exit) on some malformed input, e.g.
 * "bt_postprocess_field: invalid AST node".  So a child process reads the
 * file first, exactly as it will be read here; only when the child comes
 * back cleanly does this process read it.  Called with bt_lock held, so the
 * child starts from the library's state between two files.  Returns 1 when
 * the file is safe to read, 0 (with the library's last message in why)
 * when the reader would have stopped the process; a failure to start the
 * child counts as unsafe. */
static int reader_survives(loader *ld, const char *buf, size_t len, char *why,
                           size_t cap) {
  why[0] = '\0';
  if (read_in_process)
    return 1;
  int fds[2];
  if (pipe(fds) < 0) {
    snprintf(why, cap, "%s", strerror(errno));
    return 0;
  }
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(why, cap, "%s", strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2); /* the library's messages tell the parent why */
    FILE *f = fmemopen((void *)buf, len, "r");
    if (f)
      (void)parse_locked(ld, f, buf, len);
    _exit(f ? 0 : 3);
  }
  close(fds[1]);
  char out[4096];
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fds[0], out + n, sizeof out - 1 - n);
    if (r > 0 && n + (size_t)r < sizeof out - 1) {
      n += (size_t)r;
      continue;
    }
    if (r < 0 && errno == EINTR)
      continue;
    if (r > 0) { /* full: keep the latest messages */
      n += (size_t)r;
      memmove(out, out + n / 2, n - n / 2);
      n -= n / 2;
      continue;
    }
    break;
  }
  close(fds[0]);
  out[n] = '\0';
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(why, cap, "%s", strerror(errno));
      return 0;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 1;
  /* The last line the library printed says what stopped it. */
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
    out[--n] = '\0';
  char *last = strrchr(out, '\n');
  const char *msg = last ? last + 1 : out;
  size_t ml = strlen(msg);
  if (ml >= cap)
    ml = cap - 1;
  memcpy(why, msg, ml);
  why[ml] = '\0';
  return 0;
}

const cvpdf_node *cv_bibtex_load(const char *path, const cvpdf_node *at,
                                 cv_arena *arena, cv_diags *diags) {
  char why[256];
  struct stat sb;
  int fd = cv_input_open(NULL, path, 0, NULL, &sb, why, sizeof why);
  if (fd < 0) {
    cv_diags_add(diags, CV_SEV_ERROR, at ? at->file : NULL, at ? at->line : 0,
                 at ? at->col : 0, "cannot read BibTeX file '%s': %s", path,
                 why);
    return NULL;
  }
  const cvpdf_node *n = cv_bibtex_load_fd(fd, path, at, arena, diags);
  close(fd);
  return n;
}

const cvpdf_node *cv_bibtex_load_fd(int fd, const char *path,
                                    const cvpdf_node *at, cv_arena *arena,
                                    cv_diags *diags) {
  const char *afile = at ? at->file : NULL;
  int aline = at ? at->line : 0, acol = at ? at->col : 0;
  size_t len = 0;
  int err = 0;
  struct stat sb;
  size_t hint = fstat(fd, &sb) == 0 ? (size_t)sb.st_size : 0;
  char *buf = cv_input_read(fd, hint, (size_t)16 << 20, &len, &err);
  if (!buf) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path,
                 err == EFBIG ? "larger than 16 MiB" : strerror(err));
    return NULL;
  }
  loader ld;
  memset(&ld, 0, sizeof ld);
  ld.arena = arena;
  ld.diags = diags;
  ld.file = cv_arena_strdup(arena, path);
  ld.tex.diags = diags;
  ld.tex.file = ld.file;
  if (!ld.file || lines_init(&ld.lines, buf, len)) {
    free(buf);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    return NULL;
  }
  const cvpdf_node *root = NULL;
  size_t bad = cv_utf8_check(buf, len);
  const char *nul = memchr(buf, 0, len);
  if (nul && (bad == (size_t)-1 || (size_t)(nul - buf) < bad))
    bad = (size_t)(nul - buf);
  if (bad != (size_t)-1) {
    int line, col;
    pos_of(&ld.lines, bad, &line, &col);
    cv_diags_add(diags, CV_SEV_ERROR, ld.file, line, col,
                 "expected UTF-8 text, found byte 0x%02X (save the file as "
                 "UTF-8, or write accents in LaTeX such as {\\'e})",
                 (unsigned char)buf[bad]);
    goto done;
  }
  if (len == 0) {
    /* fmemopen refuses an empty buffer; an empty file has no entries. */
    nodelist none = {0};
    root = nl_finish(&ld, &none, CVPDF_NODE_SEQ, 1, 1);
    goto done;
  }
  FILE *f = fmemopen(buf, len, "r");
  if (!f) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path, strerror(errno));
    goto done;
  }
  int rc = pthread_once(&bt_once, bt_init_once);
  if (rc == 0)
    rc = pthread_mutex_lock(&bt_lock);
  if (rc != 0) {
    fclose(f);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path, strerror(rc));
    goto done;
  }
  char why[512];
  if (!reader_survives(&ld, buf, len, why, sizeof why)) {
    pthread_mutex_unlock(&bt_lock);
    fclose(f);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': expected BibTeX entries, "
                 "found input the BibTeX reader stops on (%s)",
                 path, why[0] ? why : "no message");
    goto done;
  }
  cvpdf_node *seq = parse_locked(&ld, f, buf, len);
  pthread_mutex_unlock(&bt_lock);
  fclose(f);
  if (ld.oom) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    goto done;
  }
  if (seq && check_keys(&ld, seq) < 0) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    goto done;
  }
  root = seq;
done:
  free(ld.lines.start);
  free(buf);
  return root;
}
