/* Tests of core/document/model_json.c: a JSON document gives the tree the
 * YAML reader gives for it (text, kinds, positions), decodes surrogate
 * pairs, and reports lone surrogates, limits and syntax errors at their
 * positions. */
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

static void check_str(const char *got, const char *want, const char *what) {
  char d[1200];
  snprintf(d, sizeof d, "got '%s', want '%s'", got ? got : "(null)", want);
  check(got && strcmp(got, want) == 0, what, d);
}

static const char *first_diag(const cv_diags *d) {
  static char out[1024];
  out[0] = '\0';
  if (d->n == 0)
    return out;
  cv_buf b;
  cv_buf_init(&b);
  cv_diag_format(&d->v[0], &b);
  snprintf(out, sizeof out, "%s", b.data ? b.data : "");
  cv_buf_fini(&b);
  return out;
}

/* The first difference between two trees, described in buf; 0 if none. */
static int tree_diff(const cvpdf_node *a, const cvpdf_node *b, char *buf,
                     size_t cap) {
  if (a->kind != b->kind || a->line != b->line || a->col != b->col ||
      a->n != b->n) {
    snprintf(buf, cap,
             "node at %d:%d (kind %d, %zu children) vs %d:%d "
             "(kind %d, %zu children)",
             a->line, a->col, (int)a->kind, a->n, b->line, b->col, (int)b->kind,
             b->n);
    return 1;
  }
  if (a->kind == CVPDF_NODE_SCALAR) {
    if (a->len != b->len || memcmp(a->str, b->str, a->len) != 0 ||
        a->quoted != b->quoted) {
      snprintf(buf, cap, "scalar at %d:%d: '%s' (quoted %d) vs '%s' (%d)",
               a->line, a->col, a->str, a->quoted, b->str, b->quoted);
      return 1;
    }
    return 0;
  }
  for (size_t i = 0; i < a->n; i++) {
    if (a->kind == CVPDF_NODE_MAP &&
        tree_diff(a->keys[i], b->keys[i], buf, cap))
      return 1;
    if (tree_diff(a->items[i], b->items[i], buf, cap))
      return 1;
  }
  return 0;
}

static cv_model *load(const char *name, const char *src, size_t len,
                      const cv_limits *lim, cv_diags *d) {
  return cv_model_load_buffer(name, src, len, lim, d);
}

/* src read as YAML (libyaml) and as JSON (yajl) gives the same tree. */
static void same_as_yaml(const char *src, size_t len, const char *what) {
  cv_diags dy, dj;
  cv_diags_init(&dy);
  cv_diags_init(&dj);
  cv_model *y = load("cv.yaml", src, len, NULL, &dy);
  cv_model *j = load("cv.json", src, len, NULL, &dj);
  char buf[512] = "";
  if (!y || !j)
    snprintf(buf, sizeof buf, "yaml: %s / json: %s",
             y      ? "ok"
             : dy.n ? dy.v[0].msg
                    : "?",
             j      ? "ok"
             : dj.n ? dj.v[0].msg
                    : "?");
  check(y && j && !tree_diff(y->root, j->root, buf, sizeof buf), what, buf);
  cv_model_destroy(y);
  cv_model_destroy(j);
  cv_diags_fini(&dy);
  cv_diags_fini(&dj);
}

static void same_as_yaml_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = malloc(1 << 20);
  size_t n = f && buf ? fread(buf, 1, 1 << 20, f) : 0;
  if (f)
    fclose(f);
  char what[256];
  snprintf(what, sizeof what, "%s: the JSON reader's tree is libyaml's", path);
  check(n > 0, what, "cannot read the file");
  if (n > 0)
    same_as_yaml(buf, n, what);
  free(buf);
}

static void test_same_tree(void) {
  same_as_yaml_file("tests/inputs/jsonresume-sample.json");
  same_as_yaml_file("tests/inputs/tricky.json");
  const char *src =
      "{\n"
      "  \"basics\": {\"name\": \"J\\u00f6rg \\\"Q\\\" \\\\ \\/ \\n\\t\",\n"
      "\t\"score\": -1.5e3, \"ok\": true, \"no\": false, \"none\": null,\n"
      "    \"list\": [1, [2, {}], [], \"x\"], \"é\": \"Ü\"},\n"
      "  \"tail\": [ {\"a\" : \"b\"} , 0 ]\n"
      "}\n";
  same_as_yaml(src, strlen(src), "escapes, numbers, literals, nesting");
}

static void test_surrogates(void) {
  cv_diags d;
  cv_diags_init(&d);
  const char *src = "{\"n\": \"a\\ud83d\\ude00b\", \"m\": \"\\uD83C\\uDDEC"
                    "\\uD83C\\uDDE7\", \"k\": 1}";
  cv_model *m = load("cv.json", src, strlen(src), NULL, &d);
  check(m != NULL, "a surrogate pair is accepted", first_diag(&d));
  check_str(cv_node_get_str(m ? m->root : NULL, "n"),
            "a\xF0\x9F\x98\x80"
            "b",
            "\\ud83d\\ude00 is U+1F600 in UTF-8");
  check_str(cv_node_get_str(m ? m->root : NULL, "m"),
            "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7",
            "two pairs in upper case hex (a flag)");
  const cvpdf_node *k = m ? cv_node_get(m->root, "k") : NULL;
  char d2[64];
  snprintf(d2, sizeof d2, "at %d:%d", k ? k->line : 0, k ? k->col : 0);
  check(k && k->line == 1 && k->col == 63,
        "a value after escaped strings keeps its column", d2);
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void expect_error(const char *src, const cv_limits *lim,
                         const char *want, const char *what) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = load("cv.json", src, strlen(src), lim, &d);
  check(m == NULL, what, "loaded although it should fail");
  check_str(first_diag(&d), want, what);
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

static void test_lone_surrogates(void) {
  expect_error("{\"name\": \"x\\ud83dy\"}", NULL,
               "cv.json:1:12: error: expected a surrogate pair (a high half "
               "\\ud800-\\udbff, then a low half \\udc00-\\udfff, such as "
               "\\ud83d\\ude00), found a lone high half \\ud83d",
               "a lone high surrogate is an error at the escape");
  expect_error("{\"a\": 1,\n \"name\": \"\\ude00\"}", NULL,
               "cv.json:2:11: error: expected a surrogate pair (a high half "
               "\\ud800-\\udbff, then a low half \\udc00-\\udfff, such as "
               "\\ud83d\\ude00), found a lone low half \\ude00",
               "a lone low surrogate is an error at the escape");
  expect_error("{\"n\": \"\\ud83d\\u0041\"}", NULL,
               "cv.json:1:8: error: expected a surrogate pair (a high half "
               "\\ud800-\\udbff, then a low half \\udc00-\\udfff, such as "
               "\\ud83d\\ude00), found a lone high half \\ud83d",
               "a high surrogate before a letter is an error");
  expect_error("{\"n\": \"\\ude00\\ud83d\"}", NULL,
               "cv.json:1:8: error: expected a surrogate pair (a high half "
               "\\ud800-\\udbff, then a low half \\udc00-\\udfff, such as "
               "\\ud83d\\ude00), found a lone low half \\ude00",
               "a pair in the wrong order is an error");
  expect_error("{\"\\ud800\": 1}", NULL,
               "cv.json:1:3: error: expected a surrogate pair (a high half "
               "\\ud800-\\udbff, then a low half \\udc00-\\udfff, such as "
               "\\ud83d\\ude00), found a lone high half \\ud800",
               "a lone surrogate in a key is an error");
}

static void test_errors(void) {
  expect_error("{\"a\": \"x\\u0000y\"}", NULL,
               "cv.json:1:7: error: expected text, found a NUL character (an "
               "escaped \\0 or \\u0000); remove it",
               "an escaped NUL is an error");
  expect_error("{\"a\": 1,\n \"b\": 2,\n}", NULL,
               "cv.json:3:1: error: expected a quoted key such as \"name\", "
               "found '}' (a comma before it?)",
               "a trailing comma");
  expect_error("{\"a\" 1}", NULL,
               "cv.json:1:6: error: expected ':' after the key, found '1'",
               "a missing colon");
  expect_error("{\"a\": [1 2]}", NULL,
               "cv.json:1:10: error: expected ',' or ']' after an item in an "
               "array, found '2'",
               "a missing comma");
  expect_error("{\"a\": tru}", NULL,
               "cv.json:1:7: error: expected a JSON value (a string, number, "
               "object, array, true, false or null), found 'tru'",
               "a misspelt literal");
  expect_error("{\"a\": \"x", NULL,
               "cv.json:1:7: error: expected a closing quote for the string "
               "that starts here, found the end of the file",
               "an unclosed string");
  expect_error("{\"a\": \"x\ny\"}", NULL,
               "cv.json:1:9: error: expected a character allowed in a JSON "
               "string (escape control characters, such as \\t for a tab), "
               "found the end of the line",
               "a line break inside a string");
  expect_error("{\"a\": [1,\n  2", NULL,
               "cv.json:1:7: error: expected a closing ']' for the array that "
               "starts here, found the end of the file",
               "an unclosed array");
  expect_error("{} x", NULL,
               "cv.json:1:4: error: expected the end of the file after the "
               "JSON document, found 'x'",
               "text after the document");
  expect_error("{\"a\": \"\\q\"}", NULL,
               "cv.json:1:8: error: expected an escape such as \\n, \\\", \\\\ "
               "or \\u00e9 after '\\', found 'q'",
               "a bad escape");
  expect_error("{\"a\": 1, \"a\": 2}", NULL,
               "cv.json:1:10: error: duplicate key 'a' (first at line 1)",
               "a duplicate key");
  expect_error(" \n ", NULL,
               "cv.json: error: expected a mapping at the top level, found an "
               "empty document",
               "an empty document");
}

static void test_limits(void) {
  cv_limits lim;
  cv_limits_default(&lim);
  lim.max_depth = 3;
  expect_error("{\"a\": [[[1]]]}", &lim,
               "cv.json:1:9: error: expected at most 3 levels of nesting, "
               "found more; raise the limit with --max-depth",
               "the depth limit, at the bracket that passes it");
  cv_limits_default(&lim);
  lim.max_string_bytes = 5;
  expect_error("{\"a\": \"abcdef\"}", &lim,
               "cv.json:1:7: error: expected a string of at most 5 bytes, "
               "found 6; raise the limit with --max-string",
               "the string limit");
  cv_limits_default(&lim);
  lim.max_nodes = 4;
  expect_error("[1, 2, 3, 4]", &lim,
               "cv.json:1:11: error: expected at most 4 nodes, found more; "
               "raise the limit with --max-nodes",
               "the node limit");
}

static void test_bom(void) {
  cv_diags d;
  cv_diags_init(&d);
  const char *src = "\xEF\xBB\xBF{\"a\": 1}";
  cv_model *m = load("cv.json", src, strlen(src), NULL, &d);
  const cvpdf_node *a = m ? cv_node_get(m->root, "a") : NULL;
  check(a && a->line == 1 && a->col == 7, "JSON after a byte order mark",
        first_diag(&d));
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

int main(void) {
  test_same_tree();
  test_surrogates();
  test_lone_surrogates();
  test_errors();
  test_limits();
  test_bom();
  if (failures) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  return 0;
}
