/* cli_suggest.c: for a finding, a replacement of the same shape taken from a reserved range
 * that piiscan itself recognises as a test value (tests/test_hook.c scans every one). Knows
 * nothing of output; the raw match is read only to copy its layout (separators, grouping). */
#include "cli.h"

#include <string.h>

/* Published test values (the validators' lists in validate_*.c hold them all). */
static const char *const cards[] = {
    "4222222222222",       /* Visa, 13 */
    "30569309025904",      /* Diners, 14 */
    "378282246310005",     /* Amex, 15 */
    "4111111111111111",    /* Visa */
    "5555555555554444",    /* Mastercard */
    "2223003122003222",    /* Mastercard 2-series */
    "6011111111111117",    /* Discover */
    "3530111333300000",    /* JCB */
    "6205500000000000004", /* UnionPay, 19 */
};

static const char *const ibans[] = {
    "AT611904300234573201",
    "BE68539007547034",
    "CH9300762011623852957",
    "DE89370400440532013000",
    "DK5000400440116243",
    "ES9121000418450200051332",
    "FI2112345600000785",
    "FR1420041010050500013M02606",
    "GB82WEST12345698765432",
    "IE29AIBK93115212345678",
    "IT60X0542811101000000123456",
    "NL91ABNA0417164300",
    "NO9386011117947",
    "PL61109010140000071219812874",
    "PT50000201231234567890154",
    "SE4550000000058398257466",
};

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Copies the match's layout, replacing its digits in order by those of `digits`; false when
 * the digit counts differ. */
static bool fill(const pii_finding *f, const char *digits, char *out, size_t cap)
{
    size_t nd = 0, k = 0;
    for (size_t i = 0; i < f->length; i++) nd += is_digit(f->match[i]);
    if (nd != strlen(digits) || f->length + 1 > cap) return false;
    for (size_t i = 0; i < f->length; i++)
        if (f->match[i] < 0x20 || f->match[i] >= 0x7f) return false;
    for (size_t i = 0; i < f->length; i++) {
        uint8_t c = f->match[i];
        out[i] = is_digit(c) ? digits[k++] : (char)c;
    }
    out[f->length] = 0;
    return true;
}

static bool put(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n + 1 > cap) return false;
    memcpy(out, s, n + 1);
    return true;
}

static bool card(const pii_finding *f, char *out, size_t cap)
{
    char d[24];
    size_t nd = 0;
    for (size_t i = 0; i < f->length && nd < sizeof d - 1; i++)
        if (is_digit(f->match[i])) d[nd++] = (char)f->match[i];
    const char *best = NULL;
    for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
        if (strlen(cards[i]) != nd) continue;
        if (!best || (cards[i][0] == d[0] && best[0] != d[0])) best = cards[i];
    }
    if (best && fill(f, best, out, cap)) return true;
    return put(out, cap, "4111 1111 1111 1111");
}

static bool phone(const pii_finding *f, char *out, size_t cap)
{
    size_t nd = 0;
    for (size_t i = 0; i < f->length; i++) nd += is_digit(f->match[i]);
    bool plus = f->length && f->match[0] == '+';
    /* NANP 555-0100..0199 (area code 212), or Ofcom's drama range 020 7946 0xxx */
    if (nd == 10 && !plus && fill(f, "2125550100", out, cap)) return true;
    if (nd == 11 && f->match[plus] == '1' && fill(f, "12125550100", out, cap)) return true;
    if (nd == 12 && plus && f->length > 3 && f->match[1] == '4' && f->match[2] == '4' &&
        fill(f, "442079460000", out, cap))
        return true;
    return put(out, cap, "+1 212-555-0100");
}

static bool mac(const pii_finding *f, char *out, size_t cap)
{
    /* RFC 7042's documentation block 00-00-5E-00-53-00..FF, in the match's own notation */
    bool upper = false;
    for (size_t i = 0; i < f->length; i++)
        upper = upper || (f->match[i] >= 'A' && f->match[i] <= 'F');
    const char *s;
    if (f->length == 14 && f->match[4] == '.')
        s = upper ? "0000.5E00.5301" : "0000.5e00.5301";
    else if (f->length == 17 && f->match[2] == '-')
        s = upper ? "00-00-5E-00-53-01" : "00-00-5e-00-53-01";
    else
        s = upper ? "00:00:5E:00:53:01" : "00:00:5e:00:53:01";
    return put(out, cap, s);
}

static bool iban(const pii_finding *f, char *out, size_t cap)
{
    const char *pick = "GB82WEST12345698765432";
    for (size_t i = 0; f->length >= 2 && i < sizeof ibans / sizeof ibans[0]; i++)
        if (ibans[i][0] == (char)(f->match[0] & ~0x20) &&
            ibans[i][1] == (char)(f->match[1] & ~0x20))
            pick = ibans[i];
    bool grouped = memchr(f->match, ' ', f->length) != NULL;
    size_t n = strlen(pick), o = 0;
    if (n + n / 4 + 1 > cap) return false;
    for (size_t i = 0; i < n; i++) {
        if (grouped && i && i % 4 == 0) out[o++] = ' ';
        out[o++] = pick[i];
    }
    out[o] = 0;
    return true;
}

bool suggest_replacement(const pii_finding *f, char *out, size_t cap)
{
    const char *d = f->detector;
    if (!strcmp(d, "email")) return put(out, cap, "user@example.com");
    if (!strcmp(d, "us_ssn")) return fill(f, "987654320", out, cap) || put(out, cap, "987-65-4320");
    if (!strcmp(d, "credit_card")) return card(f, out, cap);
    if (!strcmp(d, "phone")) return phone(f, out, cap);
    if (!strcmp(d, "ipv4")) return put(out, cap, "192.0.2.1");
    if (!strcmp(d, "ipv6")) return put(out, cap, "2001:db8::1");
    if (!strcmp(d, "mac_address")) return mac(f, out, cap);
    if (!strcmp(d, "iban")) return iban(f, out, cap);
    if (!strcmp(d, "aws_access_key")) return put(out, cap, "AKIAIOSFODNN7EXAMPLE");
    if (!strcmp(d, "aws_secret_key"))
        return put(out, cap, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    if (!strcmp(d, "jwt"))
        return put(out, cap,
                   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                   "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                   "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    return false;
}
