/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_scenario.c - libFuzzer target for the scenario loader: any bytes must
 * load or fail with messages, never crash, leak or hang.  `make fuzz`; seed
 * corpus: scenarios/ *.yaml and tests/scenarios/ *.yaml. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "legation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) return 0;
  legation_status st = legation_scenario_load_string(sc, (const char *)data, size, "fuzz.yaml");
  /* the messages must be one line each and agree with the count */
  const char *msg = legation_scenario_errmsg(sc);
  int lines = 0;
  for (const char *p = msg; *p; p++) lines += *p == '\n';
  if ((st == LEGATION_OK) != (lines == 0) || lines != legation_scenario_error_count(sc))
    __builtin_trap();
  if (st == LEGATION_OK) {
    /* a loaded scenario loads again on top of itself, and validates */
    if (legation_scenario_validate(sc) != LEGATION_OK) __builtin_trap();
    legation_scenario *c = legation_scenario_clone(sc);
    if (c) legation_scenario_free(c);
  }
  legation_scenario_free(sc);
  return 0;
}
