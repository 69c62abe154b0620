#!/usr/bin/env python3
# mklabelled.py: writes a deterministic labelled corpus (loghub lines with injected values of
# every detector in four layouts, a hard-negative set, a byte-span truth); knows nothing of piiscan.
"""Generate (or verify) the labelled quality corpus.

  mklabelled.py --out DIR [--seed N] [--per-detector N] [--negatives N] [--loghub DIR]
  mklabelled.py --verify DIR

Layout of DIR (see bench/README.md, "Quality"):
  pos/plain.log  pos/records.jsonl  pos/records.logfmt  pos/tables/tNN.{csv,tsv}
  neg/plain.log  neg/records.jsonl  neg/records.logfmt  neg/table.csv  neg/table.tsv
  truth.tsv      one row per span: file offset length detector kind layout enc line
  manifest.json  parameters, detector ids, files, counts
Same arguments, same bytes (every draw comes from one seeded values.Rng).
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import values as V  # noqa: E402

GEN_VERSION = 1
SERVICES = ["billing", "auth", "checkout", "crm", "support", "etl", "mobile-api", "kyc", "hr", "fleet"]
LEVELS = ["INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"]


# ---------------------------------------------------------------- output with byte offsets


class Line:
    """One output record (may hold newlines: a raw PEM in a log or a quoted CSV field)."""

    def __init__(self):
        self.parts = []
        self.n = 0
        self.spans = []  # (rel offset, length, detector, kind, layout, enc)

    def add(self, s):
        b = s.encode()
        self.parts.append(b)
        self.n += len(b)

    def value(self, det, text, layout, enc, kind="value", nested=()):
        start = self.n
        self.add(text)
        self.spans.append((start, len(text.encode()), det, kind, layout, enc))
        for ndet, a, b in nested:  # values inside this one (the e-mail in a URL): optional
            self.spans.append((start + a, b - a, ndet, "optional", layout, "raw"))

    def text(self):
        return b"".join(self.parts).decode()


# Conservative labels for personal data already present in the loghub lines ("background"): a
# finding of the same detector on such a span counts neither as TP nor as FP.
BG_RES = [
    ("ipv4", re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")),
    ("mac_address", re.compile(r"(?<![\w:-])((?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2})(?![\w:-])")),
    ("ipv6", re.compile(r"(?<![\w:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])")),
    ("email", re.compile(r"([\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")),
    ("url_clickstream", re.compile(r"([a-z][a-z0-9+.-]*://[^\s\"'<>]+)")),
    ("username", re.compile(r"[a-z][a-z0-9+.-]*://([A-Za-z0-9._-]+)[:@]")),
    ("password", re.compile(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9._-]+:([^@\s/]+)@")),
    ("username", re.compile(r"(?i)\b(?:user|ruser|username|login|logname|account)[=: ]+([A-Za-z_][\w.-]*)")),
    ("username", re.compile(r"\bfor (?:invalid user )?([A-Za-z_][\w.-]*) from\b")),
]



# A flattened key keeps what names the value: "license.number" flattens to "license_number",
# never to a bare "number" (no responsible detector may take a licence from "number" alone:
# drivers_license needs a context word, spec/detectors.tsv).
GENERIC_LEAVES = ("number", "no", "id", "value")


def leaf_key(key):
    parts = key.split(".")
    if len(parts) > 1 and parts[-1] in GENERIC_LEAVES:
        return parts[-2] + "_" + parts[-1]
    return parts[-1]

def background(text):
    out = []
    for det, rx in BG_RES:
        for m in rx.finditer(text):
            s = m.group(1)
            if det == "ipv4" and not all(int(x) < 256 for x in s.split(".")):
                continue
            if det == "ipv6" and "::" not in s and s.count(":") < 5:
                continue
            out.append((len(text[: m.start(1)].encode()), len(s.encode()), det))
    return out


class Out:
    def __init__(self, root, rel, truth):
        self.rel = rel
        self.path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.buf = []
        self.off = 0
        self.lineno = 1
        self.truth = truth

    def write(self, line, label_background=True):
        text = line.text()
        spans = list(line.spans)
        if label_background:
            taken = [(s[0], s[0] + s[1]) for s in spans if s[3] == "value"]
            for o, n, det in background(text):
                if not any(o < b and a < o + n for a, b in taken):
                    spans.append((o, n, det, "background", "loghub", "raw"))
        data = text.encode() + b"\n"
        for o, n, det, kind, layout, enc in spans:
            ln = self.lineno + data[:o].count(b"\n")
            self.truth.append((self.rel, self.off + o, n, det, kind, layout, enc, ln))
        self.buf.append(data)
        self.off += len(data)
        self.lineno += data.count(b"\n")

    def close(self):
        with open(self.path, "wb") as f:
            f.write(b"".join(self.buf))


# ---------------------------------------------------------------- encodings per layout


def json_str(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def logfmt_val(s):
    """(text before value, encoded value, text after)."""
    if s and not re.search(r"[\s\"=\\]", s):
        return "", s, ""
    return '"', s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"), '"'


def csv_val(s, sep):
    if sep == "\t":
        return "", s.replace("\n", "\\n"), "", ("esc_nl" if "\n" in s else "raw")
    if re.search(r'[,"\n\r]', s):
        return '"', s.replace('"', '""'), '"', "csv"
    return "", s, "", "raw"


def decode(text, enc):
    """Inverse of the layout encodings (used by --verify)."""
    toks = enc.split("+")
    if "json2" in toks:
        text = json.loads('"' + json.loads('"' + text + '"') + '"')
    elif "json" in toks:
        text = json.loads('"' + text + '"')
    if "logfmt" in toks:
        text = re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)
    if "csv" in toks:
        text = text.replace('""', '"')
    if "esc_nl" in toks:
        text = text.replace("\\n", "\n")
    if "pct40" in toks:
        text = text.replace("%40", "@")
    return text


# ---------------------------------------------------------------- corpus


class Gen:
    def __init__(self, args):
        self.args = args
        self.r = V.Rng(args.seed)
        self.truth = []
        self.base = self.load_loghub(args.loghub)
        self.clean = [s for s in self.base if not background(s)]
        self.bi = 0
        self.ci = 0
        self.clock = 1714557600  # 2024-05-01T10:00:00Z, advances per record

    def load_loghub(self, d):
        lines = []
        for name in sorted(os.listdir(d)):
            if name.endswith(".log"):
                with open(os.path.join(d, name), "rb") as f:
                    for raw in f.read().split(b"\n"):
                        s = raw.rstrip(b"\r").decode("utf-8", "replace")
                        if s.strip():
                            lines.append(s)
        if not lines:
            sys.exit("mklabelled: no *.log lines under %s" % d)
        self.r.shuffle(lines)
        return lines

    def next_base(self, clean=False):
        if clean:
            self.ci += 1
            return self.clean[(self.ci - 1) % len(self.clean)]
        self.bi += 1
        return self.base[(self.bi - 1) % len(self.base)]

    def ts(self):
        self.clock += self.r.between(1, 90)
        import time

        t = time.gmtime(self.clock)
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (t[:6] + (self.r.below(1000),))

    def gen_value(self, det):
        v = det.gen(self.r)
        if det.nested:
            return v
        return v, []

    # -- positives

    def plain_line(self, det):
        r = self.r
        v, nested = self.gen_value(det)
        pre = r.pick(det.plain)
        before, after = pre.split("{}")
        base = self.next_base()
        L = Line()
        if r.chance(30):
            cuts = [i for i, c in enumerate(base) if c == " " and i >= len(base) // 2]
            if cuts:
                base = base[: r.pick(cuts)]
        L.add(base + " " + before)
        enc = "raw"
        if det.id == "email" and r.chance(12):
            v, enc = v.replace("@", "%40"), "pct40"
        if "://" in before:  # userinfo in a URL: no gen-delims ('#', '?' would end it) and no '%'
            v = v.translate(str.maketrans("#?%", "!*$"))
        if "\n" in v and V.PEM_PLAIN_ESCAPED and r.chance(70):
            v, enc = v.replace("\n", "\\n"), "esc_nl"
        L.value(det.id, v, "plain", enc, nested=nested)
        L.add(after)
        return L

    def json_line(self, det, v=None, nested=()):
        r = self.r
        if v is None:
            v, nested = self.gen_value(det)
        key = r.pick(det.keys)
        sp = " " if r.chance(30) else ""
        base = self.next_base()
        L = Line()
        L.add('{"ts":%s"%s",%s"level":%s"%s",%s"service":%s"%s",%s' % (
            sp, self.ts(), sp, sp, r.pick(LEVELS).lower(), sp, sp, r.pick(SERVICES), sp))
        mode = r.below(8)
        if mode == 7 and "\n" not in v:  # escaped payload: a JSON document inside a string
            leaf = leaf_key(key)
            L.add('"msg":%s"request body {\\"%s\\":\\"' % (sp, leaf))
            ev = json_str(json_str(v))
            L.value(det.id, ev, "json", "json2", nested=nested if ev == v else ())
            L.add('\\",\\"source\\":\\"%s\\"}"}' % r.pick(SERVICES))
            return L
        numeric = v.isdigit() and v[0] != "0" and len(v) < 16 and r.chance(25)
        path = key.split(".") if mode >= 4 else [leaf_key(key)]
        for k in path[:-1]:
            L.add('"%s":%s{' % (k, sp))
        L.add('"%s":%s' % (path[-1], sp))
        if numeric:
            L.value(det.id, v, "json", "jsonnum")
        else:
            ev, enc = json_str(v), "json"
            if det.id == "email" and r.chance(20):
                ev, enc = ev.replace("@", "\\u0040"), "json+u0040"
            L.add('"')
            L.value(det.id, ev, "json", enc, nested=nested if ev == v else ())
            L.add('"')
        L.add("}" * (len(path) - 1))
        L.add(',%s"msg":%s"%s"}' % (sp, sp, json_str(base)))
        return L

    def logfmt_line(self, det):
        r = self.r
        v, nested = self.gen_value(det)
        key = r.pick(det.keys)
        if r.chance(50):
            key = leaf_key(key)
        enc = "logfmt"
        if det.id == "email" and r.chance(12):
            v, enc = v.replace("@", "%40"), "logfmt+pct40"
        q1, ev, q2 = logfmt_val(v)
        L = Line()
        L.add("time=%s level=%s svc=%s %s=%s" % (self.ts(), r.pick(LEVELS).lower(), r.pick(SERVICES), key, q1))
        L.value(det.id, ev, "logfmt", enc, nested=nested if ev == v else ())
        q, m, q_ = logfmt_val(self.next_base())
        L.add('%s msg=%s%s%s' % (q2, q, m, q_))
        return L

    def filler_json(self):
        return Line(), '{"ts":"%s","level":"%s","service":"%s","msg":"%s"}' % (
            self.ts(), self.r.pick(LEVELS).lower(), self.r.pick(SERVICES), json_str(self.next_base()))

    def write_positives(self, root):
        a, r = self.args, self.r
        dets = V.DETECTORS
        order = [d for d in dets for _ in range(a.per_detector)]
        plain = Out(root, "pos/plain.log", self.truth)
        r.shuffle(order)
        for d in order:
            for _ in range(a.filler):
                L = Line()
                L.add(self.next_base())
                plain.write(L)
            plain.write(self.plain_line(d))
        plain.close()

        js = Out(root, "pos/records.jsonl", self.truth)
        r.shuffle(order)
        for d in order:
            for _ in range(a.filler):
                L, t = self.filler_json()
                L.add(t)
                js.write(L)
            js.write(self.json_line(d))
        js.close()

        lf = Out(root, "pos/records.logfmt", self.truth)
        r.shuffle(order)
        for d in order:
            for _ in range(a.filler):
                L = Line()
                q, m, q_ = logfmt_val(self.next_base())
                L.add("time=%s level=info svc=%s msg=%s%s%s" % (self.ts(), r.pick(SERVICES), q, m, q_))
                lf.write(L)
            lf.write(self.logfmt_line(d))
        lf.close()

        # tables: five detectors' columns each, CSV and TSV alternating, one header row
        for t in range(0, len(dets), 5):
            cols = dets[t : t + 5]
            sep = "," if (t // 5) % 2 == 0 else "\t"
            rel = "pos/tables/t%02d.%s" % (t // 5 + 1, "csv" if sep == "," else "tsv")
            o = Out(root, rel, self.truth)
            keys = [leaf_key(r.pick(d.keys)) for d in cols]
            H = Line()
            H.add(sep.join(["id", "created_at"] + keys + ["status"]))
            o.write(H, label_background=False)
            for i in range(a.per_detector):
                L = Line()
                L.add("%d%s%s" % (100000 + i * 7, sep, self.ts()))
                for d in cols:
                    v, nested = self.gen_value(d)
                    q1, ev, q2, enc = csv_val(v, sep)
                    L.add(sep + q1)
                    L.value(d.id, ev, "csv" if sep == "," else "tsv", enc, nested=nested if ev == v else ())
                    L.add(q2)
                L.add(sep + r.pick(["active", "closed", "pending"]))
                o.write(L, label_background=False)
            o.close()

    # -- hard negatives: no personal data at all

    def neg_item(self):
        """(key, value, phrase, is_number) of one non-personal identifier or measurement."""
        r = self.r
        k = r.below(24)
        hx = lambda n: r.chars(V.HEXL, n)  # noqa: E731
        if k == 0:
            v = "%d.%d.%d" % (r.between(0, 20), r.between(0, 40), r.between(0, 300))
            return "version", v, "version " + v, False
        if k == 1:
            v = "%d.%d.%d.%d" % (r.between(1, 12), r.between(0, 9), r.between(0, 30000), r.between(0, 9999))
            return "build_version", v, r.pick(["v", "version=", "build ", "agent/"]) + v, False
        if k == 2:
            v = r.pick(["1.3.6.1.4.1.", "1.2.840.113549.1.", "2.5.4.", "1.3.6.1.2.1."]) + ".".join(
                str(r.between(1, 40000)) for _ in range(r.between(1, 5)))
            return "oid", v, "oid=" + v, False
        if k == 3:
            v = str(r.between(1500000000, 1800000000))
            return "epoch", v, "ts=" + v, True
        if k == 4:
            v = str(r.between(1500000000000, 1800000000000))
            return "epoch_ms", v, "timestamp_ms=" + v, True
        if k == 5:
            v = self.ts()
            return "event_time", v, "at " + v, False
        if k == 6:
            v = V._uuid4(r)
            return r.pick(["request_id", "trace_id", "correlation_id", "job_id"]), v, r.pick(["request_id=", "trace ", "job "]) + v, False
        if k == 7:
            v = hx(40)
            return "commit", v, "commit " + v, False
        if k == 8:
            v = hx(64)
            return "sha256", v, "sha256:" + v, False
        if k == 9:
            v = hx(32)
            return "etag", v, 'etag="%s"' % v, False
        if k == 10:
            v = "ORD-%d-%08d" % (r.between(2019, 2025), r.below(10 ** 8))
            return "order_id", v, "order " + v, False
        if k == 11:
            v = str(r.between(2, 9)) + r.digits(9)
            return "order_number", v, r.pick(["order #", "order_id=", "invoice no. "]) + v, True
        if k == 12:  # 16 digits with a card-like prefix that fail Luhn
            while True:
                v = r.pick(["4", "5", "37", "6011"]) + r.digits(15)
                v = v[:16]
                if not V.luhn_ok(v):
                    break
            return "txn_ref", v, r.pick(["txn_ref=", "order ", "invoice ", "ref "]) + v, True
        if k == 13:
            v = "1Z" + r.chars(V.UPPER + V.DIGITS, 6) + r.digits(10)
            return "tracking", v, "tracking " + v, False
        if k == 14:
            v = r.pick(["94001", "92055", "93612"]) + r.digits(17)
            return "tracking_number", v, "usps tracking " + v, False
        if k == 15:
            v = "INV-%06d" % r.below(10 ** 6)
            return "invoice", v, "invoice " + v, False
        if k == 16:
            key = r.pick(["latency_ms", "duration_ms", "cpu_pct", "p99", "rps", "gc_pause_s", "load"])
            v = "%d.%d" % (r.below(5000), r.below(1000))
            return key, v, "%s=%s" % (key, v), True
        if k == 17:
            v = "%02d:%02d:%02d.%03d" % (r.below(24), r.below(60), r.below(60), r.below(1000))
            return "elapsed", v, "elapsed " + v, False
        if k == 18:
            v = str(r.pick([22, 80, 443, 5432, 6379, 8080, 8443, 9092, 50010, 27017]))
            return "port", v, "listening on port " + v, True
        if k == 19:
            v = V.base64.b64encode(r.bytes(r.between(24, 120))).decode()
            return "payload_b64", v, "payload=" + v, False
        if k == 20:
            v = hx(40)
            return "build_id", v, "BuildID[sha1]=" + v, False
        if k == 21:
            v = str(r.between(1, 2 ** 40))
            return "size_bytes", v, "wrote %s bytes" % v, True
        if k == 22:
            v = "0x%s" % hx(r.pick([8, 12, 16]))
            return "addr", v, "fault at " + v, False
        v = "%d.%04d, %d.%04d" % (r.below(2), r.below(10000), r.below(2), r.below(10000))
        return "weights", v, "class weights " + v, False

    def write_negatives(self, root):
        a, r = self.args, self.r
        o = Out(root, "neg/plain.log", self.truth)
        for _ in range(a.negatives):
            L = Line()
            L.add(self.next_base(clean=True) + " " + self.neg_item()[2])
            o.write(L, label_background=False)
        o.close()
        o = Out(root, "neg/records.jsonl", self.truth)
        for _ in range(a.negatives):
            k, v, _, num = self.neg_item()
            L = Line()
            L.add('{"ts":"%s","service":"%s","%s":%s,"msg":"%s"}' % (
                self.ts(), r.pick(SERVICES), k, v if num else '"%s"' % v, json_str(self.next_base(clean=True))))
            o.write(L, label_background=False)
        o.close()
        o = Out(root, "neg/records.logfmt", self.truth)
        for _ in range(a.negatives):
            k, v, _, _ = self.neg_item()
            q1, ev, q2 = logfmt_val(v)
            q, m, q_ = logfmt_val(self.next_base(clean=True))
            L = Line()
            L.add("time=%s level=info %s=%s%s%s msg=%s%s%s" % (self.ts(), k, q1, ev, q2, q, m, q_))
            o.write(L, label_background=False)
        o.close()
        for sep, ext in ((",", "csv"), ("\t", "tsv")):
            o = Out(root, "neg/table." + ext, self.truth)
            H = Line()
            H.add(sep.join(["row", "created_at", "kind", "value", "status"]))
            o.write(H, label_background=False)
            for i in range(a.negatives // 2):
                k, v, _, _ = self.neg_item()
                q1, ev, q2, _ = csv_val(v, sep)
                L = Line()
                L.add(sep.join([str(i + 1), self.ts(), k, q1 + ev + q2, r.pick(["ok", "retry", "done"])]))
                o.write(L, label_background=False)
            o.close()

    def run(self, root):
        self.write_positives(root)
        self.write_negatives(root)
        self.truth.sort(key=lambda t: (t[0], t[1], t[3]))
        with open(os.path.join(root, "truth.tsv"), "w", newline="\n") as f:
            f.write("file\toffset\tlength\tdetector\tkind\tlayout\tenc\tline\n")
            for t in self.truth:
                f.write("\t".join(map(str, t)) + "\n")
        files = sorted({t[0] for t in self.truth} | set(self.files(root)))
        counts = {}
        for t in self.truth:
            if t[4] == "value":
                counts[t[3]] = counts.get(t[3], 0) + 1
        man = {
            "generator": "corpora/gen/mklabelled.py",
            "version": GEN_VERSION,
            "seed": self.args.seed,
            "per_detector": self.args.per_detector,
            "negatives": self.args.negatives,
            "filler": self.args.filler,
            "loghub_lines": len(self.base),
            "detectors": [d.id for d in V.DETECTORS],
            "files": files,
            "positive_dirs": ["pos"],
            "negative_dirs": ["neg"],
            "values": counts,
        }
        with open(os.path.join(root, "manifest.json"), "w") as f:
            json.dump(man, f, indent=1, sort_keys=True)
            f.write("\n")
        return man

    @staticmethod
    def files(root):
        out = []
        for d in ("pos", "neg"):
            for dp, _, fs in os.walk(os.path.join(root, d)):
                out += [os.path.relpath(os.path.join(dp, f), root) for f in fs]
        return out


# ---------------------------------------------------------------- verification


def verify(root):
    V.self_test()
    bad = 0
    data = {}
    spans = {}
    with open(os.path.join(root, "truth.tsv")) as f:
        next(f)
        for row in f:
            fn, off, n, det, kind, layout, enc, line = row.rstrip("\n").split("\t")
            off, n, line = int(off), int(n), int(line)
            if fn not in data:
                with open(os.path.join(root, fn), "rb") as g:
                    data[fn] = g.read()
            b = data[fn]
            if det not in V.BY_ID:
                print("verify: %s:%d: unknown detector %s" % (fn, off, det))
                bad += 1
                continue
            if n <= 0 or off + n > len(b):
                print("verify: %s:%d: span outside the file" % (fn, off))
                bad += 1
                continue
            if b[:off].count(b"\n") + 1 != line:
                print("verify: %s:%d: line %d is wrong" % (fn, off, line))
                bad += 1
            if kind != "value":
                continue
            if fn.startswith("neg/"):
                print("verify: %s:%d: a value in the negative set" % (fn, off))
                bad += 1
            spans.setdefault(fn, []).append((off, off + n))
            text = decode(b[off : off + n].decode(), enc)
            if not V.BY_ID[det].check(text):
                # the value is synthetic, but still do not print it: detector and place only
                print("verify: %s:%d: %s value fails its own check" % (fn, off, det))
                bad += 1
    for fn, ss in spans.items():
        ss.sort()
        for (a0, a1), (b0, b1) in zip(ss, ss[1:]):
            if b0 < a1:
                print("verify: %s:%d: value spans overlap" % (fn, b0))
                bad += 1
    nvals = sum(len(s) for s in spans.values())
    print("verify: %d value spans in %d files, %d problems" % (nvals, len(spans), bad))
    return 1 if bad else 0


def default_loghub():
    here = os.path.dirname(os.path.abspath(__file__))
    for c in (os.environ.get("PII_LOGHUB"), os.path.join(here, "..", "loghub"),
              os.path.join(here, "..", "..", "..", "shared", "data", "loghub"), "/work/shared/data/loghub"):
        if c and os.path.isdir(c):
            return c
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output directory (created; existing files overwritten)")
    ap.add_argument("--verify", metavar="DIR", help="re-check a generated corpus and exit")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--per-detector", type=int, default=60, help="values per detector per layout (60)")
    ap.add_argument("--negatives", type=int, default=1500, help="hard-negative lines per layout (1500)")
    ap.add_argument("--filler", type=int, default=1, help="untouched lines per injected line (1)")
    ap.add_argument("--loghub", default=default_loghub(), help="directory of loghub *.log files")
    ap.add_argument("--list-detectors", action="store_true", help="print the detector ids and exit")
    a = ap.parse_args()
    if a.list_detectors:
        print("\n".join(d.id for d in V.DETECTORS))
        return 0
    if a.verify:
        return verify(a.verify)
    if not a.out:
        ap.error("--out DIR or --verify DIR is required")
    if not a.loghub:
        ap.error("no loghub directory found: give --loghub DIR or set PII_LOGHUB")
    V.self_test()
    os.makedirs(a.out, exist_ok=True)
    man = Gen(a).run(a.out)
    size = sum(os.path.getsize(os.path.join(a.out, f)) for f in man["files"])
    print("mklabelled: %d files, %d bytes, %d values of %d detectors" % (
        len(man["files"]), size, sum(man["values"].values()), len(man["values"])), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
