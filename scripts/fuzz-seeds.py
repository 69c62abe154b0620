#!/usr/bin/env python3
"""fuzz-seeds.py: writes the small seed corpora of the libFuzzer targets (tests/fuzz/) into
corpora/fuzz/<target>/. Deterministic (fixed mtimes, no randomness); re-run after changing it.
zstd frames are written by hand (raw blocks), so only the Python standard library is needed."""
import gzip
import io
import os
import shutil
import struct
import sys
import tarfile
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpora", "fuzz")
TEXT = (b"2024-05-01T10:00:00Z user=jane.doe@acme-corp.com ip=192.168.10.20\n"
        b"card=4539 1488 0343 6467 ssn=078-05-1120 tel=+1 415 555 0132\n")


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def zst(data):
    """A zstd frame of raw blocks (single segment, content size declared)."""
    assert len(data) < 65536 + 256
    if len(data) < 256:
        out = b"\x28\xb5\x2f\xfd" + bytes([0x20, len(data)])
    else:
        out = b"\x28\xb5\x2f\xfd" + bytes([0x60]) + struct.pack("<H", len(data) - 256)
    hdr = 1 | (len(data) << 3)  # last block, raw
    return out + struct.pack("<I", hdr)[:3] + data


def tar(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    # keep the two end blocks, drop tarfile's padding to 10 KiB records
    raw = b.getvalue()
    end = raw.rstrip(b"\0")
    return end + b"\0" * (512 - len(end) % 512 if len(end) % 512 else 0) + b"\0" * 1024


def zipf(members, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression=method) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data,
                       compress_type=method)
    return b.getvalue()


def zip64f(members):
    """Zip64 records for every member and a zip64 end of central directory."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(data)
    return b.getvalue()


class _Unseekable(io.RawIOBase):
    def __init__(self):
        self.b = io.BytesIO()

    def writable(self):
        return True

    def write(self, data):
        return self.b.write(data)


def zip_descriptors(members):
    """Written to a stream that cannot seek: sizes and CRCs in data descriptors (flag bit 3)."""
    u = _Unseekable()
    with zipfile.ZipFile(u, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as f:
                f.write(data)
    return u.b.getvalue()


def cd_crc_flipped(z):
    """The first central directory entry's CRC-32 off by one (the local header's intact)."""
    i = z.find(b"PK\x01\x02")
    return z[:i + 16] + bytes([z[i + 16] ^ 1]) + z[i + 17:]


def write(target, files):
    d = os.path.join(ROOT, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def source_seeds():
    # byte 0: bit 0 forces zlib, bit 1 reads through a pipe, bit 2 sets max_depth 1, bit 3 reads
    # zip with libarchive
    inner_zip = zipf([("deep/c.csv", b"name,email\nJane,jane@acme.io\n")])
    seeds = {
        "plain": b"\x00" + TEXT,
        "gzip-isal": b"\x00" + gz(TEXT),
        "gzip-zlib": b"\x01" + gz(TEXT),
        "gzip-two-members-pipe": b"\x03" + gz(TEXT[:40]) + gz(TEXT[40:]),
        "gzip-truncated": b"\x00" + gz(TEXT)[:-9],
        "gzip-of-gzip": b"\x01" + gz(gz(TEXT)),
        "zstd": b"\x00" + zst(TEXT),
        "zstd-of-gzip": b"\x00" + zst(gz(TEXT)),
        "tar": b"\x00" + tar([("a.log", TEXT), ("b/empty", b"")]),
        "tar-gz": b"\x01" + gz(tar([("a.log", TEXT)])),
        "zip": b"\x00" + zipf([("a.txt", TEXT), ("s.txt", b"stored")]),
        "zip-pipe": b"\x02" + zipf([("a.txt", TEXT)], zipfile.ZIP_STORED),
        "nested": b"\x00" + gz(tar([("top.txt", b"top\n"), ("inner.zip", inner_zip)])),
        "nested-depth1": b"\x04" + gz(tar([("inner.zip", inner_zip)])),
        "tar-of-zstd": b"\x00" + gz(tar([("x.zst", zst(TEXT))])),
        # zip through its central directory (source_zip.c)
        "zip64": b"\x00" + zip64f([("a.txt", TEXT), ("b.txt", b"two\n")]),
        "zip64-zlib": b"\x01" + zip64f([("a.txt", TEXT)]),
        "zip-descriptors": b"\x00" + zip_descriptors([("a.txt", TEXT), ("b.txt", TEXT[:50])]),
        "zip-descriptors-pipe": b"\x03" + zip_descriptors([("a.txt", TEXT)]),
        "zip-libarchive": b"\x08" + zip64f([("a.txt", TEXT)]),
        "zip-bad-crc": b"\x00" + cd_crc_flipped(zipf([("a.txt", TEXT), ("b.txt", b"x\n")])),
        "zip-ctl-names": b"\x01" + zipf([("a\x01\x1b[1m\n.txt", TEXT), ("d/", b"")]),
        "zip-in-zip": b"\x00" + zipf([("inner.zip", inner_zip), ("s.zip", zipf([("t", TEXT)],
                                                                             zipfile.ZIP_STORED))]),
    }
    write("fuzz_source", seeds)


def scan_seeds():
    write("fuzz_scan", {
        "log": TEXT,
        "json": b'{"email":"a.b@example.org","phone":"(415) 555-0132","iban":'
                b'"DE89 3704 0044 0532 0130 00","ipv6":"2001:db8::1","mac":"00:1A:2B:3C:4D:5E"}\n',
        "secrets": b"aws_access_key_id=AKIA2E3MNOPQ7RSTUVWX password=hunter2x\n"
                   b"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\n"
                   b"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n",
        "geo-url": b"loc=37.7749,-122.4194 GET https://shop.example/item?uid=77&email=x%40y.io\n",
        "negatives": b"version 1.2.3.4 oid 1.3.6.1.4.1 ts=1714557600 uuid "
                     b"123e4567-e89b-12d3-a456-426614174000 order 4539148803436468\n",
    })


def patterns_seeds():
    hdr = b"# id\tgroup\tfind\tvalidator\tcontext\twindow\tccpa\tspi\trisk\tconfidence\tdescription\n"
    write("fuzz_patterns", {
        "re": hdr + b"ticket\tcustom\tre:/TCK-[0-9]{4}/\t-\tticket|case\t32,8\tK\tno\tlow\t60\ttickets\n",
        "anchor": b"mail2\tcontact\tanchor:/@[A-Za-z0-9]/\temail\temail|mail\t48,8\tA\tno\tmedium\t85\n",
        "shape": b"cc2\tpayment\tshape:card\tcard\tbare:card|visa|!order\t16\tD\tyes\thigh\t80\tcard\n",
        "required": b"lic\tgov\tre:/L[0-9]{7}/i\t-\trequired:lic|ss#\t48,16\tA;D\tcombined\thigh\t50\n",
        "bad-window": b"x\tg\tre:/a{3}/\t-\t-\t999,1\tA\tno\tlow\t10\n",
        "dup": b"a\tg\tre:/q+z/\t-\t-\t8\t-\tno\tlow\t1\na\tg\tre:/p+z/\t-\t-\t8\t-\tno\tlow\t1\n",
        # crashed once (UBSan: memcpy to a NULL array when a file adds no detector)
        "regress-empty": b"",
        "regress-comment-only": hdr,
    })


def validate_seeds():
    # byte 0 picks the validator: index into validator_names() modulo its length (16 today,
    # sorted: api_token aws_access_key aws_secret_key card email geo iban ipv4 ipv6 jwt mac
    # password phone private_key ssn url_clickstream)
    v = [
        (0, b"token=ghp_1234567890abcdefghijABCDEFGHIJ123456"),
        (1, b"AKIA2E3MNOPQ7RSTUVWX"),
        (2, b"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        (3, b"4539 1488 0343 6467"),
        (4, b"jane.doe@acme-corp.com"),
        (5, b"37.7749,-122.4194"),
        (6, b"DE89 3704 0044 0532 0130 00"),
        (7, b"192.168.10.20"),
        (8, b"2001:db8::ffff:10.0.0.1"),
        (9, b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
        (10, b"00:1A:2B:3C:4D:5E"),
        (11, b"password=hunter2x&user=bob"),
        (12, b"+1 (415) 555-0132"),
        (13, b"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----"),
        (14, b"078-05-1120"),
        (15, b"https://shop.example/item?uid=77&email=x%40y.io&ssn=078051120"),
    ]
    write("fuzz_validate", {"%02d" % i: bytes([i]) + data for i, data in v})


def main():
    source_seeds()
    scan_seeds()
    patterns_seeds()
    validate_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
