/* cvpdf - validation of sections against the fields plugins declare, and
 * dates. */
#ifndef CV_SCHEMA_H
#define CV_SCHEMA_H

#include "document/model.h"

/* Validates the mapping `obj` against `fields` (ends at name NULL).
 * `extra` lists further allowed keys (e.g. "type", "title", "tags"), may be
 * NULL.  `what` names the object in messages ("education entry").
 * Every problem is added to diags: unknown field (with "did you mean"),
 * missing required field, wrong type ("expected a list of strings, found a
 * mapping").  Returns the number of errors added. */
int cv_schema_validate(const cvpdf_node *obj, const cvpdf_field *fields,
                       const char *const *extra, const char *what,
                       cv_diags *diags);

/* A date: year, month (0 = none), day (0 = none), or present. */
typedef struct cv_date {
  int year, month, day;
  int present;
} cv_date;

/* Parses 2021, 2021-05, 2021-05-17, "May 2021", "May. 2021", "Sept 2021",
 * "05/2021", "present"/"now"/"today" (case-insensitive).  0 on success. */
int cv_date_parse(const char *s, cv_date *d);

/* Parses an ISO 8601 day, 2026-09-14, and nothing else.  0 on success. */
int cv_date_parse_day(const char *s, cv_date *d);

/* A date printed as written, {text: "Fall 2023"}: what RenderCV and JSON
 * Resume files write where a date cvpdf can read is expected.  Its text,
 * or NULL when n is not one. */
const char *cv_date_literal(const cvpdf_node *n);

#endif
