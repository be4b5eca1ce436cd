/* cvpdf plugin: letter - a cover letter under the CV's header: the
 * recipient's address (in an envelope's window when asked), the date, the
 * subject, the text, the closing, the signature and the enclosures.
 *
 * A document with `type: letter` at its top is one section of this type;
 * core has already put the header (from the CV the letter names, or its
 * own fields) above it. */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field recipient_fields[] = {
    {"name", CVPDF_FIELD_STRING, 0, "the person written to", NULL},
    {"title", CVPDF_FIELD_STRING, 0, "their position, printed under the name",
     NULL},
    {"organisation", CVPDF_FIELD_STRING, 0, "company, university or office",
     NULL},
    {"address", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "the postal address: a line, or a list of lines", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field signature_fields[] = {
    {"name", CVPDF_FIELD_STRING, 0,
     "the name typed under the signature (default: your name)", NULL},
    {"image", CVPDF_FIELD_STRING, 0,
     "a scanned signature: a JPEG or PNG file, relative to the letter", NULL},
    {"alt", CVPDF_FIELD_STRING, 0,
     "the image's alternate text (default: Signature of NAME)", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field letter_fields[] = {
    {"cv", CVPDF_FIELD_STRING, 0,
     "the CV whose header and layout the letter takes, relative to the "
     "letter",
     NULL},
    {"name", CVPDF_FIELD_STRING, 0,
     "your full name (default: the CV's), in the header and signature", NULL},
    {"recipient", CVPDF_FIELD_MAP, 0, "who the letter goes to",
     recipient_fields},
    {"place", CVPDF_FIELD_STRING, 0,
     "where it is written, printed before the date (Berlin, 3 March 2026)",
     NULL},
    {"date", CVPDF_FIELD_DATE, 0,
     "the letter's date, e.g. 2026-03-14 (default: today, or "
     "SOURCE_DATE_EPOCH), printed in the letter's language",
     NULL},
    {"subject", CVPDF_FIELD_STRING, 0,
     "the subject line (also the PDF's subject)", NULL},
    {"opening", CVPDF_FIELD_STRING, 0, "the salutation: Dear Dr. Weber,", NULL},
    {"body", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED | CVPDF_FIELD_ONE_OR_MORE,
     "the letter's text: a paragraph, or a list of paragraphs", NULL},
    {"closing", CVPDF_FIELD_STRING, 0, "the closing: Yours sincerely,", NULL},
    {"signature", CVPDF_FIELD_MAP, 0,
     "the typed name and an optional signature image", signature_fields},
    {"enclosures", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "what goes with the letter: a line, or a list", NULL},
    {"window", CVPDF_FIELD_STRING, 0,
     "the address in an envelope's window: din5008 (A4, form B), din5008a "
     "(form A), another place the layout's places: declares, or none "
     "(overrides the layout's option)",
     NULL},
    {NULL, 0, 0, NULL, NULL}};

static const char *const window_values[] = {"din5008", "din5008a", "none",
                                            NULL};
static const cvpdf_option letter_options[] = {
    {.name = "window",
     .doc = "where the recipient's address goes: din5008 or din5008a (the "
            "window of a DIN 5008 envelope) or none (in the text's flow)",
     .values = window_values},
    {.name = NULL}};

static const char *const letter_words[] = {"Enclosure", "Enclosures",
                                           "Signature of", NULL};

/* Parents first: a style inherits from its dotted parent. */
static const char *const letter_styles[] = {
    "recipient", "letter",          "letter.date", "letter.closing",
    "signature", "signature.image", "enclosures",  NULL};

static const cvpdf_section_type letter_types[] = {
    {.name = "letter",
     .doc = "a cover letter: a document with type: letter at its top",
     .fields = letter_fields,
     .options = letter_options,
     .words = letter_words,
     .styles = letter_styles},
    {.name = NULL}};

/* Each string of a field that is a string or a list of strings, as
 * paragraphs of style. */
static void paragraphs(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *n, const char *style) {
  for (size_t i = 0; i < h->len(n); i++) {
    const char *s = h->str(h->at(n, i));
    if (s && *s)
      h->paragraph(b, style, s);
  }
}

/* The recipient's lines, in the envelope's window when the layout or the
 * letter asks for one and the host can place it there. */
static void recipient(const cvpdf_host *h, cvpdf_builder *b,
                      const cvpdf_node *sec) {
  const cvpdf_node *r = h->get(sec, "recipient");
  const char *window = h->get_str(sec, "window");
  if (!window)
    window = h->option(b, "window");
  int placed = 0;
  if (window && strcmp(window, "none") && CVPDF_HOST_HAS(h, place_begin))
    placed = h->place_begin(b, window);
  if (!placed)
    h->space(b, "large");
  static const char *const lines[] = {"name", "title", "organisation", NULL};
  for (size_t i = 0; r && lines[i]; i++) {
    const char *s = h->get_str(r, lines[i]);
    if (s && *s)
      h->paragraph(b, "recipient", s);
  }
  paragraphs(h, b, h->get(r, "address"), "recipient");
  if (placed)
    h->place_end(b);
  else if (r)
    h->space(b, "large");
}

/* "Berlin, 3 March 2026", right of the line. */
static void date_line(const cvpdf_host *h, cvpdf_builder *b,
                      const cvpdf_node *sec) {
  const cvpdf_node *at = h->get(sec, "date");
  const char *date = CVPDF_HOST_HAS(h, day_date) ? h->day_date(b, at)
                                                 : h->date_range(b, at, NULL);
  const char *place = h->get_str(sec, "place");
  const char *parts[2] = {place, date};
  const char *text = h->join(b, parts, 2, ", ");
  if (text)
    h->row(b, NULL, NULL, "letter.date", text);
  h->space(b, "large");
}

static void signature(const cvpdf_host *h, cvpdf_builder *b,
                      const cvpdf_node *sec) {
  const cvpdf_node *sig = h->get(sec, "signature");
  const char *name = h->get_str(sig, "name");
  if (!name)
    name = h->get_str(sec, "name");
  const cvpdf_node *image = h->get(sig, "image");
  if (image && CVPDF_HOST_HAS(h, image)) {
    const char *alt = h->get_str(sig, "alt");
    if (!alt && name)
      alt = h->fmt(b, "%s %s", h->word(b, "Signature of"), name);
    h->image(b, "signature.image", image, alt);
  } else {
    h->space(b, "large");
  }
  if (name && *name)
    h->paragraph(b, "signature", h->escape(b, name));
}

static void enclosures(const cvpdf_host *h, cvpdf_builder *b,
                       const cvpdf_node *sec) {
  const cvpdf_node *e = h->get(sec, "enclosures");
  size_t n = h->len(e);
  if (!e || !n)
    return;
  h->space(b, "large");
  h->paragraph(
      b, "enclosures",
      h->fmt(b, "**%s**", h->word(b, n > 1 ? "Enclosures" : "Enclosure")));
  paragraphs(h, b, e, "enclosures");
}

static int letter_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *sec) {
  (void)state;
  (void)type;
  recipient(h, b, sec);
  date_line(h, b, sec);
  const char *subject = h->get_str(sec, "subject");
  if (subject && *subject)
    h->heading(b, subject);
  const char *opening = h->get_str(sec, "opening");
  if (opening && *opening) {
    h->paragraph(b, "letter", opening);
    h->space(b, "small");
  }
  const cvpdf_node *body = h->get(sec, "body");
  for (size_t i = 0; i < h->len(body); i++) {
    const char *s = h->str(h->at(body, i));
    if (!s || !*s)
      continue;
    h->paragraph(b, "letter", s);
    h->space(b, "small");
  }
  const char *closing = h->get_str(sec, "closing");
  if (closing && *closing) {
    h->space(b, "medium");
    h->paragraph(b, "letter.closing", closing);
  }
  signature(h, b, sec);
  enclosures(h, b, sec);
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,   .name = "letter",      .version = "1.0.0",
    .types = letter_types, .build = letter_build,
};
