/* Test plugin for tests/robust_plugins.sh: handles section type "misuse"
 * and calls every service of the host with NULL, empty, foreign and absurd
 * arguments, then closes lists, items and entries it never opened.  The
 * host must report each as an error at the section, naming this plugin,
 * and never crash.  With MISUSE_ONLY=N (a number) only call N is made, so
 * the test can check each service alone; without it, every call runs in
 * turn.  With MISUSE_INIT set, init() calls services too (it has no
 * builder: they must refuse quietly).  Built by the test. */
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A pointer that is not a builder: the plugin's own memory. */
static char not_a_builder[256];

static char *huge_text(void) {
  /* Longer than the host accepts from a plugin (64 MiB). */
  size_t n = (size_t)65 << 20;
  char *s = malloc(n + 1);
  if (s) {
    memset(s, 'x', n);
    s[n] = '\0';
  }
  return s;
}

/* Each case: one call with bad arguments.  Returns 0 when the case number
 * is past the last. */
static int one(int i, const cvpdf_host *h, cvpdf_builder *b,
               const cvpdf_node *sec) {
  cvpdf_builder *nb = NULL;
  cvpdf_builder *fb = (cvpdf_builder *)not_a_builder;
  switch (i) {
  case 0:
    h->heading(b, NULL);
    break;
  case 1:
    h->heading(NULL, "a title");
    break;
  case 2:
    h->subheading(fb, "a title");
    break;
  case 3:
    h->subheading(b, NULL);
    break;
  case 4:
    h->paragraph(b, NULL, "text");
    break;
  case 5:
    h->paragraph(b, "no-such-style", "text");
    break;
  case 6:
    h->paragraph(b, "body", NULL);
    break;
  case 7:
    h->paragraph(nb, "body", "text");
    break;
  case 8:
    h->row(b, NULL, "left", "date", "right");
    break;
  case 9:
    h->row(b, "title", "left", "", "right");
    break;
  case 10:
    h->list_begin(b, (cvpdf_list_kind)99);
    h->list_end(b);
    break;
  case 11:
    h->list_end(b);
    break;
  case 12:
    h->item_end(b);
    break;
  case 13:
    h->entry_end(b);
    break;
  case 14:
    h->item(b, NULL);
    break;
  case 15:
    h->pair(b, NULL, NULL);
    break;
  case 16:
    h->contact(b, NULL, "text", "https://example.org");
    break;
  case 17:
    h->space(b, NULL);
    break;
  case 18:
    h->space(b, "enormous");
    break;
  case 19:
    h->word(b, NULL);
    break;
  case 20:
    h->option(b, NULL);
    break;
  case 21:
    h->error(b, sec, NULL);
    break;
  case 22:
    h->warn(NULL, sec, "%s", "x");
    break;
  case 23:
    h->fmt(b, NULL);
    break;
  case 24:
    h->get(sec, NULL);
    break;
  case 25:
    h->get_str(sec, NULL);
    break;
  case 26:
    h->get_bool(sec, NULL, 1);
    break;
  case 27:
    h->load_bibtex(b, NULL, "refs.bib");
    break;
  case 28:
    h->set_author(b, NULL);
    break;
  case 29: {
    char *s = huge_text();
    if (s)
      h->paragraph(b, "body", s);
    free(s);
    break;
  }
  case 30:
    for (int k = 0; k < 12; k++)
      h->list_begin(b, CVPDF_LIST_BULLET);
    for (int k = 0; k < 12; k++)
      h->list_end(b);
    break;
  case 31:
    h->item_begin(b, "open");
    break; /* never closed */
  case 32:
    h->date_range(fb, sec, sec);
    break;
  case 33:
    h->escape(fb, "x");
    break;
  case 34:
    h->entry_begin(b, NULL);
    h->entry_end(b);
    h->entry_end(b);
    break;
  case 35:
    /* Reading is NULL-safe by contract: absurd indices and kinds. */
    h->at(sec, SIZE_MAX);
    h->key_at(NULL, 3);
    h->value_at(sec, SIZE_MAX);
    h->len(NULL);
    h->kind(NULL);
    h->str(NULL);
    h->paragraph(b, "body", "");
    h->heading(b, "");
    h->paragraph(b, "body", "\xff\xfe invalid UTF-8 \xc3");
    return 1;
  default:
    return 0;
  }
  return 1;
}

static int misuse_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *sec) {
  (void)state;
  (void)type;
  const char *only = getenv("MISUSE_ONLY");
  if (only)
    return one(atoi(only), h, b, sec) ? 0 : 1;
  for (int i = 0; one(i, h, b, sec); i++)
    ;
  return 0;
}

/* init has no builder: services that need one must refuse quietly. */
static int misuse_init(const cvpdf_host *h, void **state) {
  (void)state;
  if (!getenv("MISUSE_INIT"))
    return 0;
  h->heading(NULL, "x");
  h->paragraph((cvpdf_builder *)not_a_builder, "body", "x");
  h->error(NULL, NULL, "x");
  return 0;
}

static const cvpdf_field fields[] = {
    {.name = "text", .type = CVPDF_FIELD_STRING, .doc = "ignored"},
    {.name = NULL}};

static const cvpdf_section_type types[] = {
    {.name = "misuse", .doc = "calls every service wrongly", .fields = fields},
    {.name = NULL}};

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER, .name = "misuse",    .version = "1.0",
    .types = types,      .init = misuse_init, .build = misuse_build};
