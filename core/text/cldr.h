/* cvpdf - month names and month-and-year dates as each language writes
 * them, from CLDR through ICU (no tables typed by hand). */
#ifndef CVPDF_TEXT_CLDR_H
#define CVPDF_TEXT_CLDR_H

#include <stddef.h>

/* How a month is written in a date. */
typedef enum cv_month_form {
  CV_MONTH_SHORT = 1,  /* CLDR's abbreviated name: "Sep 2017", "sept. 2017" */
  CV_MONTH_LONG = 2,   /* the full name: "September 2017", "2017年9月" */
  CV_MONTH_DOTTED = 4, /* abbreviated, with a full stop where the name was
                          cut and CLDR writes none: "Sep. 2017", "May 2017" */
} cv_month_form;

/* Writes month (1-12) of year as lang (a BCP 47 tag; NULL: en) writes a
 * month and year, using CLDR's pattern for the skeleton yMMM or yMMMM, into
 * buf (UTF-8, cap bytes).  Returns buf, or NULL when month is out of range
 * or ICU fails (buf then holds "YYYY-MM"). */
const char *cv_cldr_month_year(char *buf, size_t cap, const char *lang,
                               int year, int month, cv_month_form form);

/* The dates a process has written, kept for the renders that follow (a
 * server renders the same CV again at every pause in typing): opening
 * ICU's pattern generator costs about a millisecond a date.  Safe to share
 * between threads. */
typedef struct cv_datecache cv_datecache;
cv_datecache *cv_datecache_create(void);    /* NULL when out of memory */
void cv_datecache_destroy(cv_datecache *c); /* NULL is accepted */

/* cv_cldr_month_year, answered from c when it wrote the same date before
 * (c NULL: no cache). */
const char *cv_cldr_month_year_cached(cv_datecache *c, char *buf, size_t cap,
                                      const char *lang, int year, int month,
                                      cv_month_form form);

/* Writes the name of month (1-12) standing alone (CLDR's stand-alone
 * context: "September", "septembre", "9月") into buf; abbreviated picks the
 * short name.  Returns buf, or NULL as above. */
const char *cv_cldr_month_name(char *buf, size_t cap, const char *lang,
                               int month, int abbreviated);

/* Writes a day's date as lang writes it in a letter, CLDR's long date
 * format ("3 December 2026" in en-GB, "December 3, 2026" in en, "3.
 * Dezember 2026", "2026年12月3日") into buf.  Returns buf, or NULL when the
 * date is out of range or ICU fails (buf then holds "YYYY-MM-DD"). */
const char *cv_cldr_day_date(char *buf, size_t cap, const char *lang, int year,
                             int month, int day);

/* Writes a length of time, years and months (either may be 0; both 0
 * is "0 months"), as lang writes it in full words ("2 years, 3 months",
 * "1 Jahr, 1 Monat"), from CLDR through ICU, into buf.  Returns buf, or
 * NULL when ICU fails (buf then holds "2y 3m"). */
const char *cv_cldr_duration(char *buf, size_t cap, const char *lang, int years,
                             int months);

/* The ICU locale id for a BCP 47 tag (NULL: en), with the Gregorian
 * calendar, into loc. */
void cv_cldr_locale(const char *lang, char *loc, size_t cap);

/* The date pattern for skel (a skeleton such as "yMMM") in loc (an ICU
 * locale id) into buf (UTF-8): with generator 0 CLDR's own from the
 * locale's bundles (-1 when none has the skeleton), with generator 1 what
 * ICU's pattern generator makes of it.  Returns 0, or -1. */
int cv_cldr_skeleton_pattern(char *buf, size_t cap, const char *loc,
                             const char *skel, int generator);

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
long cv_days_from_civil(long y, long m, long d);

#endif
