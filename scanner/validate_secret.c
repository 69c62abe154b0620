/* validate_secret.c: credential validators: AWS keys, vendor API tokens, JWTs, PEM private
 * keys and passwords in URLs and key=value fields. Knows token formats, not the finders. */
#include "validate.h"

#include <string.h>

static bool lit_at(const struct vctx *v, size_t at, const char *lit)
{
    size_t m = strlen(lit);
    if (at < v->lo || at > v->hi || v->hi - at < m) return false;
    return memcmp(v->buf + at, lit, m) == 0;
}

static bool all_same(const uint8_t *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (s[i] != s[0]) return false;
    }
    return true;
}

/* Case-insensitive substring search of the lower-case literal w in s[0..n). */
static bool icontains(const uint8_t *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    for (size_t i = 0; i + m <= n; i++) {
        if (ascii_ieq(s + i, m, w)) return true;
    }
    return false;
}

/* ==== AWS access key ID ================================================================= */

static const char *const akid_prefixes[] = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA",
                                            "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"};

static bool akid_at(struct vctx *v, size_t st)
{
    if (st < v->lo || st > v->hi || v->hi - st < 20) return false;
    const uint8_t *s = v->buf + st;
    bool pref = false;
    for (size_t i = 0; i < ARRAY_LEN(akid_prefixes) && !pref; i++) {
        pref = memcmp(s, akid_prefixes[i], 4) == 0;
    }
    if (!pref) return false;
    for (size_t i = 4; i < 20; i++) {
        if (!is_upper(s[i]) && !(s[i] >= '2' && s[i] <= '7')) return false;
    }
    if (is_alnum(v_at(v, st - 1)) || is_alnum(v_at(v, st + 20))) return false;
    if (all_same(s + 4, 16)) return false;
    if (memcmp(s + 13, "EXAMPLE", 7) == 0) v->flags |= V_TEST;
    v->start = st;
    v->end = st + 20;
    return true;
}

bool v_aws_access_key(struct vctx *v)
{
    if (v->end > v->start) return v->end - v->start == 20 && akid_at(v, v->start);
    /* Anchor form: the anchor ends either the 4-byte prefix or the whole key. */
    return akid_at(v, v->anchor - 4) || akid_at(v, v->anchor - 20);
}

/* ==== AWS secret access key ============================================================= */

static bool secret_char(int c)
{
    return is_alnum(c) || c == '/' || c == '+' || c == '=';
}

bool v_aws_secret_key(struct vctx *v)
{
    size_t p = v->anchor;
    while (is_space(v_at(v, p))) p++;
    if (v_at(v, p) == ':' || v_at(v, p) == '=') {
        p++;
        while (is_space(v_at(v, p))) p++;
    }
    if (v_at(v, p) == '\\' && v_at(v, p + 1) == '"') p++; /* {\"key\":\"value\"} in a string */
    if (v_at(v, p) == '"' || v_at(v, p) == '\'') p++;
    int before = v_at(v, p - 1);
    if (is_alnum(before) || before == '/' || before == '+') return false; /* mid-value */
    if (p > v->hi || v->hi - p < 40) return false;
    const uint8_t *s = v->buf + p;
    bool up = false, low = false, other = false;
    for (size_t i = 0; i < 40; i++) {
        if (!secret_char(s[i])) return false;
        up = up || is_upper(s[i]);
        low = low || is_lower(s[i]);
        other = other || is_digit(s[i]) || s[i] == '/' || s[i] == '+';
    }
    if (secret_char(v_at(v, p + 40))) return false;
    if (!up || !low || !other || all_same(s, 40) || icontains(s, 40, "xxxxx")) return false;
    for (size_t i = 0; i + 7 <= 40; i++) {
        if (memcmp(s + i, "EXAMPLE", 7) == 0) v->flags |= V_TEST;
    }
    v->start = p;
    v->end = p + 40;
    v->norm_len = 0;
    return true;
}

/* ==== vendor API tokens ================================================================= */

enum tok_set { T_ALNUM, T_ALNUM_US, T_ALNUM_DASH, T_ALNUM_US_DASH };

struct tok_fmt {
    const char *prefix;
    enum tok_set set;
    uint16_t min, max; /* body length */
};

static const struct tok_fmt tok_fmts[] = {
    {"github_pat_", T_ALNUM_US, 82, 82}, {"ghp_", T_ALNUM, 36, 36},
    {"gho_", T_ALNUM, 36, 36},           {"ghu_", T_ALNUM, 36, 36},
    {"ghs_", T_ALNUM, 36, 36},           {"ghr_", T_ALNUM, 36, 36},
    {"xoxb-", T_ALNUM_DASH, 10, 250},    {"xoxa-", T_ALNUM_DASH, 10, 250},
    {"xoxp-", T_ALNUM_DASH, 10, 250},    {"xoxo-", T_ALNUM_DASH, 10, 250},
    {"xoxs-", T_ALNUM_DASH, 10, 250},    {"xoxr-", T_ALNUM_DASH, 10, 250},
    {"sk_live_", T_ALNUM, 24, 99},       {"rk_live_", T_ALNUM, 24, 99},
    {"AIza", T_ALNUM_US_DASH, 35, 35},
};

static bool tok_char(enum tok_set set, int c)
{
    if (is_alnum(c)) return true;
    if (c == '_') return set == T_ALNUM_US || set == T_ALNUM_US_DASH;
    if (c == '-') return set == T_ALNUM_DASH || set == T_ALNUM_US_DASH;
    return false;
}

bool v_api_token(struct vctx *v)
{
    size_t a = v->anchor;
    const struct tok_fmt *f = NULL;
    size_t ps = 0;
    for (size_t i = 0; i < ARRAY_LEN(tok_fmts) && !f; i++) {
        size_t m = strlen(tok_fmts[i].prefix);
        if (a >= v->lo + m && lit_at(v, a - m, tok_fmts[i].prefix)) f = &tok_fmts[i], ps = a - m;
    }
    if (!f || is_alnum(v_at(v, ps - 1))) return false;
    size_t p = a;
    while (p - a <= f->max && tok_char(f->set, v_at(v, p))) p++;
    if (p - a > f->max) return false; /* the run goes on: not this format */
    if (f->set == T_ALNUM_DASH) {
        while (p > a && v->buf[p - 1] == '-') p--; /* "xoxb-…-" then prose */
    }
    size_t n = p - a;
    if (n < f->min) return false;
    const uint8_t *s = v->buf + a;
    if (all_same(s, n) || icontains(s, n, "xxxxxxxx")) return false;
    v->start = ps;
    v->end = p;
    v->norm_len = 0;
    return true;
}

/* ==== JSON Web Token ==================================================================== */

static int b64u_val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

/* Decodes base64url s[0..n) (no padding) into out; returns the length, or -1. */
static long b64u_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
    if (n % 4 == 1) return -1;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int x = b64u_val(s[i]);
        if (x < 0) return -1;
        acc = (acc << 6 | (uint32_t)x) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o == cap) return -1;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return (long)o;
}

static size_t skip_ws(const uint8_t *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    return i;
}

static const char jwt_io_payload[] =
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";

bool v_jwt(struct vctx *v)
{
    size_t a = v->anchor;
    if (a < v->lo + 11 || a > v->hi) return false;
    size_t st = a - 11;
    if (!lit_at(v, st, "eyJ") || is_b64u(v_at(v, st - 1))) return false;

    size_t part[3][2], p = st;
    for (int k = 0; k < 3; k++) {
        part[k][0] = p;
        while (p < v->hi && is_b64u(v->buf[p])) {
            if (p - st >= PII_MAX_MATCH) return false;
            p++;
        }
        part[k][1] = p;
        if (k < 2) {
            if (p == part[k][0] || v_at(v, p) != '.') return false;
            p++;
        }
    }

    uint8_t hdr[1024];
    long hn = b64u_decode(v->buf + part[0][0], part[0][1] - part[0][0], hdr, sizeof hdr);
    if (hn < 0) return false;
    size_t i = skip_ws(hdr, (size_t)hn, 0);
    if (i >= (size_t)hn || hdr[i] != '{') return false;
    bool alg = false;
    for (; i + 5 <= (size_t)hn && !alg; i++) {
        if (memcmp(hdr + i, "\"alg\"", 5) != 0) continue;
        size_t k = skip_ws(hdr, (size_t)hn, i + 5);
        alg = k < (size_t)hn && hdr[k] == ':';
    }
    if (!alg) return false;

    uint8_t body[48];
    size_t bl = part[1][1] - part[1][0];
    if (bl > 64) bl = 64;
    long bn = b64u_decode(v->buf + part[1][0], bl, body, sizeof body);
    if (bn < 0) return false;
    i = skip_ws(body, (size_t)bn, 0);
    if (i >= (size_t)bn || body[i] != '{') return false;

    if (part[1][1] - part[1][0] == sizeof jwt_io_payload - 1 &&
        memcmp(v->buf + part[1][0], jwt_io_payload, sizeof jwt_io_payload - 1) == 0)
        v->flags |= V_TEST; /* the jwt.io / RFC-style "John Doe" sample */
    v->start = st;
    v->end = p;
    v->norm_len = 0;
    return true;
}

/* ==== PEM private key =================================================================== */

bool v_private_key(struct vctx *v)
{
    size_t a = v->anchor, e;
    if (a >= v->lo + 5 && lit_at(v, a - 5, "-----"))
        e = a;
    else if (lit_at(v, a, "-----"))
        e = a + 5;
    else
        return false;

    size_t k = e - 5, st = 0;
    bool found = false;
    while (!found && k > v->lo && e - k < 64) {
        k--;
        found = lit_at(v, k, "-----BEGIN ");
    }
    if (!found) return false;
    st = k;
    size_t ls = st + 11, le = e - 5;
    if (le <= ls) return false;
    for (size_t i = ls; i < le; i++) {
        int c = v->buf[i];
        if (!is_upper(c) && !is_digit(c) && c != ' ') return false;
    }
    size_t n = le - ls;
    bool ok = (n >= 11 && memcmp(v->buf + le - 11, "PRIVATE KEY", 11) == 0) ||
              (n >= 17 && memcmp(v->buf + le - 17, "PRIVATE KEY BLOCK", 17) == 0);
    if (!ok) return false;
    v->start = st;
    v->end = e;

    /* All keys share their armour line: fingerprint the start of the body instead. */
    char norm[200];
    size_t nn = 0;
    for (size_t i = e; i < v->hi && nn < sizeof norm; i++) {
        if (v->buf[i] == '-') break;
        if (is_alnum(v->buf[i]) || v->buf[i] == '+' || v->buf[i] == '/')
            norm[nn++] = (char)v->buf[i];
    }
    if (nn >= 16)
        v_set_norm(v, norm, nn);
    else
        v->norm_len = 0;
    return true;
}

/* ==== passwords ========================================================================= */

/* Values that stand for no credential, with their lengths: a value is compared only with the
 * words of its own length (every username and password candidate comes here). */
// clang-format off
#define W(s) {s, sizeof s - 1}
// clang-format on
static const struct {
    const char *w;
    size_t n;
} placeholders[] = {
    W("null"),     W("none"),       W("nil"),        W("undefined"),  W("true"),
    W("false"),    W("[redacted]"), W("[filtered]"), W("redacted"),   W("hidden"),
    W("masked"),   W("secret"),     W("password"),   W("%s"),         W("?"),
    W("[hidden]"), W("[masked]"),   W("(hidden)"),   W("(redacted)"), W("filtered"),
};
#undef W

bool v_placeholder(const uint8_t *s, size_t n)
{
    if (n == 0) return true;
    bool stars = true, xs = true;
    for (size_t i = 0; i < n; i++) {
        stars = stars && s[i] == '*';
        xs = xs && (s[i] == 'x' || s[i] == 'X');
    }
    if (stars || xs) return true;
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') return true;
    /* Template references: ${VAR}, {{ var }}, %(password)s, also when cut at a space. */
    if (n >= 2 && ((s[0] == '$' && s[1] == '{') || (s[0] == '{' && s[1] == '{') ||
                   (s[0] == '%' && s[1] == '(')))
        return true;
    if (n >= 2 && s[0] == '$') { /* $DB_PASSWORD: an environment reference */
        bool ident = is_upper(s[1]) || s[1] == '_';
        for (size_t i = 2; i < n && ident; i++)
            ident = is_upper(s[i]) || is_digit(s[i]) || s[i] == '_';
        if (ident) return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(placeholders); i++)
        if (placeholders[i].n == n && ascii_ieq(s, n, placeholders[i].w)) return true;
    return false;
}

static bool url_userinfo(struct vctx *v)
{
    size_t a = v->anchor, p = a, at = 0;
    bool have_at = false;
    while (p < v->hi && p - a < PII_MAX_LOOK) {
        int c = v->buf[p];
        if (c == '/' || c == '?' || c == '#' || c <= ' ' || c == 0x7f || c == '"' || c == '\'' ||
            c == '<' || c == '>' || c == '`')
            break;
        if (c == '@') at = p, have_at = true;
        p++;
    }
    if (!have_at) return false;
    size_t colon = a;
    while (colon < at && v->buf[colon] != ':') colon++;
    if (colon >= at || colon + 1 == at) return false;
    if (v_placeholder(v->buf + colon + 1, at - colon - 1)) return false;
    v->start = colon + 1;
    v->end = at;
    return true;
}

static const char *const password_keys[] = {"passphrase", "password", "passwd",
                                            "secret",     "pass",     "pwd"};

/* The key before the separator at `sep` is a whole word ("DB_PASSWORD", "dbPassword",
 * "secret"), not the tail of one ("bypass", "compass", "trespass"). A finder that matched no
 * letters before the separator is trusted. */
static bool password_key(const struct vctx *v, size_t sep)
{
    size_t e = sep;
    while (sep - e < 8 && (is_space(v_at(v, e - 1)) || v_at(v, e - 1) == '"' ||
                           v_at(v, e - 1) == '\'' || v_at(v, e - 1) == '\\'))
        e--;
    size_t b = e;
    while (e - b < 64 && is_alpha(v_at(v, b - 1))) b--;
    if (b == e) return true;
    for (size_t i = 0; i < ARRAY_LEN(password_keys); i++) {
        size_t m = strlen(password_keys[i]);
        if (e - b < m || !ascii_ieq(v->buf + e - m, m, password_keys[i])) continue;
        if (e - b == m || is_upper(v->buf[e - m])) return true;
    }
    return false;
}

static bool closes(int c)
{
    return c == '}' || c == ']' || c == ')';
}

bool v_password(struct vctx *v)
{
    size_t a = v->anchor;
    if (a > v->hi) return false;
    v->norm_len = 0;
    if (a >= v->lo + 3 && lit_at(v, a - 3, "://")) return url_userinfo(v);

    /* The anchor follows the key's separator (maybe after spaces or its closing quote), or
     * starts a cell of a column named for passwords. */
    bool cell = (v->flags & V_CELL);
    size_t k = a;
    while (!cell && a - k < 8 && (is_space(v_at(v, k - 1)) || v_at(v, k - 1) == '"')) k--;
    if (!cell && v_at(v, k - 1) != ':' && v_at(v, k - 1) != '=') return false;
    if (!cell && !password_key(v, k - 1)) return false;

    size_t p = a;
    while (is_space(v_at(v, p))) p++;
    int q = v_at(v, p);
    /* "password= next": a space after '=' but none before it leaves the value empty
     * ("password = x" is an ini file's spacing, and fine). */
    if (!cell && q != '"' && q != '\'' && v_at(v, k - 1) == '=' && p > a &&
        !is_space(v_at(v, k - 2)))
        return false;
    size_t vs, ve;
    if (q == '\\' && v_at(v, p + 1) == '"') {
        /* escaped JSON inside a string: {\"password\":\"value\"} ends at the next \" */
        vs = p += 2;
        while (p < v->hi && v->buf[p] != '\n' && p - vs <= 256 &&
               !(v->buf[p] == '\\' && v_at(v, p + 1) == '"'))
            p++;
        if (p >= v->hi || v->buf[p] != '\\' || p - vs > 256) return false;
        ve = p;
    } else if (q == '"' || q == '\'') {
        vs = ++p;
        while (p < v->hi && v->buf[p] != q && v->buf[p] != '\n' && p - vs <= 256) {
            if (v->buf[p] == '\\' && p + 1 < v->hi && v->buf[p + 1] != '\n') p++;
            p++;
        }
        if (p >= v->hi || v->buf[p] != q || p - vs > 256) return false;
        ve = p;
    } else {
        vs = p;
        while (p < v->hi && p - vs <= 256) {
            int c = v->buf[p];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == ';' || c == ',')
                break;
            p++;
        }
        if (p - vs > 256) return false;
        ve = p;
        /* "User{name=x, password=abc}": an unbalanced closer belongs to the record. */
        while (ve > vs && closes(v->buf[ve - 1])) {
            int open = v->buf[ve - 1] == '}' ? '{' : v->buf[ve - 1] == ']' ? '[' : '(';
            if (memchr(v->buf + vs, open, ve - vs)) break;
            ve--;
        }
        while (ve > vs && (v->buf[ve - 1] == '"' || v->buf[ve - 1] == '\'')) ve--;
    }
    if (v_placeholder(v->buf + vs, ve - vs)) return false;
    /* no letter or digit (ASCII, or any byte of UTF-8's multi-byte characters): punctuation,
     * such as the ", " between two string literals of code ("password: ", "pwd=") */
    size_t i = vs;
    while (i < ve && !is_alnum(v->buf[i]) && v->buf[i] < 0x80) i++;
    if (i == ve) return false;
    v->start = vs;
    v->end = ve;
    return true;
}
