/* validate.c: the validator registry (sorted name -> function table) and helpers every
 * validator family shares. Knows the validators' names only, not what they check. */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

struct ventry {
    const char *name;
    validate_fn fn;
};

/* Sorted by strcmp: validator_find() bisects it. validator_names() lists the same names. */
static const struct ventry registry[] = {
    {"aadhaar", v_aadhaar},
    {"aba_routing", v_aba_routing},
    {"api_token", v_api_token},
    {"aws_access_key", v_aws_access_key},
    {"aws_secret_key", v_aws_secret_key},
    {"bank_account", v_bank_account},
    {"card", v_card},
    {"cnpj", v_cnpj},
    {"cookie_id", v_cookie_id},
    {"cpf", v_cpf},
    {"date_of_birth", v_date_of_birth},
    {"device_id", v_device_id},
    {"drivers_license", v_drivers_license},
    {"ein", v_ein},
    {"email", v_email},
    {"geo", v_geo},
    {"iban", v_iban},
    {"imei", v_imei},
    {"ipv4", v_ipv4},
    {"ipv6", v_ipv6},
    {"itin", v_itin},
    {"jwt", v_jwt},
    {"mac", v_mac},
    {"mbi", v_mbi},
    {"nino", v_nino},
    {"pan_in", v_pan_in},
    {"passport_us", v_passport_us},
    {"password", v_password},
    {"person_name", v_person_name},
    {"phone", v_phone},
    {"private_key", v_private_key},
    {"sin", v_sin},
    {"ssn", v_ssn},
    {"street_address", v_street_address},
    {"url_clickstream", v_url_clickstream},
    {"user_agent", v_user_agent},
    {"username", v_username},
    {"vat", v_vat},
    {"vin", v_vin},
};

static const char *const names[] = {
    "aadhaar",
    "aba_routing",
    "api_token",
    "aws_access_key",
    "aws_secret_key",
    "bank_account",
    "card",
    "cnpj",
    "cookie_id",
    "cpf",
    "date_of_birth",
    "device_id",
    "drivers_license",
    "ein",
    "email",
    "geo",
    "iban",
    "imei",
    "ipv4",
    "ipv6",
    "itin",
    "jwt",
    "mac",
    "mbi",
    "nino",
    "pan_in",
    "passport_us",
    "password",
    "person_name",
    "phone",
    "private_key",
    "sin",
    "ssn",
    "street_address",
    "url_clickstream",
    "user_agent",
    "username",
    "vat",
    "vin",
    NULL,
};

_Static_assert(ARRAY_LEN(names) == ARRAY_LEN(registry) + 1, "names and registry differ");

static int cmp_entry(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct ventry *)elem)->name);
}

validate_fn validator_find(const char *name)
{
    if (!name) return NULL;
    const struct ventry *e =
        bsearch(name, registry, ARRAY_LEN(registry), sizeof registry[0], cmp_entry);
    return e ? e->fn : NULL;
}

const char *const *validator_names(void)
{
    return names;
}

bool v_set_norm(struct vctx *v, const char *s, size_t n)
{
    if (n >= sizeof v->norm) {
        v->norm_len = 0;
        return false;
    }
    memcpy(v->norm, s, n);
    v->norm[n] = '\0';
    v->norm_len = n;
    return true;
}

size_t v_digits(const uint8_t *buf, size_t from, size_t to, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        if (is_digit(buf[i])) {
            if (n == cap) return cap + 1;
            out[n++] = (char)buf[i];
        }
    }
    return n;
}

bool v_digit_run_continues(const struct vctx *v, size_t i, int dir, int extra)
{
    int c = v_at(v, i);
    if (c != '-' && c != '.' && (extra < 0 || c != extra)) return false;
    size_t j = dir < 0 ? i - 1 : i + 1;
    return is_digit(v_at(v, j));
}

static bool ends_with_label(const uint8_t *h, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    if (n < m || !ascii_ieq(h + n - m, m, suffix)) return false;
    return n == m || h[n - m - 1] == '.';
}

bool v_reserved_host(const uint8_t *host, size_t n)
{
    while (n > 0 && host[n - 1] == '.') n--;
    static const char *const sfx[] = {"example.com", "example.net", "example.org", "example",
                                      "test",        "invalid",     "localhost"};
    for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
        if (ends_with_label(host, n, sfx[i])) return true;
    }
    return false;
}
