/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_serve.c - libFuzzer target for what `legation serve` does with a
 * request body before any HTTP: the job request's JSON (serve_parse_job)
 * and, when it parses, the scenario it names or uploads and the run it asks
 * for (serve_build_run, not executed) or the study (serve_build_study, its
 * design counted against SERVE_MAX_STUDY_RUNS, not run); the same bytes also as an uploaded
 * scenario (POST /api/validate).  Any bytes must parse or fail with a
 * message, never crash, leak or read a file.  `make fuzz`; seed corpus:
 * fuzz/serve/ *.json. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/serve_job.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > SERVE_MAX_BODY) return 0; /* the server answers 413 first */
  serve_spec spec;
  char err[300];
  err[0] = 0;
  if (serve_parse_job((const char *)data, size, &spec, err, sizeof err) == 0) {
    /* a parsed request names exactly one scenario, within the limits */
    if (!spec.scenario == !spec.yaml || spec.reps < 1 || spec.reps > SERVE_MAX_REPS ||
        spec.noptions > SERVE_MAX_OPTIONS || spec.nsets > SERVE_MAX_SETS)
      __builtin_trap();
    legation_run *run = NULL;
    legation_study *study = NULL;
    char *msg = NULL;
    if (spec.study == SERVE_CALIBRATE) { /* a calibration: built, not run */
      legation_abc *abc = NULL;
      int rc = serve_build_calibration(&spec, &abc, &msg);
      if ((rc == 0) != (abc != NULL) || (rc != 0 && !msg)) __builtin_trap();
      legation_abc_free(abc);
    } else if (spec.study) { /* a study: built and its design counted, not run */
      int rc = serve_build_study(&spec, &study, NULL, NULL, &msg);
      if ((rc == 0) != (study != NULL) || (rc != 0 && !msg) ||
          (rc == 0 && serve_study_points(&spec, study) * spec.reps > SERVE_MAX_STUDY_RUNS))
        __builtin_trap();
    } else {
      int rc = serve_build_run(&spec, &run, &msg);
      if ((rc == 0) != (run != NULL) || (rc != 0 && !msg)) __builtin_trap();
    }
    legation_study_free(study);
    legation_run_free(run);
    free(msg);
    serve_spec_free(&spec);
  } else if (!err[0]) {
    __builtin_trap(); /* a refusal always says why */
  }
  legation_scenario *sc = legation_scenario_new();
  if (sc) {
    char *text = malloc(size + 1);
    if (text) {
      memcpy(text, data, size);
      text[size] = 0;
      legation_status st = serve_load_upload(sc, text, size);
      if (st != LEGATION_OK && !*legation_scenario_errmsg(sc)) __builtin_trap();
      free(text);
    }
    legation_scenario_free(sc);
  }
  return 0;
}
