/* cvpdf - RenderCV's date options as cvpdf's: the last-updated line
 * RenderCV prints at the top of the first page (its top note, on unless
 * turned off), the sections whose entries print their length of time
 * (dates: spans), how a date and a range are written (dates: month and
 * separator).  convert_rcvdesign.c leaves the keys read here to it. */
#define _POSIX_C_SOURCE 200809L
#include "document/convert_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define RC "RenderCV"

/* The design keys read here: 2.x, 1.x, 0.x (under options.). */
static const char *const date_keys[] = {"page.show_top_note",
                                        "templates.top_note",
                                        "disable_last_updated_date",
                                        "show_last_updated_date",
                                        "options.show_last_updated_date",
                                        "sections.show_time_spans_in",
                                        "show_time_spans_in",
                                        "show_timespan_in",
                                        "options.show_timespan_in",
                                        "templates.time_span",
                                        "templates.single_date",
                                        "templates.date_range",
                                        "show_only_years",
                                        "options.show_only_years",
                                        NULL};

int cv_rcv_date_key(const char *path) {
  for (size_t i = 0; date_keys[i]; i++)
    if (!strcmp(path, date_keys[i]))
      return 1;
  return 0;
}

/* The value at a dotted path under m, or NULL when absent or null. */
static const cvpdf_node *at_path(const cvpdf_node *m, const char *path) {
  char key[64];
  while (m && m->kind == CVPDF_NODE_MAP) {
    size_t n = strcspn(path, ".");
    if (n >= sizeof key)
      return NULL;
    memcpy(key, path, n);
    key[n] = '\0';
    m = cv_conv_get(m, key);
    if (!path[n])
      return m;
    path += n + 1;
  }
  return NULL;
}

/* A YAML boolean at path: 1 true, 0 false, -1 absent; anything else a
 * warning (and -1). */
static int flag(cv_conv *c, const cvpdf_node *d, const char *path) {
  const cvpdf_node *v = at_path(d, path);
  if (!v)
    return -1;
  if (v->kind == CVPDF_NODE_SCALAR) {
    if (!strcasecmp(v->str, "true") || !strcasecmp(v->str, "yes"))
      return 1;
    if (!strcasecmp(v->str, "false") || !strcasecmp(v->str, "no"))
      return 0;
  }
  cv_conv_warn(c, v, RC " design.%s expected true or false, found %s%s%s", path,
               v->kind == CVPDF_NODE_SCALAR ? "'" : "",
               v->kind == CVPDF_NODE_SCALAR ? v->str : cv_node_kind_name(v),
               v->kind == CVPDF_NODE_SCALAR ? "'" : "");
  return -1;
}

/* Whether RenderCV prints its last-updated line: on unless turned off
 * (2.x page.show_top_note or an empty templates.top_note, 1.x
 * disable_last_updated_date, 0.x options.show_last_updated_date). */
static int last_updated(cv_conv *c, const cvpdf_node *d) {
  int on = 1;
  if (flag(c, d, "page.show_top_note") == 0 ||
      flag(c, d, "disable_last_updated_date") == 1 ||
      flag(c, d, "show_last_updated_date") == 0 ||
      flag(c, d, "options.show_last_updated_date") == 0)
    on = 0;
  const cvpdf_node *note = at_path(d, "templates.top_note");
  const cvpdf_node *tpl = at_path(d, "templates");
  if (!note && cv_node_get(tpl, "top_note"))
    return 0; /* top_note: '' */
  if (!note)
    return on;
  if (note->kind != CVPDF_NODE_SCALAR || !strstr(note->str, "CURRENT_DATE"))
    cv_conv_warn(c, note,
                 RC " design.templates.top_note has no cvpdf counterpart "
                    "but for its last-updated date (LAST_UPDATED "
                    "CURRENT_DATE); left out");
  else if (strcmp(note->str, "*LAST_UPDATED CURRENT_DATE*"))
    cv_conv_warn(c, note,
                 RC " design.templates.top_note '%s' is printed as cvpdf's "
                    "last-updated line ('{updated} {date}')",
                 note->str);
  return on && note->kind == CVPDF_NODE_SCALAR &&
         strstr(note->str, "CURRENT_DATE");
}

/* Whether design is RenderCV 2.x's, or has none: older ones had keys of
 * their own at its top. */
static int current(const cvpdf_node *d) {
  static const char *const old[] = {"page_size",
                                    "font",
                                    "font_size",
                                    "color",
                                    "options",
                                    "margins",
                                    "show_timespan_in",
                                    "text_alignment",
                                    "disable_last_updated_date",
                                    NULL};
  for (size_t i = 0; old[i]; i++)
    if (cv_node_get(d, old[i]))
      return 0;
  return 1;
}

/* The sections whose entries print their length of time: RenderCV's list
 * of section titles, or the 2.x classic theme's default (experience). */
static void spans(cv_conv *c, const cvpdf_node *d, cvpdf_node *dates) {
  static const char *const keys[] = {"sections.show_time_spans_in",
                                     "show_time_spans_in", "show_timespan_in",
                                     "options.show_timespan_in", NULL};
  const cvpdf_node *list = NULL;
  const char *path = NULL;
  for (size_t i = 0; keys[i] && !list; i++)
    list = at_path(d, path = keys[i]);
  const cvpdf_node *tpl = at_path(d, "templates.time_span");
  if (tpl && (tpl->kind != CVPDF_NODE_SCALAR ||
              strcmp(tpl->str, "HOW_MANY_YEARS YEARS HOW_MANY_MONTHS MONTHS")))
    cv_conv_warn(c, tpl,
                 RC " design.templates.time_span has no cvpdf counterpart: "
                    "a length of time is printed as CLDR writes it in the "
                    "CV's language (2 years, 3 months)");
  if (!list) {
    const char *theme = cv_node_get_str(d, "theme");
    if ((theme && strcmp(theme, "classic")) || !current(d))
      return;
    cvpdf_node *seq = cv_conv_seq(c, d);
    cv_conv_push(c, seq, cv_conv_scalar(c, d, "experience"));
    cv_conv_set(c, dates, "spans", d, seq);
    return;
  }
  cvpdf_node *seq = cv_conv_seq(c, list);
  for (size_t i = 0; list->kind == CVPDF_NODE_SEQ && i < list->n; i++) {
    const cvpdf_node *t = list->items[i];
    if (t->kind == CVPDF_NODE_SCALAR)
      cv_conv_push(c, seq, cv_conv_scalar(c, t, t->str));
    else
      cv_conv_warn(c, t, RC " design.%s expected section titles, found %s",
                   path, cv_node_kind_name(t));
  }
  if (list->kind != CVPDF_NODE_SEQ)
    cv_conv_warn(c, list,
                 RC " design.%s expected a list of section titles, found "
                    "%s; left out",
                 path, cv_node_kind_name(list));
  else if (list->n)
    cv_conv_set(c, dates, "spans", list, seq);
}

/* RenderCV's single-date template (2.x), or show_only_years (1.x), as
 * cvpdf's dates: month; NULL when it has no counterpart. */
static const char *month_form(const char *tpl) {
  static const char *const forms[][2] = {
      {"MONTH_ABBREVIATION YEAR", "short"},
      {"MONTH_NAME YEAR", "long"},
      {"MONTH_IN_TWO_DIGITS/YEAR", "numeric"},
      {"YEAR", "none"}};
  return cv_conv_lookup(forms, sizeof forms / sizeof *forms, tpl);
}

/* How dates are written: templates.single_date and show_only_years as
 * dates: month, templates.date_range as dates: separator. */
static void formats(cv_conv *c, const cvpdf_node *d, cvpdf_node *dates) {
  const cvpdf_node *v = at_path(d, "templates.single_date");
  const char *month =
      v && v->kind == CVPDF_NODE_SCALAR ? month_form(v->str) : NULL;
  if (v && !month)
    cv_conv_warn(c, v,
                 RC " design.templates.single_date has no cvpdf counterpart "
                    "(MONTH_ABBREVIATION YEAR, MONTH_NAME YEAR, "
                    "MONTH_IN_TWO_DIGITS/YEAR or YEAR); left out");
  if (flag(c, d, "show_only_years") == 1 ||
      flag(c, d, "options.show_only_years") == 1)
    month = "none";
  if (month)
    cv_conv_set(c, dates, "month", d, cv_conv_scalar(c, d, month));
  v = at_path(d, "templates.date_range");
  if (!v)
    return;
  const char *s = v->kind == CVPDF_NODE_SCALAR ? v->str : "";
  size_t n = strlen(s);
  if (n > 18 && !strncmp(s, "START_DATE", 10) &&
      !strcmp(s + n - 8, "END_DATE") && !strstr(s + 10, "START_DATE")) {
    char sep[64];
    snprintf(sep, sizeof sep, "%.*s", (int)(n - 18), s + 10);
    if (!strchr(sep, '_') && n - 18 < sizeof sep) {
      cv_conv_set(c, dates, "separator", v, cv_conv_scalar(c, v, sep));
      return;
    }
  }
  cv_conv_warn(c, v,
               RC " design.templates.date_range has no cvpdf counterpart "
                  "but START_DATE, a separator and END_DATE; left out");
}

void cv_rcv_dates(cv_conv *c, const cvpdf_node *design, cvpdf_node *th) {
  cvpdf_node *dates = cv_conv_map(c, design);
  formats(c, design, dates);
  spans(c, design, dates);
  /* The design's dates: width may have made the theme's dates: already. */
  cvpdf_node *have = (cvpdf_node *)cv_node_get(th, "dates");
  for (size_t i = 0; have && dates && i < dates->n; i++)
    cv_conv_set(c, have, dates->keys[i]->str, dates->keys[i], dates->items[i]);
  if (!have && cv_node_len(dates))
    cv_conv_set(c, th, "dates", design, dates);
  if (last_updated(c, design)) {
    const cvpdf_node *at = design;
    cvpdf_node *u = cv_conv_map(c, at);
    cv_conv_set(c, u, "text", at, cv_conv_scalar(c, at, "{updated} {date}"));
    cv_conv_set(c, u, "align", at, cv_conv_scalar(c, at, "right"));
    cv_conv_set(c, th, "updated", at, u);
  }
}
