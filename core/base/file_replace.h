/* file_replace.h — replacing a small file whole, so a reader never sees half
 * of it: written to a temporary file beside it, flushed to disk, renamed
 * over it. Used for the saved views and the metrics textfile. Touches only
 * the file and its temporary. */
#ifndef EMAILCFG_FILE_REPLACE_H
#define EMAILCFG_FILE_REPLACE_H

#include <stdio.h>
#include <sys/types.h>

#include "core/base/error.h"

/* Fills f; EC_OK, or a status with err set (the file is then not replaced). */
typedef int (*file_fill_fn)(FILE *f, void *ctx, ec_error *err);

/* Replaces path with what fill writes, in mode. The temporary is
 * DIR/.NAME.XXXXXX beside path: hidden, and with no extension a collector
 * of *.NAME files would read. On any failure path is as it was and the
 * temporary is gone; err names the file ("cannot write ..."), or the
 * temporary and path when the rename failed. */
int file_replace(const char *path, mode_t mode, file_fill_fn fill, void *ctx, ec_error *err);

#endif
