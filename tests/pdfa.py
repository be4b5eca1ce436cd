#!/usr/bin/env python3
"""PDF/A-2 (ISO 19005-2): the rules cvpdf's --pdfa output must meet that a
reader of the file can check, without a PDF/A validator.

  pdfa.py FILE.pdf...   prints one line a failed rule; exit 1 if any
  pdfa.py               renders the examples with --pdfa and checks them
                        (and that the checks fail on a PDF without --pdfa,
                        that a missing sRGB profile is a clear error and
                        that the output is the same bytes twice)

Checked (clause of ISO 19005-2 in brackets): the header and its binary
comment line (6.1.2); a trailer /ID and no /Encrypt (6.1.3); no LZW
(6.1.7.2) nor PostScript XObjects (6.2.9); an output intent GTS_PDFA1 with
an RGB ICC profile of version 2 to 4 and /N 3 (6.2.3); no CMYK colour
(images, content operators k and K) with that RGB intent (6.2.4.3); no
transfer functions (6.2.5), /Alternates or /Interpolate true on images
(6.2.8); every font embedded (6.2.11.4); every annotation printed and not
hidden (6.3.2); no forbidden actions or JavaScript, no /AA (6.5.1); XMP
with pdfaid:part 2 and conformance A for a tagged file (6.6.4), a schema
for every non-predefined property used (pdfuaid) (6.6.2.3), and Info
entries equal to their XMP properties (6.6.3); no embedded files (6.8).
Not checked: the fonts' programs against their /W widths and glyphs,
the ICC profile's content beyond its header, the XMP packet's full RDF
grammar, and the tagged structure beyond what tests/pdfua.py checks.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfua import Doc, listify, load, text  # noqa: E402

FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm",
                     "/ImportData", "/JavaScript", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView"}
INFO_XMP = [("/Title", "dc:title"), ("/Author", "dc:creator"),
            ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords"),
            ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"),
            ("/CreationDate", "xmp:CreateDate"),
            ("/ModDate", "xmp:ModifyDate")]


def xmp_value(xmp, prop):
    m = re.search(r"<%s>(.*?)</%s>" % (prop, prop), xmp, re.S)
    if not m:
        return None
    v = m.group(1)
    li = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", v, re.S)
    v = li.group(1) if li else v
    return v.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def pdf_date(d):
    """D:YYYYMMDDHHmmSS+HH'mm' as YYYY-MM-DDTHH:mm:SS+HH:mm."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([-+Z])(\d\d)?'?(\d\d)?",
                 d or "")
    if not m:
        return None
    g = m.groups()
    zone = "Z" if g[6] == "Z" else "%s%s:%s" % (g[6], g[7] or "00", g[8] or "00")
    return "%s-%s-%sT%s:%s:%s%s" % (g[:6] + (zone,))


def check_xmp(xmp, info, tagged, bad):
    if xmp_value(xmp, "pdfaid:part") != "2":
        bad.append("6.6.4 no pdfaid:part 2 in the XMP")
    conf = xmp_value(xmp, "pdfaid:conformance")
    if conf != ("A" if tagged else "B"):
        bad.append("6.6.4 pdfaid:conformance %s for a%s tagged file"
                   % (conf, "" if tagged else "n un"))
    if "pdfuaid:" in xmp and not re.search(
            r"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/<", xmp):
        bad.append("6.6.2.3 pdfuaid used with no extension schema for it")
    for key, prop in INFO_XMP:
        iv, xv = text(info.get(key)), xmp_value(xmp, prop)
        if key.endswith("Date"):
            iv = pdf_date(iv)
        if iv is not None and iv != xv:
            bad.append(f"6.6.3 Info {key} '{iv}' differs from {prop} '{xv}'")


def check_intent(doc, cat, bad):
    intents = [doc.deref(x) for x in listify(doc.deref(cat.get("/OutputIntents")))]
    pdfa = [i for i in intents if isinstance(i, dict) and i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        bad.append("6.2.3 expected one GTS_PDFA1 output intent, found %d" % len(pdfa))
        return
    ref = pdfa[0].get("/DestOutputProfile")
    prof = doc.obj(ref) if ref else {}
    icc = doc.data(ref) if ref else b""
    if prof.get("/N") != 3:
        bad.append("6.2.3 the output profile has no /N 3")
    if len(icc) < 128 or icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
        bad.append("6.2.3 the output profile is not an RGB ICC profile")
    elif not 2 <= icc[8] <= 4:
        bad.append("6.2.3 the output profile's ICC version is %d" % icc[8])


def check_object(doc, ref, v, bad):
    """Rules on one dictionary (or a stream's dictionary)."""
    where = ref[4:]
    if v.get("/Type") == "/Annot" or v.get("/Subtype") in ("/Link", "/Widget"):
        f = v.get("/F") if isinstance(v.get("/F"), int) else 0
        if not f & 4 or f & (1 | 2 | 32):
            bad.append(f"6.3.2 annotation {where} is not printed, or hidden (/F {f})")
    for key in ("/A", "/OpenAction"):
        a = doc.deref(v.get(key))
        if isinstance(a, dict) and a.get("/S") in FORBIDDEN_ACTIONS:
            bad.append(f"6.5.1 object {where}: a {a.get('/S')} action")
    if "/AA" in v:
        bad.append(f"6.5.2 object {where} has additional actions (/AA)")
    if "/JS" in v or v.get("/S") == "/JavaScript":
        bad.append(f"6.5.1 object {where} holds JavaScript")
    if v.get("/Type") == "/ExtGState" and ("/TR" in v or "/TR2" in v):
        bad.append(f"6.2.5 graphics state {where} has a transfer function")
    if v.get("/Subtype") == "/Image":
        if v.get("/ColorSpace") == "/DeviceCMYK":
            bad.append(f"6.2.4.3 image {where} is CMYK, the output intent RGB")
        if v.get("/Interpolate") is True or "/Alternates" in v:
            bad.append(f"6.2.8 image {where} has /Interpolate true or /Alternates")
    if v.get("/Subtype") == "/PS":
        bad.append(f"6.2.9 PostScript XObject {where}")
    filters = listify(v.get("/Filter"))
    if "/LZWDecode" in filters:
        bad.append(f"6.1.7.2 object {where} is LZW-compressed")
    if v.get("/Type") == "/Font" and v.get("/Subtype") != "/Type3":
        fonts = [doc.deref(x) for x in listify(v.get("/DescendantFonts"))] or [v]
        for f in fonts:
            fd = doc.deref(f.get("/FontDescriptor")) or {}
            if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append(f"6.2.11.4 font {where} ({v.get('/BaseFont')}) is not embedded")
    if v.get("/Type") == "/Filespec" or "/EmbeddedFiles" in v:
        bad.append(f"6.8 object {where} embeds a file")


def check(pdf):
    bad = []
    with open(pdf, "rb") as f:
        raw = f.read()
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", raw):
        bad.append("6.1.2 the header is not %PDF-1.n and a binary comment")
    if not raw.rstrip(b"\r\n").endswith(b"%%EOF"):
        bad.append("6.1.3 the file does not end with %%EOF")
    doc = Doc(load(pdf))
    trailer = doc.objs.get("trailer", {}).get("value", {})
    if "/Encrypt" in trailer:
        bad.append("6.1.3 the file is encrypted")
    ids = trailer.get("/ID") or []
    if len(ids) != 2:
        bad.append("6.1.3 the trailer has no /ID")
    cat = doc.deref(trailer.get("/Root")) or {}
    info = doc.deref(trailer.get("/Info")) or {}
    meta = cat.get("/Metadata")
    xmp = doc.data(meta).decode("utf-8", "replace") if meta else ""
    check_xmp(xmp, info, bool(cat.get("/StructTreeRoot")), bad)
    check_intent(doc, cat, bad)
    for ref, o in doc.objs.items():
        if not isinstance(o, dict) or not ref.startswith("obj:"):
            continue
        v = o.get("value", o.get("stream", {}).get("dict"))
        if isinstance(v, dict):
            check_object(doc, ref, v, bad)
        is_page = isinstance(v, dict) and v.get("/Type") == "/Page"
        for c in listify(v.get("/Contents")) if is_page else []:
            ops = doc.data(c)
            if re.search(rb"(^|\s)(k|K)(\s|$)", ops):
                bad.append(f"6.2.4.3 page {ref[4:]} paints in DeviceCMYK")
    return bad


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def self_test(cvpdf):
    """Renders the examples with --pdfa and checks them; the checks must
    find faults in a PDF written without it."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    env.pop("CVPDF_SRGB_PROFILE", None)
    with tempfile.TemporaryDirectory(prefix="cvpdf-pdfa-") as tmp:
        return run_cases(cvpdf, env, tmp)


def run_cases(cvpdf, env, tmp):
    fails = 0
    examples = sorted(f for f in os.listdir("examples") if f.endswith(".yaml"))
    cases = [(e, None) for e in examples] + [("academic-cv.yaml", l) for l in
                                            ("awesome", "modern", "compact")]
    for n, (ex, layout) in enumerate(cases):
        out = os.path.join(tmp, "%d.pdf" % n)
        cmd = [cvpdf, "render", "-q", "--pdfa", "examples/" + ex, "-o", out]
        p = run(cmd + (["--layout", layout] if layout else []), env=env)
        name = ex + (" (%s)" % layout if layout else "")
        bad = [p.stderr.strip()] if p.returncode else check(out)
        print(("ok - " if not bad else "FAIL - ") + name)
        for b in bad:
            print("  " + b)
        fails += bool(bad)
    # The same bytes twice.
    again = os.path.join(tmp, "again.pdf")
    run([cvpdf, "render", "-q", "--pdfa", "examples/" + examples[0], "-o", again], env=env)
    same = open(again, "rb").read() == open(os.path.join(tmp, "0.pdf"), "rb").read()
    print(("ok - " if same else "FAIL - ") + "the same bytes twice")
    fails += not same
    # The checks can fail: a PDF without --pdfa breaks them.
    plain = os.path.join(tmp, "plain.pdf")
    run([cvpdf, "render", "-q", "examples/minimal.yaml", "-o", plain], env=env)
    found = check(plain)
    want = ("6.6.4", "6.2.3")
    ok = all(any(b.startswith(w) for b in found) for w in want)
    print(("ok - " if ok else "FAIL - ") + "a PDF without --pdfa fails 6.6.4 and 6.2.3")
    fails += not ok
    # A missing profile is an error naming it, and writes nothing.
    gone = os.path.join(tmp, "gone.pdf")
    p = run([cvpdf, "render", "--pdfa", "examples/minimal.yaml", "-o", gone],
            env=dict(env, CVPDF_SRGB_PROFILE=os.path.join(tmp, "none.icc")))
    ok = (p.returncode == 1 and "none.icc" in p.stderr and "sRGB" in p.stderr
          and not os.path.exists(gone))
    print(("ok - " if ok else "FAIL - ") + "a missing sRGB profile: " + p.stderr.strip()[:160])
    fails += not ok
    # A file that is not an ICC profile is refused too.
    p = run([cvpdf, "render", "--pdfa", "examples/minimal.yaml", "-o", gone],
            env=dict(env, CVPDF_SRGB_PROFILE="examples/minimal.yaml"))
    ok = p.returncode == 1 and "not an ICC profile" in p.stderr
    print(("ok - " if ok else "FAIL - ") + "a file that is no ICC profile: " + p.stderr.strip()[:160])
    fails += not ok
    print("%d passed, %d failed" % (len(cases) + 4 - fails, fails))
    return 1 if fails else 0


def main():
    if len(sys.argv) > 1:
        status = 0
        for pdf in sys.argv[1:]:
            bad = check(pdf)
            for b in bad:
                print(f"{pdf}: {b}")
            status |= bool(bad)
            if not bad:
                print(f"ok {pdf}: the PDF/A-2 rules checked hold")
        return status
    return self_test(os.environ.get("CVPDF_BIN", "build/core/cvpdf"))


if __name__ == "__main__":
    sys.exit(main())
