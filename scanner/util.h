/* util.h: helpers with no scanner state, shared by the library and the CLI (hashing, JSON
 * strings, base64, UTF-8). The CLI includes this and piiscan.h, never pii_internal.h. */
#ifndef PII_UTIL_H
#define PII_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The array v (elements of `size` bytes, room for *cap) made room for at least `need`:
 * capacity doubles, from `first`. Returns the array (v itself when it had room) and updates
 * *cap, or NULL when out of memory, v and *cap then unchanged. */
void *grow_array(void *v, size_t *cap, size_t need, size_t size, size_t first);

/* dlopen(RTLD_NOW | RTLD_LOCAL) of the file the environment variable `env` names, else of
 * `soname`; *name is the one tried. NULL with "cannot load <what> (<name>): <why>" in err. */
void *lib_open(const char *env, const char *soname, const char *what, const char **name, char *err,
               size_t cap);

/* ---- hashing (sha256.c) ---------------------------------------------------------------- */

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t blk[64];
    size_t n;
    bool ni; /* the rounds of the x86 SHA extensions */
};
void sha256_init(struct sha256 *s); /* with the SHA extensions when the CPU has them */
/* ni false: the portable rounds whatever the CPU (the tests compare both) */
void sha256_init_ni(struct sha256 *s, bool ni);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* HMAC-SHA-256 (RFC 2104): the key prepared once (its two padded blocks hashed, a key over 64
 * bytes hashed first; ni: the SHA extensions' rounds where the CPU has them), then any number
 * of messages under it (a fingerprint per finding). */
struct hmac_sha256 {
    uint32_t ih[8], oh[8];
    bool ni;
};
void hmac_sha256_key(struct hmac_sha256 *k, const uint8_t *key, size_t key_len, bool ni);
void hmac_sha256_mac(const struct hmac_sha256 *k, const uint8_t *msg, size_t msg_len,
                     uint8_t out[32]);

/* SHA-1 (sha1.c): git's usual object ids. `ni` selects the x86 SHA-extension rounds, which
 * sha1_have_ni() says this CPU has (asked once, for SHA-1 and SHA-256 alike); both give the
 * same digest (tests compare them). */
struct sha1 {
    uint32_t h[5];
    uint64_t len;
    uint8_t blk[64];
    size_t n;
    bool ni; /* the CPU has the SHA extensions */
};
void sha1_init(struct sha1 *s, bool ni);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(struct sha1 *s, uint8_t out[20]);
bool sha1_have_ni(void);

/* ---- JSON (json.c) --------------------------------------------------------------------- */

/* Writes s[0..len) as a JSON string (with quotes) to f. Control characters are escaped;
 * bytes that are not valid UTF-8 are written as U+FFFD. Returns false if the data was not
 * valid UTF-8 (the caller may add a base64 "bytes" field). */
bool json_write_str(FILE *f, const char *s, size_t len);
/* The room json_put_str needs for a string of len bytes: each byte may become a 6-byte escape. */
#define JSON_STR_ROOM(len) (6 * (size_t)(len) + 2)
/* json_write_str into out[0..cap): returns the bytes written (not NUL-terminated), or 0 when
 * cap < JSON_STR_ROOM(len); *valid (if not NULL) as json_write_str returns. */
size_t json_put_str(char *out, size_t cap, const char *s, size_t len, bool *valid);
/* Standard base64 of data into out (NUL-terminated); returns the length or 0 if cap is too
 * small. */
size_t base64_encode(const uint8_t *data, size_t len, char *out, size_t cap);
/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const uint8_t *s, size_t len);

#endif
