#ifndef FAULTLINE_CARCHIVE_SHIM_H
#define FAULTLINE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/// `AE_IFREG` is a cast macro Swift does not import: whether an entry is a regular file.
static inline int faultline_archive_entry_is_file(struct archive_entry *entry) {
    return archive_entry_filetype(entry) == AE_IFREG;
}

/// The regular-file type for entries an archive writer adds.
static inline void faultline_archive_entry_set_file(struct archive_entry *entry) {
    archive_entry_set_filetype(entry, AE_IFREG);
}
#endif
