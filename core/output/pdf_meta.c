/* cvpdf - the document's XMP metadata (ISO 16684-1): the same title,
 * author, subject, keywords, tools and dates as the document information
 * dictionary, and the PDF/UA identification (ISO 14289-1, 5); for PDF/A
 * (ISO 19005-2) its identification, the schema of pdfuaid (not one PDF/A
 * predefines), and the sRGB output intent. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_objects.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Text as XML character data: markup characters escaped, control
 * characters (which XML 1.0 cannot hold) left out. */
static void put_xml(cv_buf *b, const char *s) {
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '&')
      cv_buf_puts(b, "&amp;");
    else if (ch == '<')
      cv_buf_puts(b, "&lt;");
    else if (ch == '>')
      cv_buf_puts(b, "&gt;");
    else if (ch >= 0x20 || ch == '\t' || ch == '\n')
      cv_buf_putc(b, (char)ch);
  }
}

static void put_prop(cv_buf *b, const char *name, const char *value) {
  if (!value || !*value)
    return;
  cv_buf_printf(b, "   <%s>", name);
  put_xml(b, value);
  cv_buf_printf(b, "</%s>\n", name);
}

/* dc:title and dc:description are language alternatives; dc:creator an
 * ordered list. */
static void put_container(cv_buf *b, const char *name, const char *kind,
                          const char *value) {
  if (!value || !*value)
    return;
  cv_buf_printf(b, "   <%s><rdf:%s><rdf:li%s>", name, kind,
                strcmp(kind, "Alt") ? "" : " xml:lang=\"x-default\"");
  put_xml(b, value);
  cv_buf_printf(b, "</rdf:li></rdf:%s></%s>\n", kind, name);
}

/* PDF/A allows only the XMP properties it predefines or whose schema the
 * packet describes (ISO 19005-2, 6.6.2.3). */
static const char pdfua_schema[] =
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "    <pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>\n"
    "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
    "</pdfaSchema:namespaceURI>\n"
    "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "     <pdfaProperty:name>part</pdfaProperty:name>\n"
    "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "     <pdfaProperty:description>The part of ISO 14289 followed"
    "</pdfaProperty:description>\n"
    "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
    "  </rdf:Description>\n";

static void put_packet(cv_buf *b, const cv_docinfo *d, const char *producer,
                       const char *date, int pdfa) {
  cv_buf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                 "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                 " <rdf:RDF xmlns:rdf="
                 "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                 "  <rdf:Description rdf:about=\"\"\n"
                 "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                 "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                 "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                 "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
  if (pdfa)
    cv_buf_puts(b, "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
  cv_buf_puts(b, ">\n");
  put_prop(b, "dc:format", "application/pdf");
  put_container(b, "dc:title", "Alt", d->title);
  put_container(b, "dc:creator", "Seq", d->author);
  put_container(b, "dc:description", "Alt", d->subject);
  put_container(b, "dc:language", "Bag", d->lang);
  put_prop(b, "pdf:Keywords", d->keywords);
  put_prop(b, "pdf:Producer", producer);
  put_prop(b, "xmp:CreatorTool", d->creator);
  put_prop(b, "xmp:CreateDate", date);
  put_prop(b, "xmp:ModifyDate", date);
  put_prop(b, "xmp:MetadataDate", date);
  put_prop(b, "pdfuaid:part", "1");
  if (pdfa) {
    put_prop(b, "pdfaid:part", "2");
    put_prop(b, "pdfaid:conformance", pdfa == 'a' ? "A" : "B");
  }
  cv_buf_puts(b, "  </rdf:Description>\n");
  if (pdfa)
    cv_buf_puts(b, pdfua_schema);
  cv_buf_puts(b, " </rdf:RDF>\n</x:xmpmeta>\n");
  /* Room for an editor to add to the packet in place. */
  for (int i = 0; i < 20; i++)
    cv_buf_puts(b, "                                                  \n");
  cv_buf_puts(b, "<?xpacket end=\"w\"?>");
}

int cv_pdf_put_xmp(cv_pdf *w, const cv_docinfo *d, int pdfa) {
  time_t t = (time_t)d->date;
  struct tm tm;
  char date[32];
  if (!gmtime_r(&t, &tm) ||
      !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", &tm))
    return cv_pdf_fail(w, "document date out of range");
  cv_buf b;
  cv_buf_init(&b);
  put_packet(&b, d, HPDF_GetInfoAttr(w->pdf, HPDF_INFO_PRODUCER), date, pdfa);
  if (b.failed) {
    cv_buf_fini(&b);
    return cv_pdf_fail(w, "out of memory writing metadata");
  }
  /* Not compressed: a tool that knows nothing of PDF can still find it. */
  HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  int ok = s && HPDF_Dict_AddName(s, "Type", "Metadata") == HPDF_OK &&
           HPDF_Dict_AddName(s, "Subtype", "XML") == HPDF_OK;
  if (ok) {
    s->filter = HPDF_STREAM_FILTER_NONE;
    ok = HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)b.data,
                           (HPDF_UINT)b.len) == HPDF_OK &&
         HPDF_Dict_Add(w->pdf->catalog, "Metadata", s) == HPDF_OK;
  }
  cv_buf_fini(&b);
  return ok ? 0 : cv_pdf_fail(w, "cannot write the metadata");
}

int cv_pdf_put_output_intent(cv_pdf *w, const cv_docinfo *d) {
  if (!d->icc || !d->icc_len)
    return cv_pdf_fail(w, "PDF/A needs an sRGB ICC profile");
  HPDF_Dict icc = cv_pdf_new_stream(w, d->icc, d->icc_len);
  if (!icc)
    return -1;
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Array list = HPDF_Array_New(mm);
  HPDF_Dict oi = list ? HPDF_Dict_New(mm) : NULL;
  if (!oi)
    return cv_pdf_fail(w, "cannot write the output intent");
  HPDF_STATUS r = HPDF_Dict_AddNumber(icc, "N", 3);
  r += HPDF_Dict_AddName(oi, "Type", "OutputIntent");
  r += HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
  r += HPDF_Dict_Add(oi, "OutputConditionIdentifier",
                     HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
  r +=
      HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
  r += HPDF_Dict_Add(oi, "DestOutputProfile", icc);
  r += HPDF_Array_Add(list, oi);
  r += HPDF_Dict_Add(w->pdf->catalog, "OutputIntents", list);
  return r == HPDF_OK ? 0 : cv_pdf_fail(w, "cannot write the output intent");
}
