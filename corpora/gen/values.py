# values.py: synthetic values for every detector id of spec/detectors.tsv, each valid by the
# spec's rules, and the checksum functions that re-validate them; knows nothing of piiscan's C.
"""Value generators and validators for the labelled quality corpus.

Everything here is written from the public definitions of the identifiers (ISO 7064, Luhn,
Verhoeff, the EU VAT check-digit rules, ABA, ISO 3779, CMS MBI, HMRC NINO, ...), never from
piiscan's validators, so that the corpus cross-checks them. Stdlib only.
"""

import base64
import datetime
import json
import random
import re
import zlib

# ---------------------------------------------------------------- random numbers


class Rng:
    """Seeded PRNG whose every draw goes through getrandbits(), which is stable across
    CPython versions for an int seed (choice()/randrange() internals have changed)."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def below(self, n):
        if n <= 1:
            return 0
        k = n.bit_length()
        while True:
            v = self.r.getrandbits(k)
            if v < n:
                return v

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, pct):
        return self.below(100) < pct

    def digits(self, n, first_nonzero=False):
        s = "".join(str(self.below(10)) for _ in range(n))
        if first_nonzero and n and s[0] == "0":
            s = str(self.between(1, 9)) + s[1:]
        return s

    def chars(self, alphabet, n):
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(n))

    def bytes(self, n):
        return bytes(self.below(256) for _ in range(n))

    def shuffle(self, seq):
        for i in range(len(seq) - 1, 0, -1):
            j = self.below(i + 1)
            seq[i], seq[j] = seq[j], seq[i]


DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = UPPER + LOWER + DIGITS
HEXL = "0123456789abcdef"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"


def only_digits(s):
    return "".join(c for c in s if c.isdigit())


def compact(s):
    return re.sub(r"[\s\-./]", "", s)


def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i : i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(p for p in out if p)


# ---------------------------------------------------------------- checksums


def luhn_sum(d):
    s = 0
    for i, c in enumerate(reversed(d)):
        v = int(c)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return s


def luhn_ok(d):
    return d.isdigit() and luhn_sum(d) % 10 == 0


def luhn_digit(payload):
    return str((10 - luhn_sum(payload + "0") % 10) % 10)


def mod97(s):
    m = 0
    for c in s:
        m = (m * 10 + int(c)) % 97 if c.isdigit() else (m * 100 + ord(c) - 55) % 97
    return m


def mod11_10(d):
    """ISO 7064 MOD 11,10 check digit (DE VAT, HR OIB)."""
    p = 10
    for c in d:
        s = (int(c) + p) % 10
        if s == 0:
            s = 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


VH_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
VH_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
VH_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(d):
    c = 0
    for i, x in enumerate(reversed(d)):
        c = VH_D[c][VH_P[i % 8][int(x)]]
    return c == 0


def verhoeff_digit(payload):
    c = 0
    for i, x in enumerate(reversed(payload)):
        c = VH_D[c][VH_P[(i + 1) % 8][int(x)]]
    return str(VH_INV[c])


def aba_ok(d):
    if len(d) != 9 or not d.isdigit():
        return False
    w = [3, 7, 1] * 3
    return sum(int(c) * k for c, k in zip(d, w)) % 10 == 0


def cpf_digits(d9):
    s = sum(int(c) * (10 - i) for i, c in enumerate(d9))
    a = s * 10 % 11 % 10
    d10 = d9 + str(a)
    s = sum(int(c) * (11 - i) for i, c in enumerate(d10))
    return str(a) + str(s * 10 % 11 % 10)


def cpf_ok(s):
    d = only_digits(s)
    return len(d) == 11 and len(set(d)) > 1 and cpf_digits(d[:9]) == d[9:]


def cnpj_digits(d12):
    def one(d, w):
        r = sum(int(c) * k for c, k in zip(d, w)) % 11
        return "0" if r < 2 else str(11 - r)

    a = one(d12, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return a + one(d12 + a, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])


def cnpj_ok(s):
    d = only_digits(s)
    return len(d) == 14 and len(set(d)) > 1 and cnpj_digits(d[:12]) == d[12:]


VIN_VAL = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9]))
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def vin_check(v):
    s = sum((int(c) if c.isdigit() else VIN_VAL[c]) * w for c, w in zip(v, VIN_W))
    r = s % 11
    return "X" if r == 10 else str(r)


def vin_ok(v):
    v = v.upper()
    return len(v) == 17 and all(c in VIN_CHARS for c in v) and vin_check(v) == v[8]


def crc32_b62(s):
    c = zlib.crc32(s.encode())
    b62 = DIGITS + UPPER + LOWER
    out = ""
    for _ in range(6):
        out = b62[c % 62] + out
        c //= 62
    return out


# ---------------------------------------------------------------- VAT (EU + GB, CH, NO)


def _w(d, weights):
    return sum(int(c) * w for c, w in zip(d, weights))


def _vat_at(d):  # ATU + 8 digits
    s = 0
    for i, c in enumerate(d[:7]):
        v = int(c) * (2 if i % 2 else 1)
        s += v // 10 + v % 10
    return str((10 - (s + 4) % 10) % 10) == d[7]


def _vat_be(d):
    return len(d) == 10 and d[0] in "01" and 97 - int(d[:8]) % 97 == int(d[8:])


def _vat_bg(d):
    c = _w(d[:8], range(1, 9)) % 11
    if c == 10:
        c = _w(d[:8], range(3, 11)) % 11
    return str(c % 10) == d[8]


def _vat_cy(d):  # 8 digits + letter
    t = {"0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17, "8": 19, "9": 21}
    s = sum(t[x] for x in d[0:8:2]) + sum(int(x) for x in d[1:8:2])
    return UPPER[s % 26] == d[8]


def _vat_cz(d):  # legal entity, 8 digits
    c = (11 - _w(d[:7], range(8, 1, -1)) % 11) % 11
    return str((c or 1) % 10) == d[7]


def _vat_dk(d):
    return _w(d, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0


def _vat_ee(d):
    return str(-_w(d[:8], [3, 7, 1, 3, 7, 1, 3, 7]) % 10) == d[8]


def _vat_el(d):
    c = 0
    for x in d[:8]:
        c = c * 2 + int(x)
    return str(c * 2 % 11 % 10) == d[8]


def _vat_es(s):  # company CIF: letter + 7 digits + numeric check
    return s[0] in "ABEH" and luhn_digit(s[1:8]) == s[8]


def _vat_fi(d):
    return _w(d, [7, 9, 10, 5, 8, 4, 2, 1]) % 11 == 0


def _vat_fr(s):  # 2 key digits + SIREN
    return int(s[:2]) == (12 + 3 * (int(s[2:]) % 97)) % 97 and luhn_ok(s[2:])


def _vat_hu(d):
    return _w(d, [9, 7, 3, 1, 9, 7, 3, 1]) % 10 == 0


def _vat_ie(s):  # 7 digits + check letter
    return "WABCDEFGHIJKLMNOPQRSTUV"[_w(s[:7], range(8, 1, -1)) % 23] == s[7]


def _vat_it(d):
    return luhn_ok(d) and 1 <= int(d[7:10]) <= 100


def _vat_lt(d):  # legal person, 9 digits, 8th digit 1
    c = _w(d[:8], range(1, 9)) % 11
    if c == 10:
        c = _w(d[:8], [3, 4, 5, 6, 7, 8, 9, 1]) % 11
    return d[7] == "1" and str(c % 10) == d[8]


def _vat_lu(d):
    return int(d[:6]) % 89 == int(d[6:])


def _vat_lv(d):  # legal entity: first digit > 3
    return int(d[0]) > 3 and _w(d, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 == 3


def _vat_mt(d):
    return _w(d, [3, 4, 6, 7, 8, 9, 10, 1]) % 37 == 0


def _vat_nl(s):  # 9 digits + B + 2 digits
    d = s[:9]
    return (_w(d[:8], range(9, 1, -1)) - int(d[8])) % 11 == 0 and s[9] == "B" and s[10:] != "00"


def _vat_pl(d):
    return _w(d[:9], [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == int(d[9])


def _vat_pt(d):
    return str((11 - _w(d[:8], range(9, 1, -1))) % 11 % 10) == d[8]


def _vat_ro(d):
    p = d[:-1].zfill(9)
    return str(10 * _w(p, [7, 5, 3, 2, 1, 7, 5, 3, 2]) % 11 % 10) == d[-1]


def _vat_se(d):  # 10-digit organisation number + 01
    return luhn_ok(d[:10]) and d[10:] == "01"


def _vat_si(d):
    r = _w(d[:7], range(8, 1, -1)) % 11
    return r != 0 and str((11 - r) % 10) == d[7]


def _vat_sk(d):
    return d[0] != "0" and d[2] in "234789" and int(d) % 11 == 0


def _vat_gb(d):
    return _w(d, [8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97 in (0, 42)


def _vat_ch(d):
    r = (11 - _w(d[:8], [5, 4, 3, 2, 7, 6, 5, 4]) % 11) % 11
    return r != 10 and str(r) == d[8]


def _vat_no(d):
    r = (11 - _w(d[:8], [3, 2, 7, 6, 5, 4, 3, 2]) % 11) % 11
    return r != 10 and str(r) == d[8]


# country -> (prefix as written, body length, body alphabet hint, checker, generator)
def _gen_digits_until(r, n, ok, first_nonzero=True, fix=None):
    while True:
        d = r.digits(n, first_nonzero)
        if fix:
            d = fix(d)
        if ok(d):
            return d


def _gen_vat_body(r, cc):
    if cc == "AT":
        return "U" + _gen_digits_until(r, 8, _vat_at)
    if cc == "BE":
        d = "0" + r.digits(7, True)
        return d + "%02d" % (97 - int(d) % 97)
    if cc == "BG":
        return _gen_digits_until(r, 9, _vat_bg)
    if cc == "CY":
        d = r.pick("013459") + r.digits(7)
        while d.startswith("12"):
            d = r.pick("013459") + r.digits(7)
        t = {"0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17, "8": 19, "9": 21}
        return d + UPPER[(sum(t[x] for x in d[0::2]) + sum(int(x) for x in d[1::2])) % 26]
    if cc == "CZ":
        return _gen_digits_until(r, 8, _vat_cz, fix=lambda d: d if d[0] != "9" else "1" + d[1:])
    if cc == "DE":
        d = r.digits(8, True)
        return d + mod11_10(d)
    if cc == "DK":
        return _gen_digits_until(r, 8, _vat_dk)
    if cc == "EE":
        return _gen_digits_until(r, 9, _vat_ee, fix=lambda d: "10" + d[2:])
    if cc == "EL":
        return _gen_digits_until(r, 9, _vat_el, first_nonzero=False)
    if cc == "ES":
        body = r.pick("ABEH") + r.digits(7)
        return body + luhn_digit(body[1:])
    if cc == "FI":
        return _gen_digits_until(r, 8, _vat_fi)
    if cc == "FR":
        siren = r.digits(8, True)
        siren += luhn_digit(siren)
        return "%02d" % ((12 + 3 * (int(siren) % 97)) % 97) + siren
    if cc == "HR":
        d = r.digits(10, True)
        return d + mod11_10(d)
    if cc == "HU":
        return _gen_digits_until(r, 8, _vat_hu)
    if cc == "IE":
        d = r.digits(7, True)
        return d + "WABCDEFGHIJKLMNOPQRSTUV"[_w(d, range(8, 1, -1)) % 23]
    if cc == "IT":
        d = r.digits(7, True) + "%03d" % r.between(1, 100)
        return d + luhn_digit(d)
    if cc == "LT":
        return _gen_digits_until(r, 9, _vat_lt, fix=lambda d: d[:7] + "1" + d[8])
    if cc == "LU":
        d = r.digits(6, True)
        return d + "%02d" % (int(d) % 89)
    if cc == "LV":
        return _gen_digits_until(r, 11, _vat_lv, fix=lambda d: str(r.between(4, 9)) + d[1:])
    if cc == "MT":
        d = r.digits(6, True)
        return d + "%02d" % ((-_w(d, [3, 4, 6, 7, 8, 9])) % 37)
    if cc == "NL":
        d = _gen_digits_until(r, 9, lambda d: _vat_nl(d + "B01"))
        return d + "B" + "%02d" % r.between(1, 99)
    if cc == "PL":
        return _gen_digits_until(r, 10, _vat_pl)
    if cc == "PT":
        return _gen_digits_until(r, 9, _vat_pt, fix=lambda d: r.pick("5689") + d[1:])
    if cc == "RO":
        return _gen_digits_until(r, r.between(8, 10), _vat_ro)
    if cc == "SE":
        d = "5" + r.digits(1) + str(r.between(2, 9)) + r.digits(6)
        return d + luhn_digit(d) + "01"
    if cc == "SI":
        return _gen_digits_until(r, 8, _vat_si)
    if cc == "SK":
        while True:
            d = r.digits(1, True) + r.digits(1) + r.pick("234789") + r.digits(6)
            c = (-int(d) * 10) % 11
            if c < 10:
                return d + str(c)
    if cc == "GB":
        d = r.digits(7, True)
        return d + "%02d" % ((-_w(d, [8, 7, 6, 5, 4, 3, 2])) % 97)
    if cc == "CH":
        return _gen_digits_until(r, 9, _vat_ch)
    if cc == "NO":
        return _gen_digits_until(r, 9, _vat_no)
    raise ValueError(cc)


VAT_CHECK = {
    "AT": lambda b: b[0] == "U" and len(b) == 9 and _vat_at(b[1:]),
    "BE": _vat_be,
    "BG": lambda b: len(b) == 9 and _vat_bg(b),
    "CY": lambda b: len(b) == 9 and _vat_cy(b),
    "CZ": lambda b: len(b) == 8 and _vat_cz(b),
    "DE": lambda b: len(b) == 9 and mod11_10(b[:8]) == b[8],
    "DK": lambda b: len(b) == 8 and _vat_dk(b),
    "EE": lambda b: len(b) == 9 and _vat_ee(b),
    "EL": lambda b: len(b) == 9 and _vat_el(b),
    "ES": lambda b: len(b) == 9 and _vat_es(b),
    "FI": lambda b: len(b) == 8 and _vat_fi(b),
    "FR": lambda b: len(b) == 11 and _vat_fr(b),
    "HR": lambda b: len(b) == 11 and mod11_10(b[:10]) == b[10],
    "HU": lambda b: len(b) == 8 and _vat_hu(b),
    "IE": lambda b: len(b) == 8 and _vat_ie(b),
    "IT": lambda b: len(b) == 11 and _vat_it(b),
    "LT": lambda b: len(b) == 9 and _vat_lt(b),
    "LU": lambda b: len(b) == 8 and _vat_lu(b),
    "LV": lambda b: len(b) == 11 and _vat_lv(b),
    "MT": lambda b: len(b) == 8 and _vat_mt(b),
    "NL": lambda b: len(b) == 12 and _vat_nl(b),
    "PL": lambda b: len(b) == 10 and _vat_pl(b),
    "PT": lambda b: len(b) == 9 and _vat_pt(b),
    "RO": lambda b: 2 <= len(b) <= 10 and _vat_ro(b),
    "SE": lambda b: len(b) == 12 and _vat_se(b),
    "SI": lambda b: len(b) == 8 and _vat_si(b),
    "SK": lambda b: len(b) == 10 and _vat_sk(b),
    "GB": lambda b: len(b) == 9 and _vat_gb(b),
    "CH": lambda b: len(b) == 9 and _vat_ch(b),
    "NO": lambda b: len(b) == 9 and _vat_no(b),
}


def vat_ok(s):
    s = compact(s.upper())
    if s.startswith("CHE"):
        s = "CH" + re.sub(r"(MWST|TVA|IVA)$", "", s[3:])
    elif s.startswith("NO"):
        s = re.sub(r"MVA$", "", s)
    cc, body = s[:2], s[2:]
    return cc in VAT_CHECK and VAT_CHECK[cc](body)


# ---------------------------------------------------------------- word lists

GIVEN = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Margaret", "Mark",
    "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Joshua", "Michelle", "Kevin", "Amanda",
    "Priya", "Wei", "Lukas", "Sofia", "Ahmed", "Olivia", "Liam", "Fatima", "Noah", "Emma",
    "Diego", "Yuki", "Anna", "Marco", "Chloe", "Omar", "Aisha", "Mateo", "Ingrid", "Kwame",
]
SURNAME = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Zhang", "Patel", "Muller", "Rossi",
    "Khan", "Nguyen", "Kowalski", "Silva", "Dubois", "Tanaka", "Jensen", "Murphy", "Okafor",
    "Novak", "Schmidt", "Fischer", "Hansen", "Larsen", "Moreau", "Costa", "Ivanova", "Sato",
]
SYSTEM_ACCOUNTS = {"root", "admin", "nobody", "daemon", "www-data", "postgres", "mysql", "system",
                   "guest", "test", "user", "administrator", "operator", "ftp", "mail", "bin"}
MAILDOM = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "protonmail.com", "acme-corp.com",
           "globex.io", "initech.net", "umbrella-corp.de", "web.de", "orange.fr",
           "btinternet.co.uk", "hooli.fr", "mail.stark-ind.com", "fastmail.fm", "gmx.net"]
STREETS = ["Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Sunset",
           "Park", "Main", "Highland", "Jefferson", "Lincoln", "Willow", "Meadow", "Ridge",
           "Franklin", "Chestnut", "Walnut", "Magnolia", "Riverside", "Church", "Spring"]
SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln",
            "Drive", "Dr", "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Circle", "Parkway"]
CITIES = [("Springfield", "IL", "627"), ("Austin", "TX", "787"), ("Portland", "OR", "972"),
          ("Denver", "CO", "802"), ("Columbus", "OH", "432"), ("Raleigh", "NC", "276"),
          ("Madison", "WI", "537"), ("Tucson", "AZ", "857"), ("Albany", "NY", "122"),
          ("Boise", "ID", "837"), ("Richmond", "VA", "232"), ("Fresno", "CA", "937")]
US_STATES = {c[1] for c in CITIES}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _name_tokens_ok(s):
    toks = s.split()
    return 1 <= len(toks) <= 3 and all(t in GIVEN or t in SURNAME for t in toks)


# ---------------------------------------------------------------- generators
# Each returns the value as it would be stored (decoded: a PEM keeps real newlines). The layout
# encodes it (JSON/CSV/logfmt escaping) and the truth span is the encoded text.


def email_local(r):
    f, l = r.pick(GIVEN).lower(), r.pick(SURNAME).lower()
    k = r.below(6)
    if k == 0:
        return f + "." + l
    if k == 1:
        return f[0] + "." + l + str(r.between(1, 99))
    if k == 2:
        return f + "_" + l
    if k == 3:
        return f + l + str(r.between(1960, 2005))
    if k == 4:
        return f + "+" + r.pick(["news", "shop", "work", "git"])
    return f[0] + l


def g_email(r):
    v = email_local(r) + "@" + r.pick(MAILDOM)
    return v.upper() if r.chance(5) else v


NPA = [201, 202, 206, 212, 213, 214, 303, 305, 310, 312, 404, 408, 415, 469, 480, 503, 512, 571,
       602, 612, 617, 646, 650, 702, 713, 718, 720, 773, 786, 818, 832, 858, 917, 919, 971, 347]


def g_phone(r):
    if r.chance(55):
        npa = r.pick(NPA)
        while True:
            ex = r.between(200, 999)
            if ex % 100 != 11 and ex not in (555, 950, 958, 959, 976):
                break
        line = "%04d" % r.below(10000)
        fm = r.below(6)
        return [
            "(%d) %d-%s", "%d-%d-%s", "%d.%d.%s", "+1 %d-%d-%s", "+1 (%d) %d-%s", "+1%d%d%s",
        ][fm] % (npa, ex, line)
    sep = "" if r.chance(25) else " "
    k = r.below(6)
    if k == 0:
        return sep.join(["+44", "20", r.pick("378") + r.digits(3), r.digits(4)])
    if k == 1:
        return sep.join(["+44", "7" + r.pick("123456789") + r.digits(2), r.digits(6)])
    if k == 2:
        return sep.join(["+49", r.pick(["151", "152", "160", "170", "171", "176"]),
                         r.pick("123456789") + r.digits(7)])
    if k == 3:
        return sep.join(["+33", r.pick("67")] + [r.digits(2) for _ in range(4)])
    if k == 4:
        return sep.join(["+91", r.pick("6789") + r.digits(4), r.digits(5)])
    return sep.join(["+61", "4" + r.digits(2), r.digits(3), r.digits(3)])


def phone_ok(s):
    d = only_digits(s)
    if s.startswith("+1") or len(d) == 10:
        d = d[-10:]
        return len(d) == 10 and d[0] in "23456789" and d[3] in "23456789" and d[4:6] != "11" or False
    return s.startswith("+") and 10 <= len(d) <= 13


def g_street_address(r):
    v = "%d %s %s" % (r.between(1, 9899), r.pick(STREETS), r.pick(SUFFIXES))
    if r.chance(20):
        v += " %s %d%s" % (r.pick(["Apt", "Suite", "Unit"]), r.between(1, 40), r.pick(["", "A", "B"]))
    if r.chance(60):
        city, st, z = r.pick(CITIES)
        v += ", %s, %s %s%02d" % (city, st, z, r.below(100))
    return v


def street_address_ok(s):
    m = re.match(r"^(\d{1,5}) ([A-Z][a-z]+) ([A-Za-z]+)(?: (?:Apt|Suite|Unit) \d+[AB]?)?"
                 r"(?:, ([A-Za-z ]+), ([A-Z]{2}) (\d{5}))?$", s)
    return bool(m) and m.group(2) in STREETS and m.group(3) in SUFFIXES and (
        m.group(5) is None or m.group(5) in US_STATES)


def g_person_name(r):
    k = r.below(10)
    if k < 6:
        return r.pick(GIVEN) + " " + r.pick(SURNAME)
    if k < 8:
        return r.pick(GIVEN) + " " + r.pick(GIVEN) + " " + r.pick(SURNAME)
    return r.pick(GIVEN)


def g_username(r):
    while True:
        f, l = r.pick(GIVEN).lower(), r.pick(SURNAME).lower()
        k = r.below(6)
        v = [f + "." + l, f[0] + l, f + str(r.between(1, 999)), f + "_" + l[:4],
             l + f[0] + str(r.between(1, 99)), f[:3] + l[:3]][k]
        if v not in SYSTEM_ACCOUNTS:
            return v


def username_ok(s):
    return bool(re.fullmatch(r"[a-z][a-z0-9._-]{2,31}", s)) and s not in SYSTEM_ACCOUNTS


def g_date_of_birth(r):
    y, m = r.between(1935, 2007), r.between(1, 12)
    d = r.between(1, 28 if m == 2 else 30)
    k = r.below(6)
    if k == 0:
        return "%04d-%02d-%02d" % (y, m, d)
    if k == 1:
        return "%02d/%02d/%04d" % (m, d, y)
    if k == 2:
        return "%02d.%02d.%04d" % (d, m, y)
    if k == 3:
        return "%d %s %d" % (d, MONTHS[m - 1], y)
    if k == 4:
        return "%s %d, %d" % (MONTHS[m - 1], d, y)
    return "%02d/%02d/%04d" % (d, m, y) if d > 12 else "%04d-%02d-%02d" % (y, m, d)


def date_ok(s):
    for f in ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d %B %Y", "%B %d, %Y", "%d/%m/%Y"):
        try:
            dt = datetime.datetime.strptime(s, f)
            return 1900 < dt.year < 2025
        except ValueError:
            pass
    return False


# (prefix, length) pairs by network; ranges from the networks' published IIN tables.
def g_credit_card(r):
    k = r.below(9)
    if k <= 2:
        pre, n = "4", 16
    elif k == 3:
        pre, n = str(r.between(51, 55)), 16
    elif k == 4:
        pre, n = str(r.between(2221, 2720)), 16
    elif k == 5:
        pre, n = r.pick(["34", "37"]), 15
    elif k == 6:
        pre, n = r.pick(["6011", "65", str(r.between(644, 649))]), 16
    elif k == 7:
        pre, n = str(r.between(3528, 3589)), 16
    else:
        pre, n = "36", 14
    d = pre + r.digits(n - 1 - len(pre))
    d += luhn_digit(d)
    sep = r.pick([" ", " ", "-", ""])
    if not sep:
        return d
    if n == 15:
        return group(d, [4, 6, 5], sep)
    if n == 14:
        return group(d, [4, 6, 4], sep)
    return group(d, [4, 4, 4, 4], sep)


def card_ok(s):
    d = only_digits(s)
    if not luhn_ok(d):
        return False
    n = len(d)
    return (d[0] == "4" and n == 16) or (51 <= int(d[:2]) <= 55 and n == 16) or (
        2221 <= int(d[:4]) <= 2720 and n == 16) or (d[:2] in ("34", "37") and n == 15) or (
        (d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649) and n == 16) or (
        3528 <= int(d[:4]) <= 3589 and n == 16) or (d[:2] == "36" and n == 14)


IBAN_FMT = {"DE": "18n", "GB": "4a14n", "FR": "23n", "NL": "4a10n", "BE": "12n", "ES": "20n",
            "IT": "1a10n12c", "AT": "16n", "CH": "5n12c", "PL": "24n", "PT": "21n", "IE": "4a14n",
            "SE": "20n", "DK": "14n", "FI": "14n", "NO": "11n", "LU": "3n13c", "CZ": "20n",
            "HU": "24n", "RO": "4a16c", "GR": "7n16c"}


def _iban_len(cc):
    return 4 + sum(int(n) for n in re.findall(r"(\d+)[nac]", IBAN_FMT[cc]))


def g_iban(r):
    cc = r.pick(sorted(IBAN_FMT))
    bban = ""
    for n, t in re.findall(r"(\d+)([nac])", IBAN_FMT[cc]):
        bban += r.chars({"n": DIGITS, "a": UPPER, "c": UPPER + DIGITS}[t], int(n))
    if cc == "BE":  # national check: first 10 digits mod 97 (0 -> 97)
        c = int(bban[:10]) % 97 or 97
        bban = bban[:10] + "%02d" % c
    chk = 98 - mod97(bban + cc + "00")
    iban = cc + "%02d" % chk + bban
    if r.chance(40):
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def iban_ok(s):
    s = compact(s).upper()
    return s[:2] in IBAN_FMT and len(s) == _iban_len(s[:2]) and mod97(s[4:] + s[:4]) == 1


def g_bank_account(r):
    while True:
        d = r.digits(r.pick([8, 9, 10, 10, 11, 12, 12, 6, 7, 14, 17]), first_nonzero=r.chance(80))
        if not (13 <= len(d) <= 19 and luhn_ok(d)):
            return d


def g_us_bank_routing(r):
    pre = "%02d" % r.pick(list(range(1, 13)) + list(range(21, 33)) + list(range(61, 73)) + [80])
    d = pre + r.digits(6)
    w = [3, 7, 1, 3, 7, 1, 3, 7]
    return d + str((10 - sum(int(c) * k for c, k in zip(d, w)) % 10) % 10)


def routing_ok(s):
    p = int(s[:2])
    return aba_ok(s) and (1 <= p <= 12 or 21 <= p <= 32 or 61 <= p <= 72 or p == 80)


SSN_BAD = {"078051120", "219099999", "123456789"}


def g_us_ssn(r):
    while True:
        a = r.between(1, 898)
        if a >= 666:
            a += 1
        d = "%03d%02d%04d" % (a, r.between(1, 99), r.between(1, 9999))
        if d not in SSN_BAD:
            break
    k = r.below(10)
    if k < 7:
        return group(d, [3, 2, 4], "-")
    if k < 8:
        return group(d, [3, 2, 4], " ")
    return d


def ssn_ok(s):
    d = only_digits(s)
    a, g, n = int(d[:3]), int(d[3:5]), int(d[5:])
    return len(d) == 9 and 0 < a < 900 and a != 666 and g and n and d not in SSN_BAD


ITIN_GROUPS = list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100))


def g_us_itin(r):
    d = "9%02d%02d%04d" % (r.below(100), r.pick(ITIN_GROUPS), r.below(10000))
    return group(d, [3, 2, 4], "-") if r.chance(80) else d


def itin_ok(s):
    d = only_digits(s)
    return len(d) == 9 and d[0] == "9" and int(d[3:5]) in ITIN_GROUPS


EIN_PREFIX = [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27, 30,
              31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52,
              53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 71, 72, 73, 74, 75,
              76, 77, 80, 81, 82, 83, 84, 85, 86, 87, 88, 90, 91, 92, 93, 94, 95, 98, 99]


def g_us_ein(r):
    d = "%02d%07d" % (r.pick(EIN_PREFIX), r.below(10 ** 7))
    return d[:2] + "-" + d[2:] if r.chance(85) else d


def ein_ok(s):
    d = only_digits(s)
    return len(d) == 9 and int(d[:2]) in EIN_PREFIX


VAT_CC = sorted(VAT_CHECK)


def g_vat_id(r):
    cc = r.pick(VAT_CC)
    b = _gen_vat_body(r, cc)
    if cc == "CH":
        if r.chance(60):
            return "CHE-%s.%s.%s" % (b[:3], b[3:6], b[6:])
        return "CHE" + b
    if cc == "NO":
        return "NO" + b + "MVA"
    if cc == "GB" and r.chance(40):
        return "GB %s %s %s" % (b[:3], b[3:7], b[7:])
    if cc == "DE" and r.chance(20):
        return "DE " + b
    return cc + b


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NINO_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def g_uk_nino(r):
    while True:
        p = r.pick(NINO_FIRST) + r.pick(NINO_SECOND)
        if p not in NINO_BAD:
            break
    d, s = r.digits(6), r.pick("ABCD")
    if r.chance(35):
        return "%s %s %s %s %s" % (p, d[:2], d[2:4], d[4:], s)
    return p + d + s


def nino_ok(s):
    s = compact(s).upper()
    return (len(s) == 9 and s[0] in NINO_FIRST and s[1] in NINO_SECOND and s[:2] not in NINO_BAD
            and s[2:8].isdigit() and s[8] in "ABCD")


def g_ca_sin(r):
    d = r.pick("1234567") + r.digits(7)
    d += luhn_digit(d)
    k = r.below(10)
    return group(d, [3, 3, 3], " ") if k < 5 else group(d, [3, 3, 3], "-") if k < 8 else d


def sin_ok(s):
    d = only_digits(s)
    return len(d) == 9 and d[0] not in "08" and luhn_ok(d)


PAN_HOLDER = "ABCFGHLJPT"


def g_in_pan(r):
    return r.chars(UPPER, 3) + r.pick(PAN_HOLDER) + r.chars(UPPER, 1) + "%04d" % r.between(1, 9999) + r.chars(UPPER, 1)


def pan_ok(s):
    return bool(re.fullmatch(r"[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z]", s))


def g_in_aadhaar(r):
    d = str(r.between(2, 9)) + r.digits(10)
    d += verhoeff_digit(d)
    k = r.below(10)
    return group(d, [4, 4, 4], " ") if k < 6 else group(d, [4, 4, 4], "-") if k < 7 else d


def aadhaar_ok(s):
    d = only_digits(s)
    return len(d) == 12 and d[0] in "23456789" and verhoeff_ok(d)


def g_br_cpf(r):
    while True:
        d = r.digits(9)
        if len(set(d)) > 1:
            break
    d += cpf_digits(d)
    return "%s.%s.%s-%s" % (d[:3], d[3:6], d[6:9], d[9:]) if r.chance(80) else d


def g_br_cnpj(r):
    d = r.digits(8, True) + ("0001" if r.chance(70) else "%04d" % r.between(2, 30))
    d += cnpj_digits(d)
    if r.chance(80):
        return "%s.%s.%s/%s-%s" % (d[:2], d[2:5], d[5:8], d[8:12], d[12:])
    return d


def g_us_passport(r):
    if r.chance(40):
        return r.pick("ABCEFGHJKLMNPRSTUVWXYZ") + r.digits(8)
    return r.digits(9, True)


def passport_ok(s):
    return bool(re.fullmatch(r"[A-Z]?[0-9]{8,9}", s)) and len(s) == 9


DL_FORMATS = [  # (state, regex, generator)
    ("CA", r"[A-Z][0-9]{7}", lambda r: r.chars(UPPER, 1) + r.digits(7)),
    ("FL", r"[A-Z][0-9]{3}-[0-9]{3}-[0-9]{2}-[0-9]{3}-[0-9]", lambda r: (lambda d: "%s%s-%s-%s-%s-%s" % (r.chars(UPPER, 1), d[:3], d[3:6], d[6:8], d[8:11], d[11]))(r.digits(12))),
    ("NY", r"[0-9]{3} [0-9]{3} [0-9]{3}", lambda r: group(r.digits(9, True), [3, 3, 3], " ")),
    ("TX", r"[0-9]{8}", lambda r: r.pick("0123") + r.digits(7)),
    ("IL", r"[A-Z][0-9]{3}-[0-9]{4}-[0-9]{4}", lambda r: (lambda d: "%s%s-%s-%s" % (r.chars(UPPER, 1), d[:3], d[3:7], d[7:]))(r.digits(11))),
    ("PA", r"[0-9]{2} [0-9]{3} [0-9]{3}", lambda r: group(r.digits(8), [2, 3, 3], " ")),
    ("WA", r"WDL[A-Z0-9]{9}", lambda r: "WDL" + r.chars(UPPER + DIGITS, 9)),
]


def g_drivers_license(r):
    return r.pick(DL_FORMATS)[2](r)


def dl_ok(s):
    return any(re.fullmatch(f[1], s) for f in DL_FORMATS)


MBI_L = "ACDEFGHJKMNPQRTUVWXY"  # A-Z without S, L, O, I, B, Z
MBI_AN = MBI_L + DIGITS


def g_us_mbi(r):
    v = (r.pick("123456789") + r.pick(MBI_L) + r.pick(MBI_AN) + r.pick(DIGITS) + r.pick(MBI_L)
         + r.pick(MBI_AN) + r.pick(DIGITS) + r.pick(MBI_L) + r.pick(MBI_L) + r.pick(DIGITS)
         + r.pick(DIGITS))
    if v == "1EG4TE5MK73":  # CMS's published example
        return g_us_mbi(r)
    return group(v, [4, 3, 4], "-") if r.chance(40) else v


def mbi_ok(s):
    s = s.replace("-", "")
    pos = ["123456789", MBI_L, MBI_AN, DIGITS, MBI_L, MBI_AN, DIGITS, MBI_L, MBI_L, DIGITS, DIGITS]
    return len(s) == 11 and all(c in p for c, p in zip(s, pos))


VIN_WMI = ["1HG", "1FT", "2T1", "3VW", "5YJ", "JHM", "WBA", "WVW", "KMH", "1G1", "JTD", "SAL"]


def g_vin(r):
    v = r.pick(VIN_WMI) + r.chars(VIN_CHARS, 5) + "0" + r.pick("ABCDEFGHJKLMNPRSTVWXY123456789") + r.chars(VIN_CHARS, 1) + r.digits(6)
    v = v[:8] + vin_check(v) + v[9:]
    return v.lower() if r.chance(5) else v


def g_ipv4(r):
    while True:
        o = [r.between(1, 223), r.below(256), r.below(256), r.between(1, 254)]
        if o[0] in (0, 10, 100, 127, 169, 172, 192, 198, 203):
            continue
        return ".".join(map(str, o))


def ipv4_ok(s):
    p = s.split(".")
    return len(p) == 4 and all(x.isdigit() and int(x) < 256 and (x == "0" or x[0] != "0") for x in p)


IPV6_PFX = [(0x2001, 0x4860), (0x2A00, 0x1450), (0x2A03, 0x2880), (0x2606, 0x4700),
            (0x2600, 0x1F18), (0x2A02, 0x8108), (0x2405, 0x0200), (0x2C0F, 0xFB50), (0x2804, 0x14C)]


def g_ipv6(r):
    g = list(r.pick(IPV6_PFX)) + [r.below(0x10000) for _ in range(6)]
    up = r.chance(10)
    h = (lambda x: "%X" % x) if up else (lambda x: "%x" % x)
    k = r.below(10)
    if k < 4:
        pad = r.chance(50)
        return ":".join(("%04X" if up else "%04x") % x if pad else h(x) for x in g)
    if k < 9:
        run = r.between(2, 5)
        at = r.between(2, 8 - run)
        return ":".join(h(x) for x in g[:at]) + "::" + ":".join(h(x) for x in g[at + run :])
    return "::ffff:" + g_ipv4(r)


def ipv6_ok(s):
    import ipaddress

    try:
        return ipaddress.IPv6Address(s).version == 6
    except ValueError:
        return False


def g_mac(r):
    m = [r.below(256) for _ in range(6)]
    m[0] &= 0xFC
    if m[0] == 0:
        m[0] = 0x04
    up = r.chance(40)
    hx = ["%02X" % x if up else "%02x" % x for x in m]
    if r.chance(10):
        s = "".join(hx).lower()
        return "%s.%s.%s" % (s[:4], s[4:8], s[8:])
    return (":" if r.chance(70) else "-").join(hx)


def mac_ok(s):
    return bool(re.fullmatch(r"([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}", s))


IMEI_RB = ["35", "86", "01", "99"]


def g_imei(r):
    d = r.pick(IMEI_RB) + r.digits(12)
    d += luhn_digit(d)
    return "%s-%s-%s-%s" % (d[:2], d[2:8], d[8:14], d[14]) if r.chance(20) else d


def imei_ok(s):
    d = only_digits(s)
    return len(d) == 15 and d[:2] in IMEI_RB and luhn_ok(d)


def _uuid4(r):
    h = r.chars(HEXL, 32)
    h = h[:12] + "4" + h[13:16] + r.pick("89ab") + h[17:]
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def g_device_id(r):
    k = r.below(3)
    if k == 0:
        return _uuid4(r).upper()  # IDFA
    if k == 1:
        return _uuid4(r)  # GAID
    return r.chars(HEXL, 16)  # Android ID


def device_id_ok(s):
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|[0-9a-f]{16}", s))


def g_user_agent(r):
    k = r.below(6)
    cv = "%d.0.%d.%d" % (r.between(100, 126), r.between(4000, 6500), r.between(10, 250))
    if k == 0:
        return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/%s Safari/537.36" % cv)
    if k == 1:
        ios = "%d_%d" % (r.between(15, 17), r.between(0, 6))
        return ("Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 "
                "(KHTML, like Gecko) Version/%d.%d Mobile/15E148 Safari/604.1"
                % (ios, r.between(15, 17), r.between(0, 6)))
    if k == 2:
        fv = r.between(100, 125)
        return "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (fv, fv)
    if k == 3:
        return ("Mozilla/5.0 (Linux; Android %d; %s) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/%s Mobile Safari/537.36" % (r.between(10, 14), r.pick(["Pixel 7", "SM-G991B", "K"]), cv))
    if k == 4:
        return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_%d) AppleWebKit/605.1.15 (KHTML, like "
                "Gecko) Version/%d.1 Safari/605.1.15" % (r.between(1, 7), r.between(14, 17)))
    return "Dalvik/2.1.0 (Linux; U; Android %d; %s Build/%s)" % (
        r.between(9, 14), r.pick(["Pixel 6", "SM-A515F", "Redmi Note 9"]), r.chars(UPPER + DIGITS, 6))


def ua_ok(s):
    return bool(re.match(r"^(Mozilla/5\.0|Dalvik/\d)", s)) and "(" in s and s.endswith(tuple(")0123456789."))


COOKIE_NAMES = ["sessionid", "JSESSIONID", "PHPSESSID", "session_id", "sid", "_ga"]


def cookie_value(r, name):
    if name == "JSESSIONID":
        return r.chars("0123456789ABCDEF", 32)
    if name == "PHPSESSID":
        return r.chars(LOWER + DIGITS, 26)
    if name == "_ga":
        return "GA1.2.%d.%d" % (r.between(10 ** 8, 2 * 10 ** 9), r.between(1600000000, 1780000000))
    return r.chars(LOWER + DIGITS, 32)


def g_cookie_id(r):
    return cookie_value(r, r.pick(COOKIE_NAMES))


def cookie_ok(s):
    return bool(re.fullmatch(r"[0-9A-F]{32}|[a-z0-9]{26}|[a-z0-9]{32}|GA1\.2\.\d{9,10}\.\d{10}", s))


def g_geo(r):
    lat = r.between(-72000000, 72000000) / 1e6
    lon = r.between(-180000000, 180000000) / 1e6
    dec = r.between(4, 6)
    sep = r.pick([", ", ",", " , "]) if r.chance(90) else ", "
    return "%.*f%s%.*f" % (dec, lat, sep, dec, lon)


def geo_ok(s):
    m = re.fullmatch(r"(-?\d{1,2}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})", s)
    return bool(m) and abs(float(m.group(1))) <= 90 and abs(float(m.group(2))) <= 180


def g_aws_access_key(r):
    return ("AKIA" if r.chance(80) else "ASIA") + r.chars(B32, 16)


def g_aws_secret_key(r):
    return r.chars(ALNUM, 1) + r.chars(B64, 38) + r.chars(ALNUM, 1)


def g_api_token(r):
    k = r.below(6)
    if k <= 1:
        body = r.chars(ALNUM, 30)
        return r.pick(["ghp_", "gho_", "ghs_"]) + body + crc32_b62(body)
    if k == 2:
        return "github_pat_" + r.chars(ALNUM, 22) + "_" + r.chars(ALNUM, 59)
    if k == 3:
        return "xox%s-%d%s-%d%s-%s" % (r.pick("bp"), r.between(1, 9), r.digits(10 + r.below(3)),
                                       r.between(1, 9), r.digits(11 + r.below(2)), r.chars(ALNUM, 24))
    if k == 4:
        return r.pick(["sk_live_", "rk_live_"]) + r.chars(ALNUM, r.pick([24, 99]))
    return "AIza" + r.chars(B64URL, 35)


def api_token_ok(s):
    if re.fullmatch(r"gh[pos]_[A-Za-z0-9]{36}", s):
        return crc32_b62(s[4:34]) == s[34:]
    return bool(re.fullmatch(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}|xox[bp]-\d{10,13}-\d{11,13}-[A-Za-z0-9]{24}"
                             r"|[rs]k_live_[A-Za-z0-9]{24}([A-Za-z0-9]{75})?|AIza[A-Za-z0-9_-]{35}", s))


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def g_jwt(r):
    alg = r.pick(["HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if r.chance(40):
        hdr = {"kid": r.chars(HEXL, 8), "alg": alg, "typ": "JWT"}
    payload = {"sub": str(r.between(10 ** 6, 10 ** 10)), "name": r.pick(GIVEN) + " " + r.pick(SURNAME),
               "iat": r.between(1600000000, 1780000000)}
    siglen = {"HS256": 32, "RS256": 256, "ES256": 64, "HS512": 64}[alg]
    return ".".join([b64url(json.dumps(hdr, separators=(",", ":")).encode()),
                     b64url(json.dumps(payload, separators=(",", ":")).encode()),
                     b64url(r.bytes(siglen))])


def jwt_ok(s):
    p = s.split(".")
    if len(p) != 3:
        return False
    try:
        h = json.loads(base64.urlsafe_b64decode(p[0] + "=" * (-len(p[0]) % 4)))
    except ValueError:
        return False
    return isinstance(h, dict) and "alg" in h


PEM_KINDS = ["RSA ", "EC ", "OPENSSH ", "", "DSA ", "ENCRYPTED "]


def g_private_key(r):
    kind = r.pick(PEM_KINDS)
    lines = [r.chars(B64, 64) for _ in range(r.between(2, 6))] + [r.chars(B64, r.between(8, 60)) + "=="]
    return "-----BEGIN %sPRIVATE KEY-----\n%s\n-----END %sPRIVATE KEY-----" % (kind, "\n".join(lines), kind)


def pem_ok(s):
    return bool(re.fullmatch(r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END \1?PRIVATE KEY-----", s))


PW_WORDS = ["Summer", "Winter", "Dragon", "Sunshine", "Falcon", "Pa55", "S3cr3t", "Tr0ub4dor", "Qwerty", "Maple"]


def g_password(r):
    if r.chance(50):
        return r.pick(PW_WORDS) + str(r.between(1, 2026)) + r.pick("!#$%*?")
    v = r.chars(ALNUM, r.between(10, 16))
    if r.chance(50):
        v += r.pick("!#$%*?") + r.chars(ALNUM, 2)
    return v


def password_ok(s):
    return 6 <= len(s) <= 40 and not re.search(r"[\s\"'\\]", s) and not set(s) <= set("*x")


URL_HOSTS = ["shop.acme.io", "www.globex.com", "app.initech.net", "m.hooli.fr", "checkout.umbrella-corp.de"]
URL_PATHS = ["/p", "/product/8842", "/checkout", "/account/settings", "/search", "/cart/add", "/track/click"]
URL_OTHER = ["utm_source=newsletter", "ref=home", "page=2", "q=running+shoes", "lang=en", "utm_campaign=bf24"]


def g_url_clickstream(r):
    """Returns (url, nested) where nested lists (detector, start, end) of values inside it."""
    u = "https://" + r.pick(URL_HOSTS) + r.pick(URL_PATHS) + "?"
    before = r.chance(50)
    if before:
        u += r.pick(URL_OTHER) + "&"
    nested = []
    k = r.below(6)
    if k == 0:
        u += "email="
        st = len(u)
        u += email_local(r) + "%40" + r.pick(MAILDOM)
        nested.append(("email", st, len(u)))
    elif k == 1:
        u += "user="
        st = len(u)
        u += g_username(r)
        nested.append(("username", st, len(u)))
    elif k == 2:
        u += "uid=%d" % r.between(10000, 99999999)
    elif k == 3:
        u += "session=" + r.chars(HEXL, 32)
        nested.append(("cookie_id", len(u) - 32, len(u)))
    elif k == 4:
        u += "user_id=%d" % r.between(1000, 9999999)
    else:
        u += "id=%d&token=%s" % (r.between(100, 999999), r.chars(ALNUM, 20))
    if not before or r.chance(30):
        u += "&" + r.pick(URL_OTHER)
    return u, nested


def url_ok(s):
    return bool(re.fullmatch(r"https://[a-z.-]+/[A-Za-z0-9/]*\?\S+", s)) and bool(
        re.search(r"[?&](email|user|uid|session|user_id|token)=", s))


# ---------------------------------------------------------------- the table


class Det:
    def __init__(self, did, gen, check, plain, keys, nested=False):
        self.id = did
        self.gen = gen
        self.check = check
        self.plain = plain  # context prefixes for free-text log lines ("{}" marks the value)
        self.keys = keys  # field names for JSON / logfmt / CSV
        self.nested = nested  # gen returns (value, nested spans)


def _p(*xs):
    return [x if "{}" in x else x + "{}" for x in xs]


DETECTORS = [
    Det("email", g_email, lambda s: bool(re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}", s, re.I)),
        _p("email=", "user_email=", "to=<{}>", "from=<{}>", "mailto:", "notify ", "recipient: ", "reply-to: "),
        ["email", "user_email", "contact.email", "customer.email_address"]),
    Det("phone", g_phone, phone_ok,
        _p("phone=", "tel:", "callback number ", "contact_phone=", "SMS sent to ", "mobile: "),
        ["phone", "phone_number", "mobile", "contact.phone"]),
    Det("street_address", g_street_address, street_address_ok,
        _p("ship to ", "address=\"{}\"", "billing address: ", "deliver to {} today"),
        ["address", "street_address", "shipping.address_line1", "billing_address"]),
    Det("person_name", g_person_name, _name_tokens_ok,
        _p("name=\"{}\"", "Dear {},", "customer_name=\"{}\"", "Hello Mr. {}", "patient: Ms. {};"),
        ["name", "full_name", "first_name", "customer.name", "contact_name"]),
    Det("username", g_username, username_ok,
        _p("user=", "username=", "login=", "username: ", "sftp://{}@files.acme-corp.com/",
           "sshd[4211]: Invalid user {} from 198.51.100.23 port 52214",
           "pam_unix(sshd:session): session opened for user {} by (uid=0)",
           "sshd[4211]: Accepted publickey for {} from 198.51.100.23 port 50022 ssh2"),
        ["username", "user", "login", "account.username", "user_name"]),
    Det("date_of_birth", g_date_of_birth, date_ok,
        _p("dob=", "DOB: ", "date of birth ", "born {}", "birth_date=", "birthday: "),
        ["dob", "date_of_birth", "birth_date", "patient.dob", "birthdate"]),
    Det("credit_card", g_credit_card, card_ok,
        _p("card ", "card_number=", "cc=", "Payment with card ", "charged card=", "pan: "),
        ["card_number", "cc_number", "payment.card", "pan", "credit_card"]),
    Det("iban", g_iban, iban_ok,
        _p("iban=", "IBAN ", "payout to IBAN ", "account_iban=", "refund iban: "),
        ["iban", "account_iban", "payout.iban", "bank_iban"]),
    Det("bank_account", g_bank_account, lambda s: s.isdigit() and 6 <= len(s) <= 17,
        _p("account ", "acct=", "a/c ", "account number: ", "bank account no. ", "acct_no="),
        ["account_number", "acct_no", "bank_account", "payout.account_number"]),
    Det("us_bank_routing", g_us_bank_routing, routing_ok,
        _p("routing=", "ABA ", "routing number ", "rtn=", "aba_routing: "),
        ["routing_number", "aba", "bank.routing", "rtn"]),
    Det("us_ssn", g_us_ssn, ssn_ok,
        _p("ssn=", "SSN: ", "applicant ssn ", "social_security_number=", "member SSN "),
        ["ssn", "social_security_number", "applicant.ssn", "ssn_number"]),
    Det("us_itin", g_us_itin, itin_ok,
        _p("itin=", "ITIN: ", "taxpayer itin ", "individual taxpayer id "),
        ["itin", "taxpayer_itin", "tax.itin"]),
    Det("us_ein", g_us_ein, ein_ok,
        _p("ein=", "EIN: ", "employer id ", "FEIN ", "employer identification number "),
        ["ein", "fein", "employer_ein", "company.ein"]),
    Det("vat_id", g_vat_id, vat_ok,
        _p("vat=", "VAT ID ", "vat_number: ", "USt-IdNr. ", "TVA intracom "),
        ["vat_id", "vat_number", "vat", "company.vat_id"]),
    Det("uk_nino", g_uk_nino, nino_ok,
        _p("nino=", "NI number ", "national insurance no ", "NINO: "),
        ["nino", "ni_number", "national_insurance_number", "employee.nino"]),
    Det("ca_sin", g_ca_sin, sin_ok,
        _p("sin=", "SIN: ", "social insurance number ", "ca_sin="),
        ["sin", "social_insurance_number", "employee.sin"]),
    Det("in_pan", g_in_pan, pan_ok,
        _p("pan=", "PAN: ", "pan card ", "permanent account number "),
        ["pan_number", "pan", "kyc.pan"]),
    Det("in_aadhaar", g_in_aadhaar, aadhaar_ok,
        _p("aadhaar=", "Aadhaar: ", "aadhaar no ", "uid_aadhaar="),
        ["aadhaar", "aadhaar_number", "kyc.aadhaar"]),
    Det("br_cpf", g_br_cpf, cpf_ok, _p("cpf=", "CPF: ", "cliente cpf ", "documento CPF "),
        ["cpf", "cliente.cpf", "cpf_number"]),
    Det("br_cnpj", g_br_cnpj, cnpj_ok, _p("cnpj=", "CNPJ: ", "empresa cnpj ", "fornecedor CNPJ "),
        ["cnpj", "empresa.cnpj", "cnpj_number"]),
    Det("us_passport", g_us_passport, passport_ok,
        _p("passport=", "passport no. ", "Passport Number: ", "passport_number="),
        ["passport", "passport_number", "traveler.passport_no"]),
    Det("drivers_license", g_drivers_license, dl_ok,
        _p("driver's license ", "DL#", "drivers_license=", "driver license no. ", "dl_number="),
        ["drivers_license", "dl_number", "driver_license_no", "license.number"]),
    Det("us_mbi", g_us_mbi, mbi_ok,
        _p("mbi=", "MBI: ", "medicare id ", "medicare beneficiary identifier "),
        ["mbi", "medicare_id", "member.mbi"]),
    Det("vin", g_vin, vin_ok, _p("vin=", "VIN: ", "vehicle ", "vehicle_vin="),
        ["vin", "vehicle_vin", "vehicle.vin"]),
    Det("ipv4", g_ipv4, ipv4_ok,
        _p("from ", "client=", "src=", "remote_addr=", "connection from ", "X-Forwarded-For: ", "peer {}:443"),
        ["ip", "client_ip", "remote_addr", "request.ip", "src_ip"]),
    Det("ipv6", g_ipv6, ipv6_ok, _p("from ", "client_ip=", "src=", "addr ", "peer=[{}]:443"),
        ["ip", "client_ipv6", "remote_addr", "request.ipv6"]),
    Det("mac_address", g_mac, mac_ok,
        _p("mac=", "hwaddr ", "ether ", "client MAC ", "BSSID ", "device_mac="),
        ["mac", "mac_address", "device.mac", "bssid"]),
    Det("imei", g_imei, imei_ok, _p("imei=", "IMEI: ", "device imei ", "handset IMEI "),
        ["imei", "device_imei", "device.imei"]),
    Det("device_id", g_device_id, device_id_ok,
        _p("idfa=", "gaid=", "device_id=", "adid=", "android_id=", "advertising id "),
        ["device_id", "idfa", "gaid", "adid", "device.advertising_id"]),
    Det("user_agent", g_user_agent, ua_ok,
        _p("User-Agent: ", "ua=\"{}\"", "\"GET / HTTP/1.1\" 200 512 \"-\" \"{}\"", "http_user_agent=\"{}\""),
        ["user_agent", "ua", "http.user_agent", "userAgent"]),
    Det("url_clickstream", g_url_clickstream, url_ok,
        _p("GET {} HTTP/1.1", "referer=", "Referer: ", "redirect to ", "url="),
        ["url", "referer", "page_url", "request.url"], nested=True),
    Det("cookie_id", g_cookie_id, cookie_ok,
        _p("Cookie: sessionid={}; csrftoken=abc", "Set-Cookie: JSESSIONID={}; Path=/; HttpOnly",
           "Cookie: PHPSESSID={}", "session_id=", "Cookie: _ga={}"),
        ["session_id", "sessionid", "cookie_id", "sid", "jsessionid"]),
    Det("geo_coordinates", g_geo, geo_ok,
        _p("lat,lon=", "location: ", "gps ", "coords=({})", "position "),
        ["coords", "location", "geo", "gps", "latlng"]),
    Det("aws_access_key", g_aws_access_key, lambda s: bool(re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", s)),
        _p("aws_access_key_id=", "AccessKeyId: ", "key_id=", "AWS_ACCESS_KEY_ID=", "using credentials "),
        ["aws_access_key_id", "AccessKeyId", "credentials.access_key"]),
    Det("aws_secret_key", g_aws_secret_key, lambda s: len(s) == 40 and all(c in B64 for c in s),
        _p("aws_secret_access_key=", "AWS_SECRET_ACCESS_KEY=", "aws_secret_access_key = "),
        ["aws_secret_access_key", "SecretAccessKey", "credentials.aws_secret_key"]),
    Det("api_token", g_api_token, api_token_ok,
        _p("token=", "GITHUB_TOKEN=", "Authorization: token ", "slack_token=", "api_key=", "STRIPE_KEY="),
        ["token", "api_key", "auth.token", "github_token"]),
    Det("jwt", g_jwt, jwt_ok, _p("Authorization: Bearer ", "jwt=", "id_token=", "access_token=", "session token "),
        ["jwt", "id_token", "access_token", "auth.bearer"]),
    Det("private_key", g_private_key, pem_ok, _p("key=\"{}\"", "loaded key ", "private_key: \"{}\"", "ssh key material "),
        ["private_key", "ssh_key", "tls.key_pem"]),
    Det("password", g_password, password_ok,
        _p("password=", "passwd=", "pwd=", "db_password=", "password: ", "postgres://app_user:{}@db.acme-corp.com:5432/app"),
        ["password", "passwd", "db.password", "user_password"]),
]
BY_ID = {d.id: d for d in DETECTORS}
PEM_PLAIN_ESCAPED = True  # plain log lines carry a PEM with literal \n escapes (as loggers do)


def self_test():
    """Published test vectors for the checksum functions above (used by --verify)."""
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
    assert mod97("WEST12345698765432GB82") == 1  # GB82 WEST 1234 5698 7654 32
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and iban_ok("DE89370400440532013000")
    assert verhoeff_ok("2363") and verhoeff_digit("236") == "3"
    assert vin_ok("1M8GDM9AXKP042788") and vin_ok("11111111111111111")
    assert aba_ok("011000015") and aba_ok("021000021")
    assert cpf_ok("111.444.777-35") and cnpj_ok("11.222.333/0001-81")
    assert mod11_10("13669597") == "6"  # DE136695976
    for t in ("ATU13585627", "BE0411905847", "DE136695976", "GB980780684", "NL004495445B01",
              "FR40303265045", "DK13585628", "FI20774740", "PL8567346215", "ESA13585625",
              "IE6388047V", "LU15027442", "ESB58378431", "CZ25123891", "HU12892312",
              "IT00743110157", "PT501964843", "SE556188840401", "SI50223054", "SK2022749619",
              "EL094259216", "EE100931558", "BG175074752", "LT119511515", "LV40003521600",
              "MT11679112", "RO18547290", "HR33392005961", "CY10259033P", "NO974760673MVA",
              "CHE-116.281.710"):
        assert vat_ok(t), t
    return True
