/* Tests of core/document/schema.c: field validation messages and dates. */
#include "document/schema.h"
#include "text/cldr.h"

#include <stdio.h>
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

static const cvpdf_field link_fields[] = {
    {"label", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "Link text", NULL},
    {"url", CVPDF_FIELD_URL, CVPDF_FIELD_REQUIRED, "Target", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field place_fields[] = {
    {"city", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "City", NULL},
    {"country", CVPDF_FIELD_STRING, 0, "Country", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field entry_fields[] = {
    {"institution", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "School", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "Where", NULL},
    {"degree", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE, "Degree", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "Start", NULL},
    {"end", CVPDF_FIELD_DATE, 0, "End", NULL},
    {"gpa", CVPDF_FIELD_INT, 0, "Grade", NULL},
    {"thesis", CVPDF_FIELD_BOOL, 0, "Has a thesis", NULL},
    {"highlights", CVPDF_FIELD_LIST, 0, "Bullets", NULL},
    {"links", CVPDF_FIELD_LIST, CVPDF_FIELD_STRING_ITEMS, "Links", link_fields},
    {"place", CVPDF_FIELD_MAP, 0, "Place", place_fields},
    {"grades", CVPDF_FIELD_DICT, 0, "Course grades", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field section_fields[] = {{"entries", CVPDF_FIELD_LIST,
                                              CVPDF_FIELD_REQUIRED, "Entries",
                                              entry_fields},
                                             {NULL, 0, 0, NULL, NULL}};

static const char *const extra[] = {"type", "title", "tags", NULL};

/* Validates src's root against section_fields; returns the count and
 * leaves the diagnostics in *d. */
static int run(const char *src, cv_diags *d) {
  cv_diags_init(d);
  cv_model *m = cv_model_load_buffer("cv.yaml", src, strlen(src), NULL, d);
  if (!m) {
    printf("# load failed: %s\n", diag_text(d, 0));
    return -1;
  }
  int n = cv_schema_validate(m->root, section_fields, extra,
                             "education section", d);
  cv_model_destroy(m);
  return n;
}

/* Expects exactly the given messages, in order. */
static void expect(const char *src, const char *const *want, const char *what) {
  cv_diags d;
  size_t nwant = 0;
  while (want[nwant])
    nwant++;
  int n = run(src, &d);
  char name[256];
  snprintf(name, sizeof name, "%s: error count", what);
  check_int(n, (long)nwant, name);
  check_int((long)d.n, (long)nwant, name);
  for (size_t i = 0; i < nwant; i++) {
    snprintf(name, sizeof name, "%s: message %zu", what, i + 1);
    check_str(diag_text(&d, i), want[i], name);
  }
  cv_diags_fini(&d);
}

static void test_valid(void) {
  const char *src = "type: education\n"
                    "title: Education\n"
                    "entries:\n"
                    "  - institution: MIT\n"
                    "    degree: [BSc, MSc]\n"
                    "    start: Sept 2019\n"
                    "    end: present\n"
                    "    gpa: 4\n"
                    "    thesis: yes\n"
                    "    highlights: [a, 2021, 4.0]\n"
                    "    links:\n"
                    "      - https://mit.edu\n"
                    "      - {label: Thesis, url: 'https://x.org'}\n"
                    "    place: {city: Boston}\n"
                    "    grades: {Math: A, Physics: [A, B]}\n"
                    "  - institution: 2021\n"
                    "    highlights: just one\n";
  const char *const none[] = {NULL};
  expect(src, none, "valid section");
}

static void test_unknown(void) {
  const char *const w1[] = {
      "cv.yaml:5:5: error: unknown field 'instituton' in education entry; "
      "did you mean 'institution'?",
      NULL};
  expect("type: education\nentries:\n  - institution: MIT\n"
         "  - institution: X\n    instituton: Y\n",
         w1, "unknown field with suggestion");
  const char *const w2[] = {
      "cv.yaml:3:5: error: unknown field 'zzzzzzzz' in education entry; "
      "valid fields: institution, location, degree, start, end, gpa, "
      "thesis, highlights, ...",
      NULL};
  expect("entries:\n  - institution: MIT\n    zzzzzzzz: 1\n", w2,
         "unknown field listing valid names");
  const char *const w3[] = {
      "cv.yaml:1:1: error: unknown field 'titel' in education section; did "
      "you mean 'title'?",
      NULL};
  expect("titel: Ed\nentries: []\n", w3, "extra names are suggested too");
}

static void test_required(void) {
  const char *const w[] = {
      "cv.yaml:3:5: error: education entry is missing required field "
      "'institution'",
      NULL};
  expect("entries:\n  - institution: A\n  - location: Paris\n", w,
         "missing required field");
  const char *const w2[] = {
      "cv.yaml:1:1: error: education section is missing required field "
      "'entries'",
      NULL};
  expect("type: education\n", w2, "missing required at top level");
}

static void test_types(void) {
  const char *const w[] = {
      "cv.yaml:4:7: error: field 'highlights' expected a list of strings, "
      "found a mapping (start each item with '- ')",
      "cv.yaml:5:27: error: field 'gpa' expected an integer, found '3.7'",
      "cv.yaml:6:27: error: field 'gpa' expected an integer, found '4' "
      "(remove the quotes)",
      "cv.yaml:7:30: error: field 'thesis' expected true or false, found "
      "'maybe'",
      "cv.yaml:8:30: error: field 'degree' expected a string or a list of "
      "strings, found a mapping",
      "cv.yaml:9:38: error: item 2 of field 'highlights' expected a string, "
      "found a list",
      "cv.yaml:10:30: error: item 1 of field 'links' expected a mapping or a "
      "string, found a list",
      NULL};
  expect("entries:\n"
         "  - institution: A\n"
         "    highlights:\n      x: 1\n"
         "  - {institution: B, gpa: 3.7}\n"
         "  - {institution: B, gpa: '4'}\n"
         "  - {institution: C, thesis: maybe}\n"
         "  - {institution: D, degree: {a: 1}}\n"
         "  - {institution: E, highlights: [a, [b]]}\n"
         "  - {institution: F, links: [[x]]}\n",
         w, "wrong types (all collected)");
  const char *const w2[] = {
      "cv.yaml:2:3: error: field 'entries' expected a list of mappings, "
      "found a mapping (start each item with '- ')",
      NULL};
  expect("entries:\n  institution: G\n", w2, "mapping instead of list");
}

static void test_nested(void) {
  /* The last document line is a second call with a different root. */
  const char *const w[] = {
      "cv.yaml:4:20: error: unknown field 'urls' in link; did you mean "
      "'url'?",
      "cv.yaml:4:9: error: link is missing required field 'url'",
      "cv.yaml:6:13: error: unknown field 'cty' in field 'place'; did you "
      "mean 'city'?",
      "cv.yaml:6:12: error: field 'place' is missing required field 'city'",
      NULL};
  expect("entries:\n"
         "  - institution: A\n"
         "    links:\n"
         "      - {label: x, urls: y}\n"
         "      - plain string\n"
         "    place: {cty: Paris}\n",
         w, "nested children and STRING_ITEMS");
}

static void test_dict(void) {
  const char *const w[] = {
      "cv.yaml:3:32: error: 'Physics' in field 'grades' expected a string or "
      "a list of strings, found a mapping",
      "cv.yaml:4:14: error: field 'grades' expected a mapping of names to "
      "strings, found a list",
      NULL};
  expect("entries:\n"
         "  - institution: A\n"
         "    grades: {Math: A, Physics: {x: 1}}\n"
         "  - {grades: [a], institution: B}\n",
         w, "DICT values");
}

static void test_date_field(void) {
  const char *const w[] = {
      "cv.yaml:3:29: error: field 'start' expected a date such as 2021, "
      "2021-05 or May 2021, found 'Mai 20x1'",
      "cv.yaml:4:46: error: field 'end' expected a date such as 2021, "
      "2021-05 or May 2021, found '2021-13'",
      NULL};
  expect("entries:\n"
         "  - {institution: A, start: 2021, end: 'May 2021'}\n"
         "  - {institution: B, start: Mai 20x1, end: 2021-05}\n"
         "  - {institution: C, start: 2020-02-29, end: 2021-13}\n",
         w, "date fields");
}

static void date_ok(const char *s, int y, int m, int d, int present) {
  cv_date r;
  char name[128];
  snprintf(name, sizeof name, "date '%s' parses", s);
  int rc = cv_date_parse(s, &r);
  char det[128];
  snprintf(det, sizeof det, "rc %d, got %d-%d-%d present %d", rc, r.year,
           r.month, r.day, r.present);
  check(rc == 0 && r.year == y && r.month == m && r.day == d &&
            r.present == present,
        name, det);
}

static void date_bad(const char *s) {
  cv_date r;
  char name[128];
  snprintf(name, sizeof name, "date '%s' is rejected", s);
  check(cv_date_parse(s, &r) != 0, name, "accepted");
}

static void test_dates(void) {
  date_ok("2021", 2021, 0, 0, 0);
  date_ok("2021-05", 2021, 5, 0, 0);
  date_ok("2021-05-17", 2021, 5, 17, 0);
  date_ok("May 2021", 2021, 5, 0, 0);
  date_ok("May. 2021", 2021, 5, 0, 0);
  date_ok("Sept 2021", 2021, 9, 0, 0);
  date_ok("sep. 2021", 2021, 9, 0, 0);
  date_ok("SEPTEMBER 2021", 2021, 9, 0, 0);
  date_ok("05/2021", 2021, 5, 0, 0);
  date_ok("5/2021", 2021, 5, 0, 0);
  date_ok("Present", 0, 0, 0, 1);
  date_ok("now", 0, 0, 0, 1);
  date_ok(" today ", 0, 0, 0, 1);
  date_ok("2024-02-29", 2024, 2, 29, 0);
  date_ok("May 17, 2021", 2021, 5, 17, 0);
  date_ok("17 May 2021", 2021, 5, 17, 0);
  date_bad("");
  date_bad("Mai 20x1");
  date_bad("2021-13");
  date_bad("2021-00-01");
  date_bad("2023-02-29");
  date_bad("2021-04-31");
  date_bad("999");
  date_bad("10000");
  date_bad("0999-01");
  date_bad("13/2021");
  date_bad("Ma 2021");
  date_bad("May");
  date_bad("2021-05-17x");
  date_bad("presently");
}

static void test_months(void) {
  char b[64];
  check_str(cv_cldr_month_name(b, sizeof b, "en", 1, 0), "January", "en");
  check_str(cv_cldr_month_name(b, sizeof b, "de", 3, 0), "M\xc3\xa4rz", "de");
  check_str(cv_cldr_month_name(b, sizeof b, "fr", 2, 0), "f\xc3\xa9vrier",
            "fr full");
  check_str(cv_cldr_month_year(b, sizeof b, "en", 2017, 9, CV_MONTH_SHORT),
            "Sep 2017", "en short");
  check_str(cv_cldr_month_year(b, sizeof b, "en", 2017, 9, CV_MONTH_DOTTED),
            "Sep. 2017", "en dotted");
  check_str(cv_cldr_month_year(b, sizeof b, "en", 2017, 5, CV_MONTH_DOTTED),
            "May 2017", "en dotted, name not cut");
  check_str(cv_cldr_month_year(b, sizeof b, "de-AT", 2017, 12, CV_MONTH_LONG),
            "Dezember 2017", "de with region");
  check_str(cv_cldr_month_year(b, sizeof b, "ja", 2017, 9, CV_MONTH_SHORT),
            "2017\xe5\xb9\xb4"
            "9\xe6\x9c\x88",
            "ja: year first");
  check_str(cv_cldr_month_year(b, sizeof b, NULL, 2021, 6, CV_MONTH_LONG),
            "June 2021", "NULL language is en");
  check(cv_cldr_month_year(b, sizeof b, "en", 2021, 13, 1) == NULL,
        "month 13 gives NULL", NULL);
  check(cv_cldr_month_name(b, sizeof b, "en", 0, 0) == NULL,
        "month 0 gives NULL", NULL);
}

/* The cache answers what the formatter would, for each language and form
 * apart, and a buffer too small for what it keeps gets no copy of it. */
static void test_month_cache(void) {
  cv_datecache *c = cv_datecache_create();
  check(c != NULL, "a date cache is made", NULL);
  char b[64], want[64];
  const char *langs[] = {"en", "de-AT", "ja", NULL};
  for (int round = 0; round < 2; round++)
    for (int i = 0; i < 4; i++)
      for (int form = 1; form <= 4; form *= 2) {
        cv_cldr_month_year(want, sizeof want, langs[i], 2017, 9, form);
        check_str(
            cv_cldr_month_year_cached(c, b, sizeof b, langs[i], 2017, 9, form),
            want, round ? "the cache's answer" : "the first answer");
      }
  check_str(
      cv_cldr_month_year_cached(c, b, sizeof b, "en", 2018, 9, CV_MONTH_SHORT),
      "Sep 2018", "another year is another entry");
  check(cv_cldr_month_year_cached(c, b, sizeof b, "en", 2021, 13, 1) == NULL,
        "month 13 gives NULL through the cache too", NULL);
  char small[16];
  check(cv_cldr_month_year_cached(c, small, sizeof small, "de-AT", 2017, 9,
                                  CV_MONTH_LONG) != NULL &&
            !strcmp(small, "September 2017"),
        "a small buffer that holds the date gets it", small);
  cv_datecache_destroy(c);
}

static void test_not_mapping(void) {
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = cv_model_load_buffer("cv.yaml", "- a\n", 4, NULL, &d);
  int n = m ? cv_schema_validate(m->root, section_fields, NULL,
                                 "education section", &d)
            : -1;
  check_int(n, 1, "non-mapping object is one error");
  check_str(diag_text(&d, 0),
            "cv.yaml:1:1: error: education section expected a mapping, "
            "found a list",
            "non-mapping message");
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

int main(void) {
  test_valid();
  test_unknown();
  test_required();
  test_types();
  test_nested();
  test_dict();
  test_date_field();
  test_dates();
  test_months();
  test_month_cache();
  test_not_mapping();
  if (failures) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  return 0;
}
