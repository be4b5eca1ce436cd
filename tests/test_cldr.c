/* Tests for core/text/cldr.c: the month-and-year patterns cvpdf reads from
 * CLDR's bundles are the ones ICU's pattern generator gives, for every
 * locale ICU has and a few tags it has not. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <unicode/uloc.h>

#include "text/cldr.h"

static int failures, checked, generated;

/* Compares the two patterns of yMMM and yMMMM for the ICU locale loc. */
static void compare(const char *loc) {
  static const char *const skels[] = {"yMMM", "yMMMM"};
  for (int k = 0; k < 2; k++) {
    char own[128], gen[128];
    int rg = cv_cldr_skeleton_pattern(gen, sizeof gen, loc, skels[k], 1);
    int ro = cv_cldr_skeleton_pattern(own, sizeof own, loc, skels[k], 0);
    checked++;
    if (ro < 0) { /* month_year asks the generator then */
      generated++;
      continue;
    }
    if (rg < 0 || strcmp(own, gen)) {
      failures++;
      printf("FAIL - %s %s: CLDR's '%s', the generator's '%s'\n", loc, skels[k],
             own, rg < 0 ? "(none)" : gen);
    }
  }
}

int main(void) {
  static const char *const tags[] = {
      "en",    "de-AT", "sr-Latn-BA", "zh-Hant-HK", "iw", "no",
      "fa",    "pt-BR", "en-GB",      "ja",         "ko", "xx",
      "x-abc", "tlh",   "und",        "ff-Adlm-GH", "mo", "ar-SA"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
    char loc[64];
    cv_cldr_locale(tags[i], loc, sizeof loc);
    compare(loc);
  }
  for (int32_t i = 0; i < uloc_countAvailable(); i++) {
    char loc[ULOC_FULLNAME_CAPACITY + 32];
    snprintf(loc, sizeof loc, "%s@calendar=gregorian", uloc_getAvailable(i));
    compare(loc);
  }
  printf("%s - %d patterns, %d left to the generator, %d differ\n",
         failures || checked < 1000 ? "FAIL" : "ok", checked, generated,
         failures);
  char buf[64];
  const char *r = cv_cldr_month_year(buf, sizeof buf, "zh-Hant-HK", 2017, 9,
                                     CV_MONTH_SHORT);
  int ok = r && !strcmp(buf, "2017年9月");
  printf("%s - zh-Hant-HK yMMM: %s\n", ok ? "ok" : "FAIL", buf);
  failures += !ok;
  r = cv_cldr_month_year(buf, sizeof buf, "sr-Latn-BA", 2017, 9, CV_MONTH_LONG);
  ok = r && !strcmp(buf, "septembar 2017.");
  printf("%s - sr-Latn-BA yMMMM: %s\n", ok ? "ok" : "FAIL", buf);
  failures += !ok;
  return failures || checked < 1000 ? 1 : 0;
}
