# legation serve: the JSON API (docs/openapi.yaml).  Every case starts its
# own server on a free loopback port (tests/cli/fixtures/serve.sh: up, poll,
# down) and stops it with SIGTERM at the end of the same line.

# the built-in scenarios, the same list as `legation scenarios`; every
# response carries the security headers
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s $B/api/scenarios | jq -r '.scenarios[] | "\(.name) \(.title)"' > api.txt; legation scenarios | sed 's/  */ /' > cli.txt; cmp api.txt cli.txt && echo same list; curl -s -D - -o /dev/null $B/api/scenarios | tr -d '\r' | grep -i -e '^content-security-policy' -e '^x-content-type-options' -e '^content-type'; down
same list
Content-Type: application/json; charset=utf-8
Content-Security-Policy: default-src 'none'; frame-ancestors 'none'
X-Content-Type-Options: nosniff
stopped 0

# parameters with value, valid range, plausible range and source: the same
# as `legation params --json` for every parameter of a built-in
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s "$B/api/params?scenario=us-china-2020" | jq -c '.params[] | [.key, .text, .min, .max, .unit, .source, .plausible.lo, .plausible.hi, .plausible.dist, .plausible.alternatives]' > api.txt; legation params --json us-china-2020 | jq -c '.params[] | [.key, .value, .min, .max, .unit, .source, .plausible.lo, .plausible.hi, .plausible.dist, .plausible.alternatives]' > cli.txt; cmp api.txt cli.txt && echo same params; jq -r 'select(.[0] == "intel.recruit_rate") | "\(.[2]) \(.[3]) \(.[6]) \(.[7]) \(.[8])"' api.txt; curl -s "$B/api/params?scenario=us-china-2020" | jq '[.params[] | select(.plausible != null)] | length > 50'; curl -s -o /dev/null -w '%{http_code}\n' "$B/api/params?scenario=../../etc/passwd"; down
same params
0 1 0.01 0.15 loguniform
true
404
stopped 0

# validate: a good scenario; a bad value with the loader's line:col; a
# base that names a file is refused (nothing is read from disk)
$ . @SRC@/tests/cli/fixtures/serve.sh; up; printf 'base: us-russia-2025\nstates:\n  b: { openness: 0.4 }\n' > good.yaml; curl -s -H 'Content-Type: application/yaml' --data-binary @good.yaml $B/api/validate | jq -c '{ok, name}'; printf 'base: us-russia-2025\nstates:\n  b:\n    openness: 1.7\n' > bad.yaml; curl -s -H 'Content-Type: application/yaml' --data-binary @bad.yaml $B/api/validate | jq -r '.ok, (.messages[0] | "\(.line):\(.col)"), .messages[0].text'; printf 'base: /etc/hostname\n' > path.yaml; curl -s -H 'Content-Type: application/yaml' --data-binary @path.yaml $B/api/validate | jq -r '.ok, .messages[0].text'; down
{"ok":true,"name":"good"}
false
4:15
~ upload.yaml:4:15: states.b.openness
false
~ upload.yaml:1:7: base
stopped 0

# a small comparison polled to completion: its scorecard is what
# `legation compare --json` prints for the same seed and replications
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "reps": 50, "seed": 7}' $B/api/jobs | jq -c '{id, status, total}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 > job.json; jq -r '"\(.done)/\(.total)", ([.result.options[0].scorecard[].output] | join(" "))' job.json; jq -c '[.result.options[0].scorecard[] | [.output, .mean, .lo, .hi]], .result.options[0].verdict' job.json > api.txt; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 50 --seed 7 --no-store --json | jq -c '[.scenarios[1].scorecard[] | select(.output | test("^(value_a|value_b|balance|spiral|settled)$")) | [.output, .mean, .lo, .hi]], .scenarios[1].verdict' > cli.txt; cmp api.txt cli.txt && echo same scorecard; down
{"id":1,"status":"queued","total":50}
50/50
value_a value_b balance spiral settled
same scorecard
stopped 0

# a run (no options) gives the means and the run's verdict
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "reps": 40, "set": {"states.b.openness": 0.4}}' $B/api/jobs > /dev/null; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 | jq -r '.kind, ([.result.outputs[].output] | join(" ")), (.result.verdict | length > 20)'; down
run
value_a value_b balance spiral settled
true
stopped 0
