/* Tests of core/document/model.c and core/base/diag.c: positions, messages,
 * limits. */
#include "document/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Formats diagnostic i into a static buffer ("" when absent). */
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

/* Loads src, expects failure with exactly one diagnostic `want`. */
static void expect_error_n(const char *src, size_t len, const cv_limits *lim,
                           const char *want, const char *what) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_buffer("cv.yaml", src, len, lim, &d);
  check(m == NULL, what, "loaded although it should fail");
  check_str(diag_text(&d, 0), want, what);
  check_int((long)d.nerrors, 1, what);
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void expect_error(const char *src, const char *want, const char *what) {
  expect_error_n(src, strlen(src), NULL, want, what);
}

static cv_model *load_ok(const char *src, const char *what) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_buffer("cv.yaml", src, strlen(src), NULL, &d);
  check(m != NULL && d.n == 0, what, diag_text(&d, 0));
  cv_diags_fini(&d);
  return m;
}

static void test_positions(void) {
  const char *src = "name: Ada\n"
                    "sections:\n"
                    "  - type: education\n"
                    "    entries:\n"
                    "      - institution: \"MIT\"\n"
                    "        year: 2021\n"
                    "        note: |\n"
                    "          text\n";
  cv_model *m = load_ok(src, "nested document loads");
  if (!m)
    return;
  const cvpdf_node *sec = cv_node_at(cv_node_get(m->root, "sections"), 0);
  const cvpdf_node *ent = cv_node_at(cv_node_get(sec, "entries"), 0);
  const cvpdf_node *inst = cv_node_get(ent, "institution");
  check_str(cv_node_str(inst), "MIT", "nested scalar text");
  check_int(inst ? inst->line : 0, 5, "nested scalar line");
  check_int(inst ? inst->col : 0, 22, "nested scalar column (at the quote)");
  check_int(inst ? inst->quoted : -1, 1, "double-quoted scalar is quoted");
  const cvpdf_node *year = cv_node_get(ent, "year");
  check_int(year ? year->quoted : -1, 0, "plain scalar is not quoted");
  check_int(year ? year->col : 0, 15, "plain scalar column");
  const cvpdf_node *note = cv_node_get(ent, "note");
  check_str(cv_node_str(note), "text\n", "literal block text");
  check_int(note ? note->quoted : -1, 1, "block scalar counts as quoted");
  check_int(ent ? ent->line : 0, 5, "mapping line");
  check_int(ent ? ent->col : 0, 9, "mapping column (first key)");
  const cvpdf_node *k = cv_node_key_at(ent, 1);
  check_str(cv_node_str(k), "year", "key_at text");
  check_int(k ? k->line : 0, 6, "key line");
  check_int(k ? k->col : 0, 9, "key column");
  check_str(m->root->file, "cv.yaml", "node keeps the file name");
  check_int((long)cv_node_len(ent), 3, "mapping length");
  check_int((long)cv_node_len(inst), 1, "scalar length is 1");
  check(cv_node_at(inst, 0) == inst, "at(scalar, 0) is the scalar", NULL);
  check(cv_node_get(ent, "nope") == NULL, "missing key gives NULL", NULL);
  check(cv_node_get(NULL, "x") == NULL, "get is NULL-safe", NULL);
  check_str(cv_node_kind_name(ent), "a mapping", "kind name");
  cv_model_destroy(m);
}

static void test_scalars(void) {
  cv_model *m = load_ok("a: yes\nb: Off\nc: maybe\nd: '2021'\ne: !!str 7\n"
                        "f:\n",
                        "scalars load");
  if (!m)
    return;
  check_int(cv_node_bool(cv_node_get(m->root, "a")), 1, "yes is true");
  check_int(cv_node_bool(cv_node_get(m->root, "b")), 0, "Off is false");
  check_int(cv_node_bool(cv_node_get(m->root, "c")), -1, "maybe is no bool");
  check_int(cv_node_get(m->root, "d")->quoted, 1, "single quotes: quoted");
  check_int(cv_node_get(m->root, "e")->quoted, 1, "!!str tag: quoted");
  check_str(cv_node_get_str(m->root, "f"), "", "empty value is empty text");
  cv_model_destroy(m);

  m = load_ok("{\"name\": \"Ada\", \"list\": [1, 2.5, {\"k\": null}]}",
              "JSON loads");
  if (m) {
    const cvpdf_node *l = cv_node_get(m->root, "list");
    check_int((long)cv_node_len(l), 3, "JSON array length");
    check_str(cv_node_str(cv_node_at(l, 1)), "2.5", "JSON number text");
    check_int(l ? l->col : 0, 25, "JSON array column");
  }
  cv_model_destroy(m);
}

static void test_aliases(void) {
  cv_model *m = load_ok("base: &b {x: 1}\nuse: *b\n", "alias loads");
  if (m)
    check(cv_node_get(m->root, "base") == cv_node_get(m->root, "use"),
          "alias shares the anchored node", NULL);
  cv_model_destroy(m);

  m = load_ok("a: &x 1\nb: &x 2\nc: *x\n", "redefined anchor loads");
  if (m)
    check_str(cv_node_get_str(m->root, "c"), "2",
              "alias refers to the latest anchor of its name");
  cv_model_destroy(m);

  /* Many anchors exercise the growth of the anchor index. */
  cv_buf many;
  cv_buf_init(&many);
  for (int i = 0; i < 300; i++)
    cv_buf_printf(&many, "k%d: &a%d v%d\n", i, i, i);
  cv_buf_puts(&many, "last: *a17\n");
  m = many.data ? load_ok(many.data, "300 anchors load") : NULL;
  if (m)
    check_str(cv_node_get_str(m->root, "last"), "v17", "alias among many");
  cv_model_destroy(m);
  cv_buf_fini(&many);

  char buf[2048];
  size_t n = 0;
  n += (size_t)sprintf(buf + n, "a: &a [lol, lol, lol, lol, lol, lol, lol, "
                                "lol, lol]\n");
  for (char c = 'b'; c <= 'i'; c++) {
    n += (size_t)sprintf(buf + n, "%c: &%c [", c, c);
    for (int k = 0; k < 9; k++)
      n += (size_t)sprintf(buf + n, "%s*%c", k ? ", " : "", c - 1);
    n += (size_t)sprintf(buf + n, "]\n");
  }
  expect_error_n(buf, n, NULL,
                 "cv.yaml:7:8: error: expected at most 1000000 nodes once "
                 "aliases are expanded, found more (an alias expanding too "
                 "far?); raise the limit with --max-nodes",
                 "alias bomb fails on the node limit");
  expect_error("a: *nope\n",
               "cv.yaml:1:4: error: expected a defined anchor for alias "
               "'*nope', found none (define '&nope' before using it)",
               "undefined alias");
  expect_error("a: &x [1, *x]\n",
               "cv.yaml:1:11: error: alias '*x' refers to a node that "
               "contains it (a cycle)",
               "self-referencing alias");
}

static void test_syntax_errors(void) {
  expect_error("name: Ada\nsections:\n\t- type: x\n",
               "cv.yaml:3:1: error: found a tab character where indentation "
               "was expected (indent with spaces)",
               "tab indentation");
  expect_error("name: Ada\ntitle: \"Dr\nx: 1\n",
               "cv.yaml:2:8: error: expected a closing quote for the string "
               "that starts here, found the end of the file",
               "unclosed quote");
  expect_error("a: [1, 2\n",
               "cv.yaml:2:1: error: expected ',' or ']' while parsing a flow "
               "sequence that starts at line 1, column 4, found the end of "
               "the file",
               "unclosed bracket");
  expect_error("a: b: c\n",
               "cv.yaml:1:5: error: found ':' where a plain value was "
               "expected (a value containing ': ' must be quoted)",
               "colon in plain value");
  expect_error("name: Ada\nx: 1\n  name: Bob\n",
               "cv.yaml:3:7: error: found ':' where a plain value was "
               "expected (a value containing ': ' must be quoted)",
               "bad indentation");
  expect_error("? [a, b]\n: 1\n",
               "cv.yaml:1:3: error: expected a plain text key, found a "
               "sequence as a mapping key",
               "collection as key");
  expect_error("a: 1\n---\nb: 2\n",
               "cv.yaml:2:1: error: expected one document, found a second one "
               "(remove this '---' and what follows, or merge the documents)",
               "two documents");
  expect_error("a: \x01\n",
               "cv.yaml:1:4: error: expected printable text, found control "
               "character 0x01",
               "control character");
}

static void test_duplicates(void) {
  const char *src = "name: Ada\nemail: a@b\n  \nphone: 1\n\n"
                    "x: 1\nname: Bob\n";
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_buffer("cv.yaml", src, strlen(src), NULL, &d);
  check(m == NULL, "duplicate key fails", NULL);
  check_str(diag_text(&d, 0),
            "cv.yaml:7:1: error: duplicate key 'name' (first at line 1)",
            "duplicate key message");
  cv_model_destroy(m);
  cv_diags_fini(&d);

  /* Every duplicate is reported, nested ones too. */
  src = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n";
  cv_diags_init(&d);
  m = cv_model_load_buffer("cv.yaml", src, strlen(src), NULL, &d);
  check_int((long)d.nerrors, 2, "all duplicates reported");
  check_str(diag_text(&d, 0),
            "cv.yaml:4:3: error: duplicate key 'c' (first at line 3)",
            "nested duplicate");
  check_str(diag_text(&d, 1),
            "cv.yaml:5:1: error: duplicate key 'a' (first at line 1)",
            "second duplicate");
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void test_encoding(void) {
  const char bad[] = "a: 1\nb: 2\nc: 3\nname: Jos\xff\n";
  expect_error_n(bad, sizeof bad - 1, NULL,
                 "cv.yaml:4:10: error: invalid UTF-8 byte 0xff",
                 "invalid UTF-8");
  const char bad2[] = "a: 1\nname: J\xc3\xb6rg \xe2\x82\n";
  expect_error_n(bad2, sizeof bad2 - 1, NULL,
                 "cv.yaml:2:12: error: invalid UTF-8 byte 0xe2",
                 "truncated UTF-8 sequence (columns count characters)");
  const char nul[] = "a: 1\nb: x\0y\n";
  expect_error_n(nul, sizeof nul - 1, NULL,
                 "cv.yaml:2:5: error: expected UTF-8 text, found a NUL byte "
                 "(is this a binary or UTF-16 file?)",
                 "NUL byte");
  const char bom[] = "\xff\xfe"
                     "a\0:\0 \0"
                     "1\0";
  expect_error_n(bom, sizeof bom - 1, NULL,
                 "cv.yaml:1:1: error: expected UTF-8 text, found UTF-16 (byte "
                 "order mark)",
                 "UTF-16 BOM");
  cv_model *m = load_ok("\xef\xbb\xbf"
                        "a: 1\n",
                        "UTF-8 BOM is accepted");
  cv_model_destroy(m);
  /* The mark is invisible in an editor: the first key is at column 1, in
   * line with the next, and positions after it are as without it. */
  m = load_ok("\xef\xbb\xbf"
              "name: Ada\nheadline: x\n",
              "UTF-8 BOM before two keys is accepted");
  const cvpdf_node *k0 = m ? cv_node_key_at(m->root, 0) : NULL;
  const cvpdf_node *v0 = m ? cv_node_get(m->root, "name") : NULL;
  check_int(k0 ? k0->col : 0, 1, "after a BOM the first key is at column 1");
  check_int(v0 ? v0->col : 0, 7, "after a BOM the first value is at column 7");
  check_str(cv_node_str(v0), "Ada", "after a BOM the first value's text");
  cv_model_destroy(m);
  expect_error("\xef\xbb\xbf"
               "name: Ada\nheadline: \"x\n",
               "cv.yaml:2:11: error: expected a closing quote for the string "
               "that starts here, found the end of the file",
               "after a BOM a syntax error keeps its position");
  const char bombad[] = "\xef\xbb\xbf"
                        "name: Jos\xff\n";
  expect_error_n(bombad, sizeof bombad - 1, NULL,
                 "cv.yaml:1:10: error: invalid UTF-8 byte 0xff",
                 "after a BOM an encoding error keeps its column");
}

static void test_empty(void) {
  const char *want = "cv.yaml: error: expected a mapping at the top level, "
                     "found an empty document";
  expect_error_n("", 0, NULL, want, "empty buffer");
  expect_error("# only a comment\n", want, "comment-only document");
  expect_error("---\n", want, "bare document marker");
}

static void test_limits(void) {
  cv_limits lim;
  cv_limits_default(&lim);
  check_int((long)lim.max_input_bytes, 16L << 20, "default input limit");
  check_int((long)lim.max_depth, 64, "default depth limit");
  check_int((long)lim.max_nodes, 1000000, "default node limit");
  check_int((long)lim.max_string_bytes, 1L << 20, "default string limit");

  char deep[256];
  size_t n = 0;
  for (int i = 0; i < 70; i++)
    deep[n++] = '[';
  for (int i = 0; i < 70; i++)
    deep[n++] = ']';
  expect_error_n(deep, n, NULL,
                 "cv.yaml:1:65: error: expected at most 64 levels of nesting, "
                 "found more; raise the limit with --max-depth",
                 "flow depth limit");
  lim.max_depth = 3;
  const char *block = "a:\n  b:\n    c:\n      d: 1\n";
  expect_error_n(block, strlen(block), &lim,
                 "cv.yaml:4:7: error: expected at most 3 levels of nesting, "
                 "found more; raise the limit with --max-depth",
                 "block depth limit");
  cv_limits_default(&lim);
  lim.max_string_bytes = 5;
  expect_error_n("a: abcdef\n", 10, &lim,
                 "cv.yaml:1:4: error: expected a string of at most 5 bytes, "
                 "found 6; raise the limit with --max-string",
                 "string limit");
  cv_limits_default(&lim);
  lim.max_input_bytes = 4;
  expect_error_n("a: 12\n", 6, &lim,
                 "cv.yaml: error: expected at most 4 bytes of input, found 6; "
                 "raise the limit with --max-input-bytes",
                 "buffer size limit");
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_file("tests/data/model/good.yaml", &lim, &d);
  check(m == NULL, "file size limit", NULL);
  check_str(diag_text(&d, 0),
            "tests/data/model/good.yaml: error: expected at most 4 bytes of "
            "input, found 126; raise the limit with --max-input-bytes",
            "file size limit message");
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void expect_file_error(const char *path, const char *want,
                              const char *what) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_file(path, NULL, &d);
  check(m == NULL, what, "loaded although it should fail");
  check_str(diag_text(&d, 0), want, what);
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void test_files(void) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_file("tests/data/model/good.yaml", NULL, &d);
  check(m != NULL, "file loads", diag_text(&d, 0));
  if (m) {
    const cvpdf_node *e = cv_node_at(
        cv_node_get(cv_node_at(cv_node_get(m->root, "sections"), 0), "entries"),
        0);
    const cvpdf_node *s = cv_node_get(e, "start");
    check_str(cv_node_str(s), "1840", "file scalar text");
    check_int(s ? s->line : 0, 6, "file scalar line");
    check_int(s ? s->col : 0, 16, "file scalar column");
    check_str(s ? s->file : "", "tests/data/model/good.yaml",
              "file scalar file");
  }
  cv_model_destroy(m);
  cv_diags_fini(&d);

  expect_file_error("tests/data/model",
                    "tests/data/model: error: cannot read 'tests/data/model': "
                    "Is a directory",
                    "directory as input");
  expect_file_error("tests/data/model/missing.yaml",
                    "tests/data/model/missing.yaml: error: cannot read "
                    "'tests/data/model/missing.yaml': No such file or "
                    "directory",
                    "missing file");
  expect_file_error("tests/data/model/tab.yaml",
                    "tests/data/model/tab.yaml:3:1: error: found a tab "
                    "character where indentation was expected (indent with "
                    "spaces)",
                    "tab in a file");
  expect_file_error("tests/data/model/utf16.yaml",
                    "tests/data/model/utf16.yaml:1:1: error: expected UTF-8 "
                    "text, found UTF-16 (byte order mark)",
                    "UTF-16 file");
}

static void test_diag_format(void) {
  cv_diags d;
  cv_diags_init(&d);
  cv_diags_add(&d, CV_SEV_WARNING, "cv.yaml", 3, 0, "odd %s", "thing");
  cv_diags_add(&d, CV_SEV_ERROR, NULL, 0, 0, "no file");
  cv_diags_add(&d, CV_SEV_ERROR, "f.yaml", 2, 9, "x=%d", 5);
  check_str(diag_text(&d, 0), "cv.yaml:3: warning: odd thing",
            "warning without column");
  check_str(diag_text(&d, 1), "error: no file", "error without file");
  check_str(diag_text(&d, 2), "f.yaml:2:9: error: x=5", "full position");
  check_int((long)d.nerrors, 2, "warnings do not count as errors");
  cv_diags_fini(&d);
  check_int((long)d.n, 0, "fini empties the list");
}

int main(void) {
  test_diag_format();
  test_positions();
  test_scalars();
  test_aliases();
  test_syntax_errors();
  test_duplicates();
  test_encoding();
  test_empty();
  test_limits();
  test_files();
  if (failures) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  return 0;
}
