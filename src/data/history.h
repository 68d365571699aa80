/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history.h - the embedded record (data/events.csv, compiled into the
 * library by cmake/embed_data.cmake) as seen by src/data/history.c (lg_
 * prefix).  Not API: front ends use the legation_history_* calls. */
#ifndef LG_HISTORY_H
#define LG_HISTORY_H

#include <stddef.h>

/* The bytes of data/events.csv, NUL-terminated; lg_history_csv_len excludes
 * the NUL.  Generated into the build directory (builtin_history.c). */
extern const char lg_history_csv[];
extern const size_t lg_history_csv_len;

#endif
