/* Tests of core/document/bibtex.c: LaTeX to Unicode, entries and names read
 * from tests/bibtex/refs.bib, positions and error messages. */
#define _POSIX_C_SOURCE 200809L
#include "document/bibtex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libbtparse leaks the empty value of an undefined @string macro (tested
 * below); that leak is the library's, not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:bt_postprocess_value\n";
}

static int failures;

static void check(int cond, const char *what, const char *details) {
  if (cond) {
    printf("ok - %s\n", what);
  } else {
    printf("FAIL - %s: %s\n", what, details ? details : "");
    failures++;
  }
}

static void check_int(long got, long want, const char *what) {
  char d[96];
  snprintf(d, sizeof d, "got %ld, want %ld", got, want);
  check(got == want, what, d);
}

static void check_str(const char *got, const char *want, const char *what) {
  char d[1024];
  snprintf(d, sizeof d, "got '%s', want '%s'", got ? got : "(null)", want);
  check(got && strcmp(got, want) == 0, what, d);
}

static const char *diag_text(const cv_diags *d, size_t i) {
  static char out[1024];
  out[0] = '\0';
  if (i >= d->n)
    return out;
  cv_buf b;
  cv_buf_init(&b);
  cv_diag_format(&d->v[i], &b);
  if (b.data)
    snprintf(out, sizeof out, "%s", b.data);
  cv_buf_fini(&b);
  return out;
}

static void conversions(void) {
  static const char *const cases[][2] = {
      {"Veli\\v{c}kovi\\'{c}", "Veličković"},
      {"{Veli\\v{c}kovi\\'{c}}", "Veličković"},
      {"G{\\\"o}del", "Gödel"},
      {"{\\\"o}", "ö"},
      {"\\\"{o}", "ö"},
      {"\\\"o", "ö"},
      {"Erd\\H{o}s", "Erdős"},
      {"Erd{\\H o}s", "Erdős"},
      {"{\\L}ukasiewicz", "Łukasiewicz"},
      {"{\\AA}ngstr{\\\"o}m", "Ångström"},
      {"\\'e \\`e \\^e \\~n", "é è ê ñ"},
      {"{\\'e}{\\`e}{\\^e}{\\~n}", "éèêñ"},
      {"\\c{c} \\c c {\\c{c}}", "ç ç ç"},
      {"\\u{g} \\v{s} \\k{a} \\={a} \\.{z} \\r{a}", "ğ š ą ā ż å"},
      {"Stra{\\ss}e Gro\\ss e", "Straße Große"},
      {"\\o{} \\O{} \\l{} \\L{} \\aa{} {\\AA} {\\ae} {\\AE} {\\oe} {\\OE}",
       "ø Ø ł Ł å Å æ Æ œ Œ"},
      /* TeX eats the space after a control word. */
      {"\\o \\O x", "øØx"},
      {"\\'{\\i}", "í"},
      {"\\'\\i", "í"},
      {"{\\i}{\\j}", "ıȷ"},
      {"1--42", "1–42"},
      {"A --- B", "A — B"},
      {"``quoted''", "“quoted”"},
      {"O'Connor", "O'Connor"},
      {"A~B", "A\xc2\xa0"
              "B"},
      {"\\& \\% \\$ \\_ \\# \\{ \\}", "& % $ _ # { }"},
      {"$O(n \\log n)$ and $k$-means", "O(n log n) and k-means"},
      {"$\\alpha$-{NET}", "α-NET"},
      {"{Protected Title Case}", "Protected Title Case"},
      {"\\emph{Deep} \\textbf{Nets}", "Deep Nets"},
      {"\\href{https://x.org}{Link}", "Link"},
      {"{\\noopsort{a}}Zeta", "Zeta"},
      {"Z\\\"urich", "Zürich"},
      {"\\'{}", "'"},
      {"Antonín", "Antonín"},
      {"\\v{\\'e}", "é\xcc\x8c"},
  };
  cv_arena a;
  cv_arena_init(&a);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char what[160];
    snprintf(what, sizeof what, "convert %s", cases[i][0]);
    check_str(cv_latex_to_text(cases[i][0], 0, &a, NULL, NULL, 0, 0),
              cases[i][1], what);
  }
  check_str(
      cv_latex_to_text("https://x.org/~a/b--c\\_d", 1, &a, NULL, NULL, 0, 0),
      "https://x.org/~a/b--c_d", "verbatim keeps ~ and --");

  /* An unknown command: backslash dropped, argument kept, one warning. */
  cv_diags d;
  cv_diags_init(&d);
  check_str(
      cv_latex_to_text("\\foo{bar} and \\foo{baz}", 0, &a, &d, "r.bib", 7, 3),
      "foobar and foobaz", "unknown command printed without backslash");
  check_int((long)d.n, 1, "unknown command warned once");
  check_str(diag_text(&d, 0),
            "r.bib:7:3: warning: unknown LaTeX command '\\foo': printed as "
            "'foo' (write the text it stands for instead)",
            "unknown command warning text");
  cv_diags_fini(&d);
  cv_arena_fini(&a);
}

static const cvpdf_node *entry_with_key(const cvpdf_node *seq,
                                        const char *key) {
  for (size_t i = 0; i < cv_node_len(seq); i++)
    if (!strcmp(cv_node_get_str(cv_node_at(seq, i), "key"), key))
      return cv_node_at(seq, i);
  return NULL;
}

static const char *author(const cvpdf_node *e, size_t i) {
  return cv_node_str(cv_node_at(cv_node_get(e, "author"), i));
}

static void refs(void) {
  cv_arena a;
  cv_arena_init(&a);
  cv_diags d;
  cv_diags_init(&d);
  const cvpdf_node *seq = cv_bibtex_load("tests/bibtex/refs.bib", NULL, &a, &d);
  check(seq != NULL, "refs.bib loads", diag_text(&d, 0));
  check_int((long)d.n, 0, "refs.bib has no diagnostics");
  check_int((long)cv_node_len(seq), 20, "refs.bib has 20 entries");

  const cvpdf_node *e = cv_node_at(seq, 0);
  check_str(cv_node_get_str(e, "key"), "velickovic2018gat", "first key");
  check_str(cv_node_get_str(e, "type"), "article", "first type");
  check_int(e ? e->line : 0, 7, "entry line");
  check_int(e ? e->col : 0, 1, "entry column");
  check_str(cv_node_get_str(e, "title"), "Graph Attention Networks", "title");
  check_int((long)cv_node_len(cv_node_get(e, "author")), 3, "three authors");
  check_str(author(e, 0), "Petar Veličković", "Last, First with braces");
  check_str(author(e, 1), "Ada Lovelace", "First Last");
  check_str(author(e, 2), "Guillem Cucurull", "third author");
  const cvpdf_node *au = cv_node_get(e, "author");
  check_int(au ? au->line : 0, 8, "author field line");
  check_int(au ? au->col : 0, 3, "author field column");
  check_str(cv_node_get_str(e, "journal"),
            "Journal of Machine Learning Research", "@string macro");
  check_str(cv_node_get_str(e, "pages"), "1–42", "page range dash");
  check_str(cv_node_get_str(e, "month"), "May", "month macro");
  check_str(cv_node_get_str(e, "date"), "2018-05", "date from year+month");
  check_str(cv_node_get_str(e, "doi"), "10.5555/gat.2018", "doi");

  e = entry_with_key(seq, "lovelace2024sparse");
  check_str(cv_node_get_str(e, "title"),
            "Sparse Attention Without Tears: Protected Title Case for LLMs",
            "protected words lose their braces");
  check_str(author(e, 1), "Kurt Gödel", "Gödel");
  check_str(author(e, 2), "Paul Erdős", "Erdős");
  check_str(cv_node_get_str(e, "booktitle"),
            "Advances in Neural Information Processing Systems (NeurIPS)",
            "macro in booktitle");
  check_str(cv_node_get_str(e, "year"), "2024", "number as year");
  check_str(cv_node_get_str(e, "url"),
            "https://example.org/papers/sparse~tears", "url verbatim");
  check_str(cv_node_get_str(e, "note"),
            "Oral presentation, top 1% of submissions", "note");

  e = entry_with_key(seq, "lukasiewicz2023logic");
  check_str(author(e, 0), "Jan Łukasiewicz", "Łukasiewicz");
  e = entry_with_key(seq, "angstrom2022spectra");
  check_str(author(e, 0), "Anders Jonas Ångström", "Ångström");
  check_str(cv_node_get_str(e, "title"),
            "Spectral Methods at the Ångström Scale", "Ångström in title");
  e = entry_with_key(seq, "oconnor2017survey");
  check_str(author(e, 0), "Siobhán O'Connor", "O'Connor, Siobhán");
  check_str(author(e, 2), "et al.", "others");
  e = entry_with_key(seq, "lovelace2017workshop");
  check_str(author(e, 1), "Google Research", "braced name kept whole");
  e = entry_with_key(seq, "dvorak2020music");
  check_str(author(e, 0), "Antonín Dvořák", "{\\'\\i} and {\\v r}");
  check_str(cv_node_get_str(e, "title"),
            "Harmonic Analysis of Slavonic Dances — A Retrospective",
            "em dash");
  e = entry_with_key(seq, "zolkiewski2014groups");
  check_str(author(e, 0), "Stanisław Żółkiewski", "Żółkiewski");
  e = entry_with_key(seq, "ramirez2014planning");
  check_str(author(e, 1), "Ayşe Şahin", "{\\c S}ahin");
  e = entry_with_key(seq, "lovelace2025preprint");
  check_str(cv_node_get_str(e, "title"),
            "Scaling Laws for Naïve Bayes “Revisited”", "quotes and diaeresis");
  check_str(author(e, 1), "François Chérin", "François");
  check_str(author(e, 2), "José Muñoz", "Muñoz");
  e = entry_with_key(seq, "strauss2019waltz");
  check_str(cv_node_get_str(e, "date"), "2019-03", "numeric month");
  e = entry_with_key(seq, "lovelace2023patent");
  check_str(cv_node_get_str(e, "type"), "misc", "patent as misc");
  check_str(cv_node_get_str(e, "howpublished"), "US Patent 11,234,567",
            "howpublished");
  cv_diags_fini(&d);
  cv_arena_fini(&a);
}

/* Writes text to a fresh temporary .bib file; returns its path. */
static char *temp_bib(const char *text) {
  static char paths[8][64];
  static int next;
  char *p = paths[next++ % 8];
  snprintf(p, 64, "/tmp/cvpdf-test-bibXXXXXX");
  int fd = mkstemp(p);
  if (fd < 0)
    return p;
  size_t n = strlen(text);
  if (write(fd, text, n) != (ssize_t)n)
    perror("write");
  close(fd);
  return p;
}

static void errors(void) {
  cv_arena a;
  cv_arena_init(&a);
  cv_diags d;
  cv_diags_init(&d);
  cvpdf_node at = {0};
  at.kind = CVPDF_NODE_SCALAR;
  at.file = "cv.yaml";
  at.line = 4;
  at.col = 13;

  check(cv_bibtex_load("tests/bibtex/nope.bib", &at, &a, &d) == NULL,
        "missing file fails", NULL);
  check_str(diag_text(&d, 0),
            "cv.yaml:4:13: error: cannot read BibTeX file "
            "'tests/bibtex/nope.bib': No such file or directory",
            "missing file message");
  cv_diags_fini(&d);

  char *p = temp_bib("@article{a, title = {A}}\n\n  @misc{b title = {B}}\n"
                     "@misc{c, title = {C}}\n");
  cv_diags_init(&d);
  check(cv_bibtex_load(p, &at, &a, &d) == NULL, "syntax error fails", NULL);
  char want[512];
  snprintf(want, sizeof want,
           "%s:3:3: error: BibTeX entry '@misc{b' does not parse: expected "
           "fields written name = {value} or name = \"value\", separated by "
           "commas, with balanced braces and quotes, and the entry closed by "
           "'}'",
           p);
  check_str(diag_text(&d, 0), want, "syntax error at the entry's line");
  check_int((long)d.nerrors, 1, "one syntax error");
  cv_diags_fini(&d);
  unlink(p);

  p = temp_bib("@misc{a, title = {caf\xe9}}\n");
  cv_diags_init(&d);
  check(cv_bibtex_load(p, &at, &a, &d) == NULL, "Latin-1 fails", NULL);
  snprintf(want, sizeof want,
           "%s:1:22: error: expected UTF-8 text, found byte 0xE9 (save the "
           "file as UTF-8, or write accents in LaTeX such as {\\'e})",
           p);
  check_str(diag_text(&d, 0), want, "encoding error position");
  cv_diags_fini(&d);
  unlink(p);

  /* @string macros of one file are not seen by the next. */
  p = temp_bib(
      "@string{jn = \"Journal\"}\n@misc{a, title = {A}, journal = jn}\n");
  char *q = temp_bib("@misc{b, title = {B}, journal = jn, year = 2020, "
                     "month = {March}, author = {Ada~Lovelace and "
                     "de la Fontaine, Jr., Jean}}\n");
  cv_diags_init(&d);
  const cvpdf_node *s1 = cv_bibtex_load(p, &at, &a, &d);
  const cvpdf_node *s2 = cv_bibtex_load(q, &at, &a, &d);
  check_str(cv_node_get_str(cv_node_at(s1, 0), "journal"), "Journal",
            "macro within its file");
  check_str(cv_node_get_str(cv_node_at(s2, 0), "journal"), "",
            "macro not leaked to the next file");
  check_str(cv_node_get_str(cv_node_at(s2, 0), "date"), "2020-03",
            "month by name");
  check_str(author(cv_node_at(s2, 0), 0), "Ada Lovelace",
            "tie in a name is a space");
  check_str(author(cv_node_at(s2, 0), 1), "Jean de la Fontaine, Jr.",
            "von and Jr parts");
  cv_diags_fini(&d);
  unlink(p);
  unlink(q);

  p = temp_bib("");
  cv_diags_init(&d);
  const cvpdf_node *empty = cv_bibtex_load(p, &at, &a, &d);
  check(empty && cv_node_len(empty) == 0, "empty file has no entries", NULL);
  cv_diags_fini(&d);
  unlink(p);
  cv_arena_fini(&a);
}

/* A file that ends in a lexical error must not leave libbtparse holding
 * it: reading another file afterwards once ended the whole process (exit
 * inside the library).  A FILE held open in between makes the next file's
 * FILE a different object, as it is in a long-running process. */
static void file_after_lexical_error(void) {
  cv_arena a;
  cv_arena_init(&a);
  cv_diags d;
  cv_diags_init(&d);
  char *bad = temp_bib("% @miTwenty workss ofc");
  (void)cv_bibtex_load(bad, NULL, &a, &d);
  FILE *hold = fopen("/dev/null", "r");
  char *good = temp_bib("@misc{k, title = {After}}\n");
  const cvpdf_node *n = cv_bibtex_load(good, NULL, &a, &d);
  check(n && cv_node_len(n) == 1, "a file read after one with a lexical error",
        NULL);
  if (hold)
    fclose(hold);
  unlink(bad);
  unlink(good);
  cv_diags_fini(&d);
  cv_arena_fini(&a);
}

/* Input on which libbtparse itself calls exit(): read in a child first,
 * so this process reports an error and goes on. */
static void reader_stops(void) {
  cv_arena a;
  cv_arena_init(&a);
  cv_diags d;
  cv_diags_init(&d);
  const cvpdf_node *n =
      cv_bibtex_load("tests/bibtex/reader-stops.bib", NULL, &a, &d);
  const char *msg = diag_text(&d, 0);
  check(!n && msg && strstr(msg, "found input the BibTeX reader stops on") &&
            strstr(msg, "invalid AST node"),
        "input that stops the BibTeX reader is an error, not an exit", msg);
  cv_diags_fini(&d);
  n = cv_bibtex_load("tests/bibtex/refs.bib", NULL, &a, &d);
  check(n && cv_node_len(n) == 20, "the next file still reads", NULL);
  cv_diags_fini(&d);
  cv_arena_fini(&a);
}

int main(void) {
  reader_stops();
  conversions();
  refs();
  errors();
  file_after_lexical_error();
  if (failures)
    printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
