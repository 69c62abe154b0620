/* archive_lib.h: libarchive, loaded with dlopen() when the first archive or bzip2/xz/lz4 stream
 * is met (archive_lib.c), so a start-up on plain, gzip or zstd input maps neither it nor what it
 * pulls in (libxml2, ICU, libstdc++, nettle, acl, lzma, lz4, bz2). Include it instead of
 * <archive.h>: the archive_* calls below then go through the loaded table. */
#ifndef PII_ARCHIVE_LIB_H
#define PII_ARCHIVE_LIB_H

#include "pii_internal.h"

#include <archive.h>
#include <archive_entry.h>

/* Every libarchive function piiscan calls; a new one is added here and below. */
#define ARCHIVE_LIB_FUNCS(X)                                                                       \
    X(archive_entry_filetype)                                                                      \
    X(archive_entry_hardlink)                                                                      \
    X(archive_entry_is_encrypted)                                                                  \
    X(archive_entry_pathname)                                                                      \
    X(archive_entry_size)                                                                          \
    X(archive_entry_size_is_set)                                                                   \
    X(archive_error_string)                                                                        \
    X(archive_filter_bytes)                                                                        \
    X(archive_read_data)                                                                           \
    X(archive_read_free)                                                                           \
    X(archive_read_new)                                                                            \
    X(archive_read_next_header)                                                                    \
    X(archive_read_open1)                                                                          \
    X(archive_read_set_callback_data)                                                              \
    X(archive_read_set_read_callback)                                                              \
    X(archive_read_set_seek_callback)                                                              \
    X(archive_read_support_filter_bzip2)                                                           \
    X(archive_read_support_filter_lz4)                                                             \
    X(archive_read_support_filter_xz)                                                              \
    X(archive_read_support_format_7zip)                                                            \
    X(archive_read_support_format_ar)                                                              \
    X(archive_read_support_format_cpio)                                                            \
    X(archive_read_support_format_iso9660)                                                         \
    X(archive_read_support_format_raw)                                                             \
    X(archive_read_support_format_tar)                                                             \
    X(archive_read_support_format_zip)                                                             \
    X(archive_set_error)

/* Each member has the type <archive.h> declares for the function of the same name. */
struct archive_lib {
#define ARCHIVE_LIB_MEMBER(f) __typeof__(f) *f;
    ARCHIVE_LIB_FUNCS(ARCHIVE_LIB_MEMBER)
#undef ARCHIVE_LIB_MEMBER
};

/* Loads libarchive.so.13 (or $PIISCAN_LIBARCHIVE) once per process; thread-safe. PII_OK, or
 * PII_ERR_IO with a message naming the library when it cannot be loaded: callers make that the
 * input's error record. Must succeed before any archive_* call. */
pii_status archive_lib_load(pii_error *err);

/* Filled by archive_lib_load() and read-only afterwards. */
extern struct archive_lib archive_lib;

#ifndef ARCHIVE_LIB_IMPL
#define archive_entry_filetype              (archive_lib.archive_entry_filetype)
#define archive_entry_hardlink              (archive_lib.archive_entry_hardlink)
#define archive_entry_is_encrypted          (archive_lib.archive_entry_is_encrypted)
#define archive_entry_pathname              (archive_lib.archive_entry_pathname)
#define archive_entry_size                  (archive_lib.archive_entry_size)
#define archive_entry_size_is_set           (archive_lib.archive_entry_size_is_set)
#define archive_error_string                (archive_lib.archive_error_string)
#define archive_filter_bytes                (archive_lib.archive_filter_bytes)
#define archive_read_data                   (archive_lib.archive_read_data)
#define archive_read_free                   (archive_lib.archive_read_free)
#define archive_read_new                    (archive_lib.archive_read_new)
#define archive_read_next_header            (archive_lib.archive_read_next_header)
#define archive_read_open1                  (archive_lib.archive_read_open1)
#define archive_read_set_callback_data      (archive_lib.archive_read_set_callback_data)
#define archive_read_set_read_callback      (archive_lib.archive_read_set_read_callback)
#define archive_read_set_seek_callback      (archive_lib.archive_read_set_seek_callback)
#define archive_read_support_filter_bzip2   (archive_lib.archive_read_support_filter_bzip2)
#define archive_read_support_filter_lz4     (archive_lib.archive_read_support_filter_lz4)
#define archive_read_support_filter_xz      (archive_lib.archive_read_support_filter_xz)
#define archive_read_support_format_7zip    (archive_lib.archive_read_support_format_7zip)
#define archive_read_support_format_ar      (archive_lib.archive_read_support_format_ar)
#define archive_read_support_format_cpio    (archive_lib.archive_read_support_format_cpio)
#define archive_read_support_format_iso9660 (archive_lib.archive_read_support_format_iso9660)
#define archive_read_support_format_raw     (archive_lib.archive_read_support_format_raw)
#define archive_read_support_format_tar     (archive_lib.archive_read_support_format_tar)
#define archive_read_support_format_zip     (archive_lib.archive_read_support_format_zip)
#define archive_set_error                   (archive_lib.archive_set_error)
#endif

#endif
