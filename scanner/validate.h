/* validate.h: helpers shared by the validator files (byte classes, checksums, TLD lookup).
 * Private to validate*.c and tld.c; knows nothing of detectors, Hyperscan or the engine. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include "pii_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- byte classes (validate_checksum.c) ------------------------------------------------ */

#define VC_DIGIT 0x01u
#define VC_UPPER 0x02u
#define VC_LOWER 0x04u
#define VC_HEX   0x08u
#define VC_SPACE 0x10u /* ' ' and '\t' */
#define VC_B64U  0x20u /* base64url: A-Za-z0-9 '-' '_' */
#define VC_WORD  0x40u /* A-Za-z0-9 '_' */
#define VC_LOCAL 0x80u /* e-mail local part as found in logs: A-Za-z0-9 . _ % + - ! # $ ^ ~ */

extern const uint8_t vclass[256];

static inline bool is_digit(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_DIGIT);
}
static inline bool is_alpha(int c)
{
    return c >= 0 && (vclass[c & 0xff] & (VC_UPPER | VC_LOWER));
}
static inline bool is_upper(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_UPPER);
}
static inline bool is_lower(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_LOWER);
}
static inline bool is_alnum(int c)
{
    return c >= 0 && (vclass[c & 0xff] & (VC_DIGIT | VC_UPPER | VC_LOWER));
}
static inline bool is_word(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_WORD);
}
static inline bool is_hex(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_HEX);
}
static inline bool is_space(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_SPACE);
}
static inline bool is_b64u(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_B64U);
}
static inline bool is_local(int c)
{
    return c >= 0 && (vclass[c & 0xff] & VC_LOCAL);
}
static inline uint8_t ascii_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}
static inline uint8_t ascii_upper(uint8_t c)
{
    return (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
}
/* Value of a hex digit, -1 when c is not one. */
int hex_val(int c);

/* ---- checksums (validate_checksum.c) --------------------------------------------------- */

/* Luhn (ISO/IEC 7812-1) over n ASCII digits; false on a non-digit. */
bool luhn_ok(const char *digits, size_t n);
/* ISO 7064 mod 97-10 of s[0..n): digits as themselves, letters (any case) as 10..35.
 * Returns -1 on any other byte. */
int mod97(const char *s, size_t n);
/* mod97(s, n) == 1 (the IBAN / ISO 13616 condition on the rearranged string). */
bool mod97_ok(const char *s, size_t n);
/* Verhoeff (dihedral group D5) over n ASCII digits, check digit last; false on a non-digit. */
bool verhoeff_ok(const char *digits, size_t n);
/* ISO 7064 MOD 11,10 (hybrid) over n ASCII digits, check digit last (German USt-IdNr,
 * Croatian OIB); false on a non-digit. */
bool iso7064_11_10_ok(const char *digits, size_t n);
/* sum of (s[i] - '0') * w[i] over i < n; the caller has checked the bytes. */
unsigned weighted_sum(const char *s, const uint8_t *w, size_t n);
/* The common "11 minus remainder" check digit: 0 when sum % 11 < 2, else 11 - sum % 11
 * (Brazil CPF/CNPJ). */
int mod11_check(unsigned sum);
/* Case-insensitive comparison of s[0..n) with the NUL-terminated lower-case word w. */
bool ascii_ieq(const uint8_t *s, size_t n, const char *w);

/* ---- context access (validate.c) ------------------------------------------------------- */

/* Byte at offset i, or -1 when i is outside [lo, hi) (an underflowed i wraps and is out). */
static inline int v_at(const struct vctx *v, size_t i)
{
    return (i >= v->lo && i < v->hi) ? v->buf[i] : -1;
}
/* Copies s[0..n) into v->norm (n < sizeof v->norm) and NUL-terminates; false if too long. */
bool v_set_norm(struct vctx *v, const char *s, size_t n);
/* Collects the ASCII digits of buf[from..to) into out (at most cap); returns the count, or
 * cap + 1 when there are more. */
size_t v_digits(const uint8_t *buf, size_t from, size_t to, char *out, size_t cap);
/* True when the byte at `i` is `c` is a joiner ('-', '.', or extra) with a digit beyond it
 * (dir -1: before, +1: after), i.e. the digit run continues past the span. */
bool v_digit_run_continues(const struct vctx *v, size_t i, int dir, int extra);
/* True when `host`[0..n) is an RFC 2606 / 6761 name (example.com/.net/.org and their
 * subdomains, *.example, *.test, *.invalid, *.localhost, or those names alone). */
bool v_reserved_host(const uint8_t *host, size_t n);
/* True when s[0..n) is no real value: empty, masked ("****", "xxxx"), a template or
 * environment reference ("${X}", "{{ x }}", "$DB_PASSWORD", "<password>") or a word such as
 * null, none, redacted (validate_secret.c). */
bool v_placeholder(const uint8_t *s, size_t n);

/* ---- TLDs (tld.c) ---------------------------------------------------------------------- */

/* Case-insensitive: true when s[0..n) is a known top-level domain. */
bool tld_known(const char *s, size_t n);
/* The sorted table (for tests). */
const char *const *tld_table(size_t *n);

/* ---- the validators (one file per family) ---------------------------------------------- */

bool v_card(struct vctx *v);
bool v_ssn(struct vctx *v);
bool v_phone(struct vctx *v);
bool v_geo(struct vctx *v);
bool v_iban(struct vctx *v);
bool v_ipv4(struct vctx *v);
/* s[0..n) is exactly a dotted quad of 1-3 digit groups, each at most 255, into o; strict: no
 * group with a leading zero, else *lead0 (when not NULL) tells whether some group has one. */
bool ipv4_parse(const uint8_t *s, size_t n, uint8_t o[4], bool strict, bool *lead0);
/* ipv4_parse(s, n, o, false, lead0) without a branch per digit; s[0..16) must be readable
 * (SSE2 builds only). */
bool ipv4_parse16(const uint8_t *s, size_t n, uint8_t o[4], bool *lead0);
bool v_ipv6(struct vctx *v);
bool v_mac(struct vctx *v);
bool v_email(struct vctx *v);
bool v_url_clickstream(struct vctx *v);
/* The first byte in b[from, to) that ends a URL (white space, a control byte, a quote, '<',
 * '>', '`'), or to. */
size_t url_stop_at(const uint8_t *b, size_t from, size_t to);
bool v_aws_access_key(struct vctx *v);
bool v_aws_secret_key(struct vctx *v);
bool v_api_token(struct vctx *v);
bool v_jwt(struct vctx *v);
bool v_private_key(struct vctx *v);
bool v_password(struct vctx *v);
/* validate_text.c: field-driven and text detectors */
bool v_person_name(struct vctx *v);
bool v_username(struct vctx *v);
bool v_date_of_birth(struct vctx *v);
bool v_street_address(struct vctx *v);
bool v_device_id(struct vctx *v);
bool v_user_agent(struct vctx *v);
bool v_cookie_id(struct vctx *v);
/* validate_id.c. label_value(): from the end of a label ("passport no.:", "VAT"), where its
 * value starts (SIZE_MAX when something else follows). */
size_t label_value(const struct vctx *v, size_t p);
bool v_bank_account(struct vctx *v);
bool v_aba_routing(struct vctx *v);
bool v_itin(struct vctx *v);
bool v_ein(struct vctx *v);
bool v_nino(struct vctx *v);
bool v_sin(struct vctx *v);
bool v_pan_in(struct vctx *v);
bool v_aadhaar(struct vctx *v);
bool v_cpf(struct vctx *v);
bool v_cnpj(struct vctx *v);
bool v_passport_us(struct vctx *v);
bool v_drivers_license(struct vctx *v);
bool v_mbi(struct vctx *v);
bool v_vin(struct vctx *v);
bool v_imei(struct vctx *v);
/* validate_vat.c */
bool v_vat(struct vctx *v);

#endif
