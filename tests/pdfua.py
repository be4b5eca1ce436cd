#!/usr/bin/env python3
"""Machine-checkable conditions of PDF/UA-1 (the Matterhorn Protocol's
failure conditions named in docs/tagged-pdf.md) on PDFs cvpdf wrote.

  pdfua.py FILE.pdf...      prints one line a failed condition; exit 1 if any

Reads each file through qpdf's JSON (qpdf 11): the catalog, the pages and
their annotations, the XMP packet, the structure tree and every content
stream (decoded), whose operators are followed to see that everything
drawn is either real content in a tagged sequence (with an MCID) or an
artifact, and never the one inside the other.
"""
import base64
import json
import re
import subprocess
import sys

STANDARD = {"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption",
            "TOC", "TOCI", "Index", "NonStruct", "Private", "H", "H1", "H2",
            "H3", "H4", "H5", "H6", "P", "L", "LI", "Lbl", "LBody", "Table",
            "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote",
            "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby",
            "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula",
            "Form"}
PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*",
         "sh", "Do", "BI"}
TOKEN = re.compile(rb"""\s*(?:(?P<str>\((?:\\.|[^\\()])*\))|(?P<hex><[0-9A-Fa-f\s]*>)
                   |(?P<dict><<)|(?P<edict>>>)|(?P<arr>\[)|(?P<earr>\])
                   |(?P<name>/[^\s/<>\[\]()]*)|(?P<word>[^\s/<>\[\]()]+))""", re.X)


def load(pdf):
    p = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--decode-level=generalized",
                        "--json-stream-data=inline", pdf], capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise RuntimeError("qpdf: " + p.stderr.strip())
    return json.loads(p.stdout)["qpdf"][1]


class Doc:
    def __init__(self, objs):
        self.objs = objs

    def obj(self, ref):
        o = self.objs.get("obj:" + ref, {})
        return o.get("value", o.get("stream", {}).get("dict", {})) if isinstance(o, dict) else o

    def deref(self, x):
        if isinstance(x, str) and re.match(r"^\d+ \d+ R$", x):
            return self.obj(x)
        return x

    def data(self, ref):
        s = self.objs.get("obj:" + ref, {}).get("stream", {})
        return base64.b64decode(s.get("data", "") or "")


def text(v):
    """A PDF string from qpdf's JSON ("u:..." or "b:...") as text."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        raw = bytes.fromhex(v[2:])
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return v


def check_content(data, where, bad):
    """Every painting operator inside a tagged sequence or an artifact."""
    stack = []  # "tag", "artifact" or "other" per open BDC/BMC
    seg = 0     # where the operands of the next operator start
    text = None  # inside BT ... ET: the depth of the stack at its BT
    for m in TOKEN.finditer(data):
        word = m.group("word")
        if word is None or re.match(rb"^[-+]?[\d.]+$|^(true|false|null)$", word):
            continue
        op = word.decode("latin-1")
        operands, seg = data[seg:m.start()], m.end()
        if op in ("BDC", "BMC"):
            tag = re.match(rb"\s*/([^\s/<\[]*)", operands)
            tag = tag.group(1) if tag else b""
            kind = ("artifact" if tag == b"Artifact" else
                    "tag" if op == "BDC" and b"/MCID" in operands else "other")
            if kind == "tag" and "artifact" in stack:
                bad.append(f"01-004 tagged content inside an artifact ({where})")
            if kind == "artifact" and "tag" in stack:
                bad.append(f"01-003 an artifact inside tagged content ({where})")
            stack.append(kind)
        elif op == "EMC":
            if text is not None and len(stack) <= text:
                bad.append(f"14.6 a sequence begun before BT ends inside the text object ({where})")
            if stack:
                stack.pop()
        elif op == "BT":
            text = len(stack)
        elif op == "ET":
            if text is not None and len(stack) != text:
                bad.append(f"14.6 a sequence begun inside a text object goes on after its ET ({where})")
            text = None
        elif op in PAINT and "tag" not in stack and "artifact" not in stack:
            bad.append(f"01-005 '{op}' neither tagged nor an artifact ({where})")


def held_content(doc, ref, e, held):
    """Notes what element ref holds: (page, MCID) for its marked-content
    kids, ("annot", ref) for its annotation kids."""
    for x in listify(e.get("/K")):
        if isinstance(x, int):
            held.setdefault((e.get("/Pg"), x), []).append(ref)
            continue
        d = doc.deref(x)
        if isinstance(d, dict) and d.get("/Type") == "/MCR":
            held.setdefault((d.get("/Pg") or e.get("/Pg"), d.get("/MCID")), []).append(ref)
        elif isinstance(d, dict) and d.get("/Type") == "/OBJR":
            held.setdefault(("annot", d.get("/Obj")), []).append(ref)


def number_tree(doc, node, out):
    """The entries of a number tree, key -> value, leaves and kids."""
    node = doc.deref(node) or {}
    nums = node.get("/Nums") or []
    for i in range(0, len(nums) - 1, 2):
        out[nums[i]] = nums[i + 1]
    for kid in node.get("/Kids") or []:
        number_tree(doc, kid, out)


def check_parent_tree(doc, root, held, pages, bad):
    """PDF 32000-1, 14.7.4.4: each page's ParentTree array gives, at each
    MCID its content marks, the element that holds that MCID, and each
    annotation's key its element; nothing else is held."""
    tree = {}
    number_tree(doc, root.get("/ParentTree"), tree)
    marked = set()
    for ref, v in pages:
        arr = doc.deref(tree.get(v.get("/StructParents")))
        arr = arr if isinstance(arr, list) else []
        for c in listify(v.get("/Contents")):
            for m in re.finditer(rb"/MCID\s+(\d+)", doc.data(c)):
                mcid = int(m.group(1))
                marked.add((ref, mcid))
                owner = held.get((ref, mcid), [])
                got = arr[mcid] if mcid < len(arr) else None
                if len(owner) != 1 or got != owner[0]:
                    bad.append(f"14.7.4.4 page {ref} MCID {mcid}: the ParentTree gives {got}, "
                               f"the structure {owner}")
        for a in listify(v.get("/Annots")):
            ad = doc.deref(a)
            if isinstance(ad, dict) and isinstance(ad.get("/StructParent"), int):
                owner = held.get(("annot", a), [])
                got = tree.get(ad["/StructParent"])
                if len(owner) != 1 or got != owner[0]:
                    bad.append(f"14.7.4.4 annotation {a}: the ParentTree gives {got}, "
                               f"the structure {owner}")
    for key in held:
        if key[0] != "annot" and key not in marked:
            bad.append(f"14.7.4.4 the structure holds MCID {key[1]} of page {key[0]}, "
                       "which its content does not mark")


def walk_structure(doc, root, bad, counts, held):
    heads = []
    seen = set()
    todo = [(root.get("/K"), None)]
    while todo:
        k, parent = todo.pop()
        if isinstance(k, list):
            todo.extend((x, parent) for x in reversed(k))
            continue
        if not (isinstance(k, str) and k.endswith(" R")) or k in seen:  # MCIDs, MCR, OBJR
            continue
        seen.add(k)
        e = doc.obj(k)
        if e.get("/Type") in ("/MCR", "/OBJR"):
            continue
        held_content(doc, k, e, held)
        s = (e.get("/S") or "")[1:]
        counts[s] = counts.get(s, 0) + 1
        if s not in STANDARD:
            bad.append(f"02-001 structure type {s} is not standard and has no role map")
        if parent == "L" and s not in ("LI", "L", "Caption"):
            bad.append(f"09-005 {s} in an L (only LI, L, Caption)")
        if parent == "LI" and s not in ("Lbl", "LBody"):
            bad.append(f"09-005 {s} in an LI (only Lbl, LBody)")
        if s == "L" and any(doc.obj(x).get("/S") == "/LI" and any(
                doc.obj(y).get("/S") == "/Lbl" for y in listify(doc.obj(x).get("/K")))
                for x in listify(e.get("/K"))):
            attrs = doc.deref(e.get("/A")) or {}
            if not (isinstance(attrs, dict) and attrs.get("/ListNumbering")):
                bad.append("16-002 a list with labels has no ListNumbering")
        if s == "Link":
            kids = [doc.deref(x) for x in listify(e.get("/K"))]
            kids = [x for x in kids if isinstance(x, dict)]
            if not any(x.get("/Type") == "/OBJR" for x in kids):
                bad.append("28-011 a Link element holds no link annotation")
        if s == "Figure" and not e.get("/Alt"):
            bad.append("13-004 a Figure without Alt")
        if re.match(r"^H[1-6]$", s):
            heads.append(int(s[1]))
        todo.append((e.get("/K"), s))
    if heads and heads[0] != 1:
        bad.append(f"14-002 the first heading is H{heads[0]}, not H1")
    for a, b in zip(heads, heads[1:]):
        if b > a + 1:
            bad.append(f"14-003 heading H{b} follows H{a}")
            break


def listify(k):
    return k if isinstance(k, list) else [k] if k is not None else []


def check(pdf):
    doc = Doc(load(pdf))
    bad, counts = [], {}
    trailer = doc.objs.get("trailer", {}).get("value", {})
    cat = doc.deref(trailer.get("/Root")) or {}
    info = doc.deref(trailer.get("/Info")) or {}
    mark = doc.deref(cat.get("/MarkInfo")) or {}
    if mark.get("/Marked") is not True:
        bad.append("01-001 no MarkInfo /Marked true")
    if mark.get("/Suspects") is True:
        bad.append("01-007 MarkInfo /Suspects true")
    if not cat.get("/Lang"):
        bad.append("11-006 no /Lang in the catalog")
    vp = doc.deref(cat.get("/ViewerPreferences")) or {}
    if vp.get("/DisplayDocTitle") is not True:
        bad.append("07-001 no ViewerPreferences /DisplayDocTitle true")
    meta = cat.get("/Metadata")
    xmp = doc.data(meta).decode("utf-8", "replace") if meta else ""
    if not xmp:
        bad.append("06-001 no XMP metadata stream")
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
        bad.append("06-002 no PDF/UA identification in the XMP")
    m = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    title = text(info.get("/Title"))
    if not m:
        bad.append("06-003 no dc:title in the XMP")
    elif title and m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") != title:
        bad.append("06-003 dc:title differs from the Info Title")
    # Not PDF/UA, but what a reader of a CV expects (issue: page labels
    # 1..n, and the outline shown when the document opens).
    labels = doc.deref(cat.get("/PageLabels")) or {}
    nums = labels.get("/Nums") or []
    first = doc.deref(nums[1]) if len(nums) > 1 else {}
    if nums[:1] != [0] or not isinstance(first, dict) or first.get("/S") != "/D":
        bad.append("cvpdf: pages are not labelled 1..n")
    if cat.get("/Outlines") and cat.get("/PageMode") != "/UseOutlines":
        bad.append("cvpdf: the outline is not shown when the document opens")
    root = doc.deref(cat.get("/StructTreeRoot"))
    if not isinstance(root, dict) or not root.get("/ParentTree"):
        bad.append("01-006 no structure tree with a ParentTree")
    held, pages = {}, []
    if isinstance(root, dict) and root.get("/ParentTree"):
        walk_structure(doc, root, bad, counts, held)
    for ref, o in doc.objs.items():
        v = o.get("value") if isinstance(o, dict) else None
        if not isinstance(v, dict) or v.get("/Type") != "/Page":
            continue
        where = ref[4:]
        pages.append((where, v))
        if v.get("/Tabs") != "/S":
            bad.append(f"PDF/UA 7.18.3: page {where} has no /Tabs /S")
        if not isinstance(v.get("/StructParents"), int):
            bad.append(f"PDF/UA 7.1: page {where} has no /StructParents")
        for a in listify(v.get("/Annots")):
            ad = doc.deref(a)
            if ad.get("/Subtype") == "/Link":
                if not isinstance(ad.get("/StructParent"), int):
                    bad.append("28-002 a link annotation outside the structure")
                if not ad.get("/Contents"):
                    bad.append("28-012 a link annotation without Contents")
        contents = listify(v.get("/Contents"))
        for c in contents:
            check_content(doc.data(c), f"page {where}", bad)
    if isinstance(root, dict) and root.get("/ParentTree"):
        check_parent_tree(doc, root, held, pages, bad)
    return bad, counts


def main(argv):
    failed = 0
    for pdf in argv:
        bad, counts = check(pdf)
        seen = []
        for b in bad:
            if b not in seen:
                seen.append(b)
        for b in seen:
            print(f"FAIL {pdf}: {b}")
        failed += bool(seen)
        if not seen:
            summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
            print(f"ok {pdf}: {summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
