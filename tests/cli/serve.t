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

# cancel: a long job stops early with what it did; a finished job cannot
# be cancelled, an unknown one is 404; SIGTERM stops the server with a job
# running (exit 0)
$ . @SRC@/tests/cli/fixtures/serve.sh; up --jobs 1; J='{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-150"], "reps": 100000}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs > /dev/null; poll $B/api/jobs/1 '.status == "running" and .done > 0' true; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; curl -s $B/api/jobs/1 | jq -r '.cancel_requested, (.done < .total), has("result")'; curl -s -X DELETE -o del.json -w '%{http_code}\n' $B/api/jobs/1; jq -c '{error, status}' del.json; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/99; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs > /dev/null; poll $B/api/jobs/2 .status running; down
202
true
true
false
409
{"error":"job 1 has finished","status":"cancelled"}
404
stopped 0

# limits: a body over 1 MiB is 413 (with or without a length), malformed
# JSON and bad fields are 400, too many replications 400, a scenario error
# is 422 with the loader's messages, POST without its content type is 415
$ . @SRC@/tests/cli/fixtures/serve.sh; up; head -c 1100000 /dev/zero > big; curl -s -w ' %{http_code}\n' -H 'Content-Type: application/yaml' --data-binary @big $B/api/validate; curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/yaml' -H 'Transfer-Encoding: chunked' --data-binary @big $B/api/validate; for b in '{"scenario": ' '[1,2]' '{"scenario": "us-russia-2025", "reps": 100001}' '{"scenario": "/etc/passwd"}' '{"yaml": "a: 1", "scenario": "us-russia-2025"}' '{"scenario": "us-russia-2025", "rm": 1}'; do curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d "$b" $B/api/jobs; done; curl -s -o e.json -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "set": {"states.b.openness": "1.7"}}' $B/api/jobs; jq -r '.error, .messages[0].text' e.json; curl -s -w ' %{http_code}\n' -d '{"scenario": "us-russia-2025"}' $B/api/jobs; curl -s -o /dev/null -w '%{http_code}\n' $B/api/nothing; curl -s -o /dev/null -w '%{http_code}\n' -X PUT $B/api/jobs; curl -s $B/api/jobs | jq -c .; down
{"error":"the request body is larger than 1048576 bytes"} 413
413
{"error":"malformed JSON at line 1, column 13: unexpected token near end of file"} 400
{"error":"expected a JSON object"} 400
{"error":"reps: expected an integer from 1 to 100000"} 400
{"error":"scenario: expected the name of a built-in scenario (GET /api/scenarios)"} 400
{"error":"expected one of scenario (a built-in name) and yaml (a scenario's text)"} 400
{"error":"rm: unknown field (expected scenario, yaml, options, reps, seed, uncertain, set, vary, design, points, study, method, params, groups, n, levels, option, where, threshold, targets, particles, generations, min_tolerance, min_acceptance)"} 400
422
the scenario or its overrides have errors (see messages)
set: states.b.openness: expected a number in [0, 1], found 1.7
{"error":"expected a body of Content-Type application/json"} 415
404
405
{"jobs":[]}
stopped 0

# a token: every request needs it (401 without, or with a wrong one); an
# address other than loopback is refused without a token; without a token
# the Host header must name the loopback address
$ . @SRC@/tests/cli/fixtures/serve.sh; up --token 0123456789abcdef0123; curl -s -D hdr -w ' %{http_code}\n' $B/api/scenarios; tr -d '\r' < hdr | grep -i '^www-authenticate'; curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer 0123456789abcdef0124' $B/api/scenarios; curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer 0123456789abcdef012' $B/api/scenarios; curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer 0123456789abcdef0123' $B/api/scenarios; grep -c 'token required' srv.out; down
{"error":"this server needs 'Authorization: Bearer TOKEN' (the --token it was started with)"} 401
WWW-Authenticate: Bearer
401
401
200
1
stopped 0

$ legation serve --bind 0.0.0.0 --port 0
! legation: serve: refusing to listen on 0.0.0.0 without --token: other machines could run jobs and read results; give --token, or bind 127.0.0.1
? 2

$ legation serve --bind :: --port 0
!~ refusing to listen on :: without --token
? 2

$ legation serve --token short
!~ --token: expected 16 to 256 printable characters
? 2

$ legation serve --port 65536
!~ --port: expected an integer from 0 to 65535
? 2

$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s -w ' %{http_code}\n' -H 'Host: attacker.example:80' $B/api/scenarios; curl -s -o /dev/null -w '%{http_code}\n' -H "Host: localhost:${B##*:}" $B/api/scenarios; down
{"error":"the Host header does not name this server's loopback address (start it with --token to serve other names)"} 421
200
stopped 0

# docs/openapi.yaml follows the route table (GET /api) both ways, and real
# responses carry its required properties and no others
$ . @SRC@/tests/cli/fixtures/serve.sh; OA=@SRC@/docs/openapi.yaml; up; curl -s $B/api | jq -r '.routes[] | "\(.method) \(.path)"' | sort > routes.txt; oaroutes > doc.txt; cmp routes.txt doc.txt && echo routes documented; wc -l < routes.txt; curl -s $B/api > r.json; oacheck Index r.json; curl -s $B/api/scenarios > r.json; oacheck Scenarios r.json; curl -s $B/api/params > r.json; oacheck Params r.json; oacheck Param r.json '.params[]'; printf 'states: {b: {openness: 2}}\n' | curl -s -H 'Content-Type: application/yaml' --data-binary @- $B/api/validate > r.json; oacheck Validate r.json; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "reps": 20, "uncertain": true}' $B/api/jobs > r.json; oacheck Job r.json; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 > r.json; oacheck Job r.json; oacheck Result r.json .result; oacheck JobList r.json; curl -s $B/api/jobs > r.json; oacheck JobList r.json; curl -s $B/api/runs > r.json; oacheck Runs r.json; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "set": {"nope": 1}}' $B/api/jobs > r.json; oacheck ScenarioError r.json; curl -s $B/api/jobs/7 > r.json; oacheck Error r.json; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "set": {"horizon": 0}}' $B/api/check > r.json; oacheck Validate r.json; curl -s "$B/api/history?pair=US-RU&from=2018&to=2018" > r.json; oacheck History r.json; oacheck Event r.json '.events[]'; down
routes documented
16
Index ok
Scenarios ok
Params ok
Param ok
Validate ok
Job ok
Job ok
Result ok
JobList: undocumented: cancel_requested done id kind result run_id scenario status total ; missing: jobs 
JobList ok
Runs ok
ScenarioError ok
Error ok
Validate ok
History ok
Event ok
stopped 0

# stored runs from --db (an existing store only; nothing else is opened),
# each with its kind as `legation runs --json` names it
$ legation run --reps 10 --db t.db --label first --quiet > /dev/null; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 4 --months 6 --db t.db --quiet > /dev/null; legation sensitivity us-russia-2025 --params states.a.openness --n 4 --reps 2 --set horizon=6 --db t.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db t.db; curl -s $B/api/runs | jq -c '.store, [.runs[] | [.id, .kind, .status, .scenario, .label, .reps_done]]'; curl -s $B/api/runs | jq -c '[.runs[] | [.id, .kind]]' > api.txt; legation runs --db t.db --json | jq -c '[.[] | [.id, .kind]]' > cli.txt; cmp api.txt cli.txt && echo same kinds; down
true
~ [3,"sensitivity","complete","us-russia-2025","",
~ [2,"compare","complete","us-russia-2025","",4]
~ [1,"run","complete","us-russia-2025","first",10]
same kinds
stopped 0

$ legation serve --db missing.db --port 0
! legation: serve: missing.db: no such results store
? 4

# a client that stops sending mid-body is dropped after the 10 s idle
# timeout, without an answer, and others are answered meanwhile
$ . @SRC@/tests/cli/fixtures/serve.sh; up; python3 -c 'import socket, subprocess, sys, time; u = sys.argv[1]; host, port = u.split("//")[1].split(":"); s = socket.create_connection((host, int(port))); s.sendall(b"POST /api/validate HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/yaml\r\nContent-Length: 100\r\n\r\nabc" % (host.encode(), port.encode())); t = time.time(); print(subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", u + "/api/scenarios"], capture_output=True, text=True).stdout); s.settimeout(30); d = s.recv(100); print("dropped, no answer" if d == b"" and 8 < time.time() - t < 14 else (d, time.time() - t))' $B; down
200
dropped, no answer
stopped 0

# at most 16 jobs wait for a worker: the 17th waiting is refused with 429
$ . @SRC@/tests/cli/fixtures/serve.sh; up --jobs 1; J='{"scenario": "us-russia-2025", "reps": 100000}'; for i in $(seq 18); do curl -s -o /dev/null -w '%{http_code} ' -H 'Content-Type: application/json' -d "$J" $B/api/jobs; [ $i = 1 ] && poll $B/api/jobs/1 .status running; done; echo; curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d "$J" $B/api/jobs; curl -s $B/api/jobs | jq -c '[.jobs[].status] | group_by(.) | map([.[0], length])'; down
202 202 202 202 202 202 202 202 202 202 202 202 202 202 202 202 202 429 
{"error":"16 jobs are waiting already (at most 16): try again later"} 429
[["queued",16],["running",1]]
stopped 0

# the workbench page: served at / without the token (it holds no data and
# asks for it), with a CSP that allows no inline script; the API still
# needs the token; only GET
$ . @SRC@/tests/cli/fixtures/serve.sh; up --token 0123456789abcdef0123; curl -s -D - -o page.html $B/ | tr -d '\r' | grep -i -e '^HTTP' -e '^content-type' -e '^content-security-policy' -e '^x-content-type-options'; grep -c '<script defer src="app.js"></script>' page.html; grep -c '<script>' page.html; for f in app.js app.css; do curl -s -o /dev/null -w "$f %{http_code} %{content_type}\n" $B/$f; done; curl -s -o /dev/null -w '%{http_code}\n' $B/api/scenarios; curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer 0123456789abcdef0123' $B/api/scenarios; curl -s -w ' %{http_code}\n' -X POST $B/app.js; down
HTTP/1.1 200 OK
Content-Type: text/html; charset=utf-8
Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
X-Content-Type-Options: nosniff
1
0
app.js 200 text/javascript; charset=utf-8
app.css 200 text/css; charset=utf-8
401
200
{"error":"method not allowed on this path (GET only)"} 405
stopped 0

# POST /api/check: the job request checked without running it; a bad
# override has the message POST /api/jobs would give; nothing is queued
$ . @SRC@/tests/cli/fixtures/serve.sh; up; J='{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "set": {"states.a.ci_agents": 600}}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/check | jq -c .; B2='{"scenario": "us-russia-2025", "set": {"horizon": 0}}'; curl -s -H 'Content-Type: application/json' -d "$B2" $B/api/check | jq -c '[.ok, .messages[].text]' > check.txt; cat check.txt; curl -s -H 'Content-Type: application/json' -d "$B2" $B/api/jobs | jq -c '[false, .messages[].text]' > job.txt; cmp check.txt job.txt && echo same message; curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d '{"reps": 5}' $B/api/check; curl -s $B/api/jobs | jq -c .jobs; down
{"ok":true,"name":"us-russia-2025","title":"US-Russia 2025: status quo after the Riyadh and Istanbul talks"}
[false,"set: horizon: expected an integer in [1, 600], found 0"]
same message
{"error":"expected one of scenario (a built-in name) and yaml (a scenario's text)"} 400
[]
stopped 0

# a stored run's downloads (--db): its report is the page `legation report
# ID -o FILE` writes for the same store, byte for byte (?format=json: the
# page's data), for a run and a comparison; its tables are what `legation
# export ID --what TABLE` prints, byte for byte
$ rm -f d.db*; legation run uk-russia-2018 --reps 20 --seed 4 --keep-reps --db d.db --quiet > /dev/null; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 20 --seed 5 --db d.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db d.db; for id in 1 2; do legation report $id --db d.db -o cli$id.html; curl -s -D h$id.txt -o api$id.html $B/api/runs/$id/report; tr -d '\r' < h$id.txt | grep -i -e '^content-type' -e '^content-disposition'; cmp api$id.html cli$id.html && echo run $id: same report page; sed -n 's/.*<script type="application\/json" id="legation-data">\(.*\)<\/script>.*/\1/p' cli$id.html | jq -S -c . > cli$id.data; curl -s "$B/api/runs/$id/report?format=json" | jq -S -c . | cmp - cli$id.data && echo run $id: the JSON is the page\'s data; jq -r '.kind' cli$id.data; done; for t in summary reps series params; do legation export 1 --db d.db --what $t > cli.csv; curl -s -D h.txt "$B/api/runs/1/export?what=$t" > api.csv; cmp api.csv cli.csv && echo $t: same CSV; done; tr -d '\r' < h.txt | grep -i -e '^content-type' -e '^content-disposition'; curl -s "$B/api/runs/2/export?what=diffs" > api.csv; legation export 2 --db d.db --what diffs | cmp - api.csv && echo diffs: same CSV; curl -s $B/api/runs/2/export > api.csv; legation export 2 --db d.db | cmp - api.csv && echo summary by default; down
Content-Type: text/html; charset=utf-8
Content-Disposition: attachment; filename="legation-run-1-uk-russia-2018.html"
run 1: same report page
run 1: the JSON is the page's data
run
Content-Type: text/html; charset=utf-8
Content-Disposition: attachment; filename="legation-run-2-us-russia-2025.html"
run 2: same report page
run 2: the JSON is the page's data
compare
summary: same CSV
reps: same CSV
series: same CSV
params: same CSV
Content-Type: text/csv; charset=utf-8
Content-Disposition: attachment; filename="legation-run-1-uk-russia-2018-params.csv"
diffs: same CSV
summary by default
stopped 0

# a stored run's downloads refused: no such run (404), an unknown table
# (400, with the tables), a table the run did not keep (404), a study's
# report (409: `legation report ID` replays it), a format the report does
# not have (400), no store (404); no message names the store's file
$ rm -f e.db*; legation run --reps 10 --db e.db --quiet > /dev/null; legation sensitivity us-russia-2025 --params states.a.openness,states.b.openness --n 16 --reps 2 --seed 1 --db e.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; OA=@SRC@/docs/openapi.yaml; up --db e.db; curl -s -w ' %{http_code}\n' $B/api/runs/9/report | tee all.txt; curl -s -w ' %{http_code}\n' $B/api/runs/9/export | tee -a all.txt; curl -s -w ' %{http_code}\n' "$B/api/runs/1/export?what=nope" | tee -a all.txt; curl -s "$B/api/runs/1/export?what=nope" > r.json; oacheck Error r.json; curl -s -w ' %{http_code}\n' "$B/api/runs/1/export?what=events" | tee -a all.txt; curl -s -w ' %{http_code}\n' $B/api/runs/2/report | tee -a all.txt; curl -s -w ' %{http_code}\n' "$B/api/runs/1/report?format=xml" | tee -a all.txt; curl -s -w ' %{http_code}\n' "$B/api/runs/1/report?what=summary" | tee -a all.txt; curl -s "$B/api/runs/2/export?what=points" > api.csv; legation export 2 --db e.db --what points | cmp - api.csv && echo the points of a study: same CSV; down; up; curl -s -w ' %{http_code}\n' $B/api/runs/1/report | tee -a all.txt; down; grep -c e.db all.txt
{"error":"no stored run 9 (GET /api/runs lists them)"} 404
{"error":"no stored run 9 (GET /api/runs lists them)"} 404
{"error":"what: expected summary, series, reps, events, params, variants, diffs, points, point_params or files, found 'nope'"} 400
Error ok
{"error":"run 1 was made without --store-events, so its events were not stored"} 404
{"error":"run 2 is a study: its report is made by 'legation report 2 -o FILE' (GET /api/runs/2/export?what=points gives its points)"} 409
{"error":"format: expected html or json, found 'xml'"} 400
{"error":"what: the report has no tables (drop ?what)"} 400
the points of a study: same CSV
stopped 0
{"error":"this server has no results store (start it with --db)"} 404
stopped 0
0
? 1

# a finished comparison's downloads: the CSV is byte for byte what
# `legation compare --csv` prints for the same seed and replications, the
# report is an HTML attachment whose data has the same statistics as
# `compare --report` writes; a run's CSV is `run --csv`'s
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "reps": 40, "seed": 3}' $B/api/jobs; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1/csv > api.csv; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 40 --seed 3 --no-store --csv > cli.csv; cmp api.csv cli.csv && echo same CSV; wc -l < api.csv; curl -s -D h.txt -o api.html $B/api/jobs/1/report; tr -d '\r' < h.txt | grep -i -e '^content-type' -e '^content-disposition' -e '^content-security-policy'; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 40 --seed 3 --no-store --quiet --report cli.html > /dev/null; for f in api cli; do sed -n 's/.*<script type="application\/json" id="legation-data">\(.*\)<\/script>.*/\1/p' $f.html | jq -S -c '[.kind, .reps, .seed, [.variants[] | .name, .stats, .diffs]]' > $f.data; done; cmp api.data cli.data && echo same report data; curl -s "$B/api/jobs/1/report?format=json" | jq -S -c '[.kind, .reps, .seed, [.variants[] | .name, .stats, .diffs]]' | cmp - api.data && echo the JSON is the page\'s data; curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"scenario": "uk-russia-2018", "reps": 30, "seed": 2}' $B/api/jobs; poll $B/api/jobs/2 .status done; curl -s $B/api/jobs/2/csv > run.csv; legation run uk-russia-2018 --reps 30 --seed 2 --no-store --csv | cmp - run.csv && echo same run CSV; down
same CSV
97
Content-Type: text/html; charset=utf-8
Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; sandbox allow-scripts
Content-Disposition: attachment; filename="legation-job-1-us-russia-2025.html"
same report data
the JSON is the page's data
same run CSV
stopped 0

# downloads refused: no such job, a job that has not finished, a format
# the report does not have
$ . @SRC@/tests/cli/fixtures/serve.sh; up --jobs 1; curl -s -w ' %{http_code}\n' $B/api/jobs/9/report; curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "reps": 100000}' $B/api/jobs; poll $B/api/jobs/1 .status running; curl -s -w ' %{http_code}\n' $B/api/jobs/1/csv; curl -s -o /dev/null -X DELETE $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; curl -s -w ' %{http_code}\n' $B/api/jobs/1/report; curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "reps": 10}' $B/api/jobs; poll $B/api/jobs/2 .status done; curl -s -w ' %{http_code}\n' "$B/api/jobs/2/report?format=xml"; curl -s -w ' %{http_code}\n' "$B/api/jobs/2/csv?format=json"; curl -s -o /dev/null -w '%{http_code}\n' $B/api/jobs/2/report/x; down
{"error":"no job 9 (finished jobs are kept until 64 newer ones finish)"} 404
{"error":"job 1 is running: only a finished job has a csv"} 409
{"error":"job 1 is cancelled: only a finished job has a report"} 409
{"error":"format: expected html or json, found 'xml'"} 400
{"error":"format: the CSV has no other format (drop ?format)"} 400
404
stopped 0

# the record's events: what `legation history --json` prints for the same
# selection, each with the side that acts; bad selections are refused
$ . @SRC@/tests/cli/fixtures/serve.sh; up; curl -s "$B/api/history?pair=US-RU&from=2016&to=2018" > h.json; jq -c '.pair, (.events | length), ([.events[].side] | unique)' h.json; jq 'del(.events[].side) | .events' h.json | jq -c '.[]' > api.txt; legation history --pair US-RU --from 2016 --to 2018 --json | jq -c '.[]' > cli.txt; cmp api.txt cli.txt && echo same events; curl -s "$B/api/history?action=expel" | jq '[.events[].action] | unique | .[]'; curl -s $B/api/history | jq '(.events | length) == ([.events[].id] | unique | length) and .pair == null'; curl -s -w ' %{http_code}\n' "$B/api/history?pair=US-XX"; curl -s -w ' %{http_code}\n' "$B/api/history?from=19x"; curl -s -w ' %{http_code}\n' "$B/api/history?action=invade"; down
["US","RU"]
~ 
~ "a"
stopped 0

# jobs survive a kill -9 of the server (--db): the next server on the same
# store lists the job as interrupted, part done; resumed, it goes on from
# its last checkpoint (not from 0) and ends with the scorecard of the same
# job run without a stop, and of `legation compare` for the seed; its run
# is complete in the store
$ rm -f k.db*; legation run --reps 2 --db k.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db k.db --jobs 1; J='{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "reps": 8000, "seed": 11}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs | jq -c '{id, status, run_id}'; poll "$B/api/runs" '[.runs[] | select(.label == "serve job 1") | .reps_done > 0] == [true]' true; kill -9 $P; wait $P 2>/dev/null; up --db k.db --jobs 1; curl -s $B/api/jobs | jq -c '.jobs[] | {id, status, run_id, part: (.done > 0 and .done < .total)}'; curl -s -X POST -H 'Content-Type: application/json' $B/api/jobs/1/resume | jq -c '{id, status, resumed_from_checkpoint: (.done > 0)}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 | jq -c '[.result.options[0].scorecard[] | [.output, .mean, .lo, .hi]], .result.options[0].verdict, .result.reps' > resumed.txt; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs | jq .id; poll $B/api/jobs/2 .status done; curl -s $B/api/jobs/2 | jq -c '[.result.options[0].scorecard[] | [.output, .mean, .lo, .hi]], .result.options[0].verdict, .result.reps' > straight.txt; cmp resumed.txt straight.txt && echo resumed same as uninterrupted; legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 8000 --seed 11 --no-store --json | jq -c '[.scenarios[1].scorecard[] | select(.output | test("^(value_a|value_b|balance|spiral|settled)$")) | [.output, .mean, .lo, .hi]], .scenarios[1].verdict, .reps' > cli.txt; cmp resumed.txt cli.txt && echo same as the CLI; curl -s $B/api/runs | jq -c '[.runs[] | select(.label == "serve job 1") | [.id, .status, .reps_done]]'; curl -s -X POST -H 'Content-Type: application/json' -w ' %{http_code}\n' $B/api/jobs/1/resume; down
{"id":1,"status":"queued","run_id":null}
{"id":1,"status":"interrupted","run_id":2,"part":true}
{"id":1,"status":"queued","resumed_from_checkpoint":true}
2
resumed same as uninterrupted
same as the CLI
[[2,"complete",8000]]
{"error":"job 1 is done: only an interrupted or cancelled job can be resumed"} 409
stopped 0

# a job cancelled (DELETE) resumes from its checkpoint; SIGTERM stops the
# server with it running, and the next server lists it interrupted (saved
# so, not guessed); a waiting job left queued is interrupted too, and one
# cancelled while interrupted stays cancelled; without --db nothing resumes
$ rm -f c.db*; legation run --reps 2 --db c.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db c.db --jobs 1; J='{"scenario": "us-russia-2025", "reps": 100000}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs > /dev/null; poll "$B/api/runs" '[.runs[] | select(.label == "serve job 1") | .reps_done > 0] == [true]' true; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; curl -s -X POST -H 'Content-Type: application/json' -d '{}' -o /dev/null -w '%{http_code}\n' $B/api/jobs/1/resume; poll $B/api/jobs/1 .status running; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs | jq -c '{id, status}'; down; up --db c.db --jobs 1; curl -s $B/api/jobs | jq -c '[.jobs[] | [.id, .status, (.run_id != null)]]'; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/2; curl -s $B/api/jobs/2 | jq -r .status; down; up --db c.db; curl -s $B/api/jobs | jq -c '[.jobs[] | [.id, .status]]'; down; up; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs > /dev/null; curl -s -X DELETE -o /dev/null $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; curl -s -X POST -H 'Content-Type: application/json' -w ' %{http_code}\n' $B/api/jobs/1/resume; curl -s -X POST -w ' %{http_code}\n' $B/api/jobs/1/resume; down
202
202
{"id":2,"status":"queued"}
stopped 0
[[2,"interrupted",false],[1,"interrupted",true]]
202
cancelled
stopped 0
[[2,"cancelled"],[1,"interrupted"]]
stopped 0
{"error":"job 1: resuming needs the results store (start the server with --db)"} 409
{"error":"expected a body of Content-Type application/json"} 415
stopped 0

# a job goes on when its client goes: the client posts and hangs up
# without reading the answer, and the job finishes all the same
$ . @SRC@/tests/cli/fixtures/serve.sh; up; python3 -c 'import socket, sys, time; u = sys.argv[1]; host, port = u.split("//")[1].split(":"); b = b"{\"scenario\": \"us-russia-2025\", \"reps\": 200}"; s = socket.create_connection((host, int(port))); s.sendall(b"POST /api/jobs HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (host.encode(), port.encode(), len(b), b)); time.sleep(0.3); s.close()' $B; poll $B/api/jobs '.jobs | length' 1; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 | jq -c '{status, done, total, reps: .result.reps}'; down
{"status":"done","done":200,"total":200,"reps":200}
stopped 0

# the analyses as jobs: a sweep of one parameter over a grid with an
# option gives, point by point, the rows of `legation sweep --json` for the
# same seed (values and changes, the parameter's value, the scorecard's
# outputs); an uncertain comparison gives the worlds of `legation compare
# --uncertain`
$ . @SRC@/tests/cli/fixtures/serve.sh; OA=@SRC@/docs/openapi.yaml; up; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "vary": [{"key": "states.b.openness", "lo": 0.2, "hi": 0.6, "levels": 3}], "reps": 20, "seed": 5}' $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 > r.json; jq -c '.result | [.design, .points, .reps_per_point, .keys, (.rows | length)]' r.json; oacheck Result r.json .result; jq -c '.result.rows[] | [.point, .scenario, .kind, .params, (.outputs | to_entries | map([.key, .value.mean, .value.lo, .value.hi, .value.n]))]' r.json > api.txt; legation sweep us-russia-2025 --option us-russia-2025-readmit-50 --vary states.b.openness=0.2:0.6:3 --reps 20 --seed 5 --json --no-store 2>/dev/null | jq -c '[.point, .scenario, .kind, .params, (.outputs | to_entries | map(select(.key | test("^(value_a|value_b|balance|spiral|settled)$"))) | map([.key, .value.mean, .value.lo, .value.hi, .value.n]))]' > cli.txt; cmp api.txt cli.txt && echo same sweep; jq -r '.[2]' api.txt | sort | uniq -c | sed 's/^ *//'; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "reps": 100, "seed": 3, "uncertain": true}' $B/api/jobs > /dev/null; poll $B/api/jobs/2 .status done; curl -s $B/api/jobs/2 | jq -c '[.result.options[0].scorecard[] | [.output, .mean, .lo, .hi, .worlds]], .result.options[0].verdict' > api.txt; legation compare us-russia-2025 us-russia-2025-readmit-50 --uncertain --reps 100 --seed 3 --no-store --json | jq -c '[.scenarios[1].scorecard[] | select(.output | test("^(value_a|value_b|balance|spiral|settled)$")) | [.output, .mean, .lo, .hi, .worlds]], .scenarios[1].verdict' > cli.txt; cmp api.txt cli.txt && echo same uncertain comparison; head -1 api.txt | jq -r '.[0][4].worlds'; down
{"id":1,"kind":"sweep","total":60}
["grid",3,20,["states.b.openness"],9]
Result ok
same sweep
3 change
6 value
same uncertain comparison
10
stopped 0

# a sweep's requests are checked: the fields, the total replications, the
# parameter's key; a long sweep is cancelled like any job
$ . @SRC@/tests/cli/fixtures/serve.sh; up --jobs 1; for b in '{"scenario": "us-russia-2025", "vary": []}' '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness", "lo": 0.2}]}' '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness", "step": 2}]}' '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness"}], "uncertain": true}' '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness"}], "points": 10}' '{"scenario": "us-russia-2025", "design": "lhs"}' '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness"}], "design": "random"}'; do curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d "$b" $B/api/jobs; done; curl -s -o e.json -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness", "levels": 1000}], "reps": 101}' $B/api/jobs; jq -r '.messages[0].text' e.json; curl -s -o e.json -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.nope", "lo": 0, "hi": 1}]}' $B/api/jobs; jq -r '.messages[0].text | length > 0' e.json; curl -s -H 'Content-Type: application/json' -d '{"scenario": "us-russia-2025", "vary": [{"key": "states.b.openness", "levels": 100}], "reps": 1000}' $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/1 '.status == "running" and .done > 0' true; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; down
{"error":"vary: expected a list of 1 to 4 parameters to sweep"} 400
{"error":"vary[0]: expected lo and hi as numbers, or neither (the plausible range)"} 400
{"error":"vary[0]: step: unknown field (expected key, lo, hi, levels)"} 400
{"error":"vary and uncertain: give one (a sweep sets the parameters it varies)"} 400
{"error":"points: a grid's points are set by the levels of each vary entry"} 400
{"error":"design and points are for a sweep: give vary too"} 400
{"error":"design: expected grid, lhs or sobol"} 400
422
vary: 1000 points x 101 replications: at most 10000 points and 100000 replications in all
422
true
{"id":1,"kind":"sweep","total":100000}
202
stopped 0

# a sweep killed mid-way (kill -9) resumes from its checkpoint too: the
# points finished before it come back from the store, and every row equals
# the uninterrupted sweep's
$ rm -f w.db*; legation run --reps 2 --db w.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db w.db --jobs 1; J='{"scenario": "us-russia-2025", "options": ["us-russia-2025-readmit-50"], "vary": [{"key": "states.b.openness", "lo": 0.2, "hi": 0.6, "levels": 40}], "reps": 200, "seed": 5}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs | jq -c '{id, kind, total}'; poll "$B/api/runs" '[.runs[] | select(.label == "serve job 1") | .reps_done > 0] == [true]' true; kill -9 $P; wait $P 2>/dev/null; up --db w.db --jobs 1; curl -s $B/api/jobs | jq -c '.jobs[] | {id, status, part: (.done > 0 and .done < .total)}'; curl -s -X POST -H 'Content-Type: application/json' $B/api/jobs/1/resume | jq -c '{status, resumed_from_checkpoint: (.done > 0)}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 | jq -c '.result.rows[]' > resumed.txt; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs > /dev/null; poll $B/api/jobs/2 .status done; curl -s $B/api/jobs/2 | jq -c '.result.rows[]' > straight.txt; wc -l < resumed.txt; cmp resumed.txt straight.txt && echo resumed sweep same as uninterrupted; curl -s $B/api/runs | jq -c '[.runs[] | select(.label == "serve job 1") | [.status, .reps_done]]'; down
{"id":1,"kind":"sweep","total":8000}
{"id":1,"status":"interrupted","part":true}
{"status":"queued","resumed_from_checkpoint":true}
120
resumed sweep same as uninterrupted
[["complete",8000]]
stopped 0

# studies as jobs: a Sobol study with an option and a group, a Morris
# study and a discovery answer the JSON of `legation sensitivity --json`
# and `discover --json` for the same seed (the same library code,
# legation_study_use_scenario); with --db each is a stored study, listed by
# `legation runs`, that `legation runs show` replays to the same document
$ rm -f s.db*; legation run --reps 2 --db s.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; OA=@SRC@/docs/openapi.yaml; up --db s.db; F='"states.a.openness", "states.b.openness", "intel.recruit_rate"'; printf 'openness: states.a.openness, states.b.openness\n' > g.txt; curl -s -H 'Content-Type: application/json' -d "{\"study\": \"sensitivity\", \"scenario\": \"us-russia-2025\", \"option\": \"us-russia-2025-readmit-50\", \"params\": [$F], \"groups\": [{\"name\": \"openness\", \"factors\": [\"states.a.openness\", \"states.b.openness\"]}], \"n\": 16, \"reps\": 4, \"seed\": 3}" $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 > r.json; oacheck Job r.json; oacheck SensitivityResult r.json .result; jq -S .result r.json > api1.json; legation sensitivity us-russia-2025 --option us-russia-2025-readmit-50 --params states.a.openness,states.b.openness,intel.recruit_rate --groups g.txt --n 16 --reps 4 --seed 3 --json --no-store | jq -S . > cli.json; cmp api1.json cli.json && echo same sobol; jq -c '[.method, .complete, [.groups[].name], ([.outputs[].name | endswith("_change")] | unique)]' api1.json; curl -s -H 'Content-Type: application/json' -d "{\"study\": \"sensitivity\", \"method\": \"morris\", \"scenario\": \"us-russia-2025\", \"params\": [$F], \"n\": 6, \"levels\": 4, \"reps\": 3, \"seed\": 2}" $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/2 .status done; curl -s $B/api/jobs/2 > r.json; oacheck SensitivityResult r.json .result; jq -S .result r.json > api2.json; legation sensitivity us-russia-2025 --method morris --params states.a.openness,states.b.openness,intel.recruit_rate --n 6 --levels 4 --reps 3 --seed 2 --json --no-store | jq -S . > cli.json; cmp api2.json cli.json && echo same morris; curl -s -H 'Content-Type: application/json' -d "{\"study\": \"discover\", \"scenario\": \"us-russia-2025\", \"params\": [$F], \"where\": \"spiral > 0.3\", \"points\": 64, \"reps\": 4, \"seed\": 3, \"threshold\": 0.6}" $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/3 .status done; curl -s $B/api/jobs/3 > r.json; oacheck DiscoverResult r.json .result; jq -S .result r.json > api3.json; legation discover us-russia-2025 --params states.a.openness,states.b.openness,intel.recruit_rate --where 'spiral > 0.3' --points 64 --reps 4 --seed 3 --threshold 0.6 --json --no-store | jq -S . > cli.json; cmp api3.json cli.json && echo same discover; curl -s $B/api/jobs | jq -c '.jobs[] | [.id, .kind, .status, .done == .total, .run_id]'; down; legation runs --db s.db > runs.txt; awk 'NR > 1 { print $1, $4 }' runs.txt; grep -c 'complete' runs.txt; for j in 1 2 3; do legation runs show $((j + 1)) --db s.db --json | jq -S . | cmp - api$j.json && echo replay $j same; done
{"id":1,"kind":"sensitivity","total":256}
Job ok
SensitivityResult ok
same sobol
["sobol",true,["openness","intel.recruit_rate"],[false,true]]
{"id":2,"kind":"sensitivity","total":72}
SensitivityResult ok
same morris
{"id":3,"kind":"discover","total":256}
DiscoverResult ok
same discover
[3,"discover","done",true,4]
[2,"sensitivity","done",true,3]
[1,"sensitivity","done",true,2]
stopped 0
4 discover
3 morris
2 sensitivity
1 run
4
replay 1 same
replay 2 same
replay 3 same

# a study's request is checked: its fields only with "study", the CLI's
# refusals (params with uncertain, groups with morris, discover without
# where), a design beyond SERVE_MAX_STUDY_RUNS, the parameters and groups
# against the scenario; a long study is cancelled like any job
$ . @SRC@/tests/cli/fixtures/serve.sh; up --jobs 1; for b in '{"scenario": "us-russia-2025", "method": "morris"}' '{"study": "survey", "scenario": "us-russia-2025"}' '{"study": "sensitivity", "scenario": "us-russia-2025", "params": ["states.b.openness"], "uncertain": true}' '{"study": "sensitivity", "scenario": "us-russia-2025", "method": "morris", "groups": "g: states.b.openness"}' '{"study": "discover", "scenario": "us-russia-2025"}' '{"study": "discover", "scenario": "us-russia-2025", "where": "spiral > 0.1", "n": 8}' '{"study": "sensitivity", "scenario": "us-russia-2025", "option": "us-russia-2025-readmit-50", "options": []}' '{"study": "sensitivity", "scenario": "us-russia-2025", "groups": [{"name": "a:b", "factors": ["x"]}]}' '{"study": "sensitivity", "scenario": "us-russia-2025", "levels": 4}'; do curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d "$b" $B/api/jobs; done; for b in '{"study": "sensitivity", "scenario": "us-russia-2025"}' '{"study": "sensitivity", "scenario": "us-russia-2025", "params": ["states.b.nope"]}' '{"study": "sensitivity", "scenario": "us-russia-2025", "params": ["states.b.openness"], "groups": "openness states.b.openness"}' '{"study": "discover", "scenario": "us-russia-2025", "params": ["states.b.openness"], "where": "nothing > 1"}'; do curl -s -o e.json -w '%{http_code} ' -H 'Content-Type: application/json' -d "$b" $B/api/jobs; jq -r '.messages[0].text' e.json | sed 's/ (.*//'; done; curl -s -H 'Content-Type: application/json' -d '{"study": "sensitivity", "scenario": "us-russia-2025", "params": ["states.a.openness", "states.b.openness", "intel.recruit_rate"], "n": 4096}' $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/1 '.status == "running" and .done > 0' true; curl -s -X DELETE -o /dev/null -w '%{http_code}\n' $B/api/jobs/1; poll $B/api/jobs/1 .status cancelled; down
{"error":"method is for a study: give study (sensitivity or discover) too"} 400
{"error":"study: expected sensitivity, discover or calibrate"} 400
{"error":"params and uncertain cannot be combined (uncertain: every uncertain parameter, the default)"} 400
{"error":"groups: groups are for method sobol (Morris effects are per factor)"} 400
{"error":"where: a discovery needs its condition \"OUTPUT OP NUMBER\""} 400
{"error":"n: not a field of a discover study"} 400
{"error":"option and options: a study takes one option, a comparison options"} 400
{"error":"groups[0]: expected {\"name\": a name, \"factors\": [a parameter key, ...]}"} 400
{"error":"levels is for method morris"} 400
422 the study's design has 101376 points x 20 replications: at most 1000000 in all
422 params: unknown parameter 'states.b.nope'
422 groups:1:1: expected 'NAME: factor, factor, ...'
422 where: column 1: unknown output 'nothing'
{"id":1,"kind":"sensitivity","total":409600}
202
stopped 0

# a study killed mid-way (kill -9) is resumed by a new server from its
# stored points (legation_store_study_load and legation_study_restore_points,
# as `legation sensitivity --resume ID`): the result equals the CLI's
$ rm -f k.db*; legation run --reps 2 --db k.db --quiet > /dev/null; . @SRC@/tests/cli/fixtures/serve.sh; up --db k.db --jobs 1; J='{"study": "sensitivity", "scenario": "us-russia-2025", "params": ["states.a.openness", "states.b.openness", "intel.recruit_rate"], "n": 512, "reps": 4, "seed": 7}'; curl -s -H 'Content-Type: application/json' -d "$J" $B/api/jobs | jq -c '{id, kind, total}'; poll "$B/api/runs" '[.runs[] | select(.label == "serve job 1") | .reps_done > 0] == [true]' true; kill -9 $P; wait $P 2>/dev/null; up --db k.db --jobs 1; curl -s $B/api/jobs | jq -c '.jobs[] | {id, status, part: (.done > 0 and .done < .total)}'; curl -s -X POST -H 'Content-Type: application/json' $B/api/jobs/1/resume | jq -c '{status, from_stored_points: (.done > 0)}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 | jq -S .result > res.json; down; legation sensitivity us-russia-2025 --params states.a.openness,states.b.openness,intel.recruit_rate --n 512 --reps 4 --seed 7 --json --no-store | jq -S . > cli.json; cmp res.json cli.json && echo resumed study same as the CLI; legation runs --db k.db | awk '$1 == 2 { print $4, $6, $7 }'
{"id":1,"kind":"sensitivity","total":10240}
{"id":1,"status":"interrupted","part":true}
{"status":"queued","from_stored_points":true}
stopped 0
resumed study same as the CLI
sensitivity 10240/10240 complete

# a calibration as a job: the targets as text, the document of `legation
# calibrate --no-store --json` for the same seed (compared to 1e-9: the API
# prints 15 significant digits, the CLI 17; the seconds differ); the
# request is checked as the CLI checks its options
$ . @SRC@/tests/cli/fixtures/serve.sh; OA=@SRC@/docs/openapi.yaml; up; T='targets:\n  - {name: moves_per_year, side: US, value: 1.5, sd: 0.5}\n'; curl -s -H 'Content-Type: application/json' -d "{\"study\": \"calibrate\", \"scenario\": \"us-russia-2025\", \"targets\": \"$T\", \"params\": [\"states.a.shock_rate\", \"states.b.shock_rate\"], \"particles\": 40, \"generations\": 2, \"seed\": 4}" $B/api/jobs | jq -c '{id, kind, total}'; poll $B/api/jobs/1 .status done; curl -s $B/api/jobs/1 > r.json; oacheck CalibrateResult r.json .result; N='del(.generations[].seconds) | walk(if type == "number" then (. * 1e9 | round) else . end)'; jq -S ".result | $N" r.json > api.json; printf "$T" > t.yaml; legation calibrate us-russia-2025 --targets t.yaml --params states.a.shock_rate,states.b.shock_rate --particles 40 --generations 2 --seed 4 --no-store --quiet --json | jq -S "$N" > cli.json; cmp api.json cli.json && echo same calibration; jq -c '.result | [.calibration, (.posterior.weights | length), [.params[].key]]' r.json; for b in '{"study": "calibrate", "scenario": "us-russia-2025", "uncertain": true}' '{"study": "calibrate", "scenario": "us-russia-2025", "targets": "targets: []"}' '{"study": "calibrate", "scenario": "us-russia-2025", "targets": "x", "uncertain": true, "reps": 5}' '{"study": "sensitivity", "scenario": "us-russia-2025", "particles": 10}' '{"study": "calibrate", "scenario": "us-russia-2025", "targets": "x", "uncertain": true, "generations": 101}'; do curl -s -w ' %{http_code}\n' -H 'Content-Type: application/json' -d "$b" $B/api/jobs; done; curl -s -o e.json -w '%{http_code} ' -H 'Content-Type: application/json' -d '{"study": "calibrate", "scenario": "us-russia-2025", "targets": "targets:\n  - {name: nothing, value: 1, sd: 1}\n", "uncertain": true}' $B/api/jobs; jq -r '.messages[0].text' e.json | cut -c1-40; down
{"id":1,"kind":"calibrate","total":80}
CalibrateResult ok
same calibration
[null,40,["states.a.shock_rate","states.b.shock_rate"]]
{"error":"targets: a calibration needs its targets (the text of a targets file)"} 400
{"error":"a calibration needs the parameters to calibrate: params, or uncertain true (not both)"} 400
{"error":"reps: not a field of a calibration"} 400
{"error":"particles: a field of a calibration (study calibrate)"} 400
{"error":"generations: expected an integer from 1 to 100"} 400
422 target 'nothing': no simulated statistic
stopped 0
