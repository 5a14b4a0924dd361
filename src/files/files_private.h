/*
 * Shared between the files of src/files only: the statements of store.c.
 */
#ifndef HANNA_FILES_PRIVATE_H
#define HANNA_FILES_PRIVATE_H

#include <stddef.h>

#include "files.h"

/* Inserts a (all fields but id) with its bytes; sets a->id. On the writer connection. */
int files__insert(struct db_conn *c, struct attachment *a, const void *data, size_t len);

#endif
