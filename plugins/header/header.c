/* cvpdf plugin: header - the top of the CV: name, headline and contact
 * items as links.  The host hands it the document's top level. */
#include <cvpdf/cvpdf.h>

#include <string.h>

static const cvpdf_field link_fields[] = {
    {"text", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "what is printed", NULL},
    {"url", CVPDF_FIELD_URL, 0, "where it links to", NULL},
    {"icon", CVPDF_FIELD_STRING, 0,
     "whose icon the layout prints before it (gitlab, mastodon, ...; "
     "default: link)",
     NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field contact_fields[] = {
    {"email", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "e-mail address, or a list of them", NULL},
    {"phone", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "phone number, as printed, or a list of them", NULL},
    {"website", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE,
     "personal web site, or a list of them", NULL},
    {"linkedin", CVPDF_FIELD_STRING, 0, "LinkedIn user name or profile address",
     NULL},
    {"twitter", CVPDF_FIELD_STRING, 0, "X/Twitter user name", NULL},
    {"github", CVPDF_FIELD_STRING, 0, "GitHub user name", NULL},
    {"scholar", CVPDF_FIELD_URL, 0, "Google Scholar profile address", NULL},
    {"orcid", CVPDF_FIELD_STRING, 0, "ORCID iD", NULL},
    {"location", CVPDF_FIELD_STRING, 0, "city, country", NULL},
    {"links", CVPDF_FIELD_LIST, CVPDF_FIELD_STRING_ITEMS,
     "further items: an address, or {text, url, icon}", link_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field header_fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "your full name", NULL},
    {"headline", CVPDF_FIELD_STRING, 0,
     "a line under the name: position, affiliation", NULL},
    {"contact", CVPDF_FIELD_MAP, 0, "contact items, printed in the order given",
     contact_fields},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_section_type header_types[] = {
    {.name = "header",
     .doc = "the name, headline and contact line at the top",
     .fields = header_fields},
    {.name = NULL}};

/* A value that looks like an address (has a dot or slash) is printed as
 * given; a bare user name is turned into the service's profile address. */
static int is_address(const char *v) {
  return strchr(v, '.') != NULL || strchr(v, '/') != NULL;
}

static const char *with_scheme(const cvpdf_host *h, cvpdf_builder *b,
                               const char *v) {
  if (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8))
    return v;
  return h->fmt(b, "https://%s", v);
}

static const char *strip_scheme(const char *v) {
  if (!strncmp(v, "https://", 8))
    return v + 8;
  if (!strncmp(v, "http://", 7))
    return v + 7;
  return v;
}

static void contact_item(const cvpdf_host *h, cvpdf_builder *b,
                         const char *kind, const char *v) {
  const char *text = v, *url = NULL;
  if (!strcmp(kind, "email")) {
    url = h->fmt(b, "mailto:%s", v);
  } else if (!strcmp(kind, "phone")) {
    char digits[64];
    size_t n = 0;
    for (const char *p = v; *p && n + 1 < sizeof digits; p++)
      if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0))
        digits[n++] = *p;
    digits[n] = '\0';
    url = h->fmt(b, "tel:%s", digits);
  } else if (!strcmp(kind, "website")) {
    text = strip_scheme(v);
    url = with_scheme(h, b, v);
  } else if (!strcmp(kind, "linkedin")) {
    url = is_address(v) ? with_scheme(h, b, v)
                        : h->fmt(b, "https://www.linkedin.com/in/%s", v);
    text = strip_scheme(v);
  } else if (!strcmp(kind, "twitter")) {
    const char *user = v[0] == '@' ? v + 1 : v;
    url = is_address(v) ? with_scheme(h, b, v)
                        : h->fmt(b, "https://x.com/%s", user);
    text = is_address(v) ? strip_scheme(v) : h->fmt(b, "@%s", user);
  } else if (!strcmp(kind, "github")) {
    url = is_address(v) ? with_scheme(h, b, v)
                        : h->fmt(b, "https://github.com/%s", v);
    text = strip_scheme(v);
  } else if (!strcmp(kind, "scholar")) {
    text = "Google Scholar";
    url = with_scheme(h, b, v);
  } else if (!strcmp(kind, "orcid")) {
    url = is_address(v) ? with_scheme(h, b, v)
                        : h->fmt(b, "https://orcid.org/%s", v);
    text = h->fmt(b, "ORCID %s", strip_scheme(v));
  }
  h->contact(b, kind, text, url);
}

/* links: an address is printed without its scheme and links to itself;
 * {text, url, icon} prints text with the icon of kind `icon`. */
static void contact_links(const cvpdf_host *h, cvpdf_builder *b,
                          const cvpdf_node *links) {
  for (size_t i = 0; i < h->len(links); i++) {
    const cvpdf_node *l = h->at(links, i);
    if (h->kind(l) != CVPDF_NODE_MAP) {
      const char *v = h->str(l);
      if (v && *v)
        h->contact(b, "link", strip_scheme(v),
                   strstr(v, "://") || !strncmp(v, "mailto:", 7)
                       ? v
                       : with_scheme(h, b, v));
      continue;
    }
    const char *icon = h->get_str(l, "icon");
    h->contact(b, icon && *icon ? icon : "link", h->get_str(l, "text"),
               h->get_str(l, "url"));
  }
}

static int header_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                        const char *type, const cvpdf_node *doc) {
  (void)state;
  (void)type;
  const char *name = h->get_str(doc, "name");
  if (!name)
    return 0;
  h->set_author(b, name);
  h->paragraph(b, "name", h->escape(b, name));
  const char *headline = h->get_str(doc, "headline");
  if (headline)
    h->paragraph(b, "headline", headline);
  const cvpdf_node *contact = h->get(doc, "contact");
  for (size_t i = 0; i < h->len(contact); i++) {
    const cvpdf_node *val = h->value_at(contact, i);
    if (!strcmp(h->key_at(contact, i), "links")) {
      contact_links(h, b, val);
      continue;
    }
    /* A list (several e-mail addresses) gives an item each. */
    int many = h->kind(val) == CVPDF_NODE_SEQ;
    for (size_t j = 0; j < (many ? h->len(val) : 1); j++) {
      const char *v = h->str(many ? h->at(val, j) : val);
      if (v && *v)
        contact_item(h, b, h->key_at(contact, i), v);
    }
  }
  h->space(b, "medium");
  return 0;
}

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,   .name = "header",      .version = "1.0.0",
    .types = header_types, .build = header_build,
};
