# params: the resolved parameter table and the deal schedule.

$ legation params
~ Parameters of us-russia-2025
~ key
~ horizon
~ states.a.openness
~ Deal schedule

$ legation params us-russia-2025 --markdown
~ | key | value | unit | valid | plausible | description | source |
~ | --- | --- | --- | --- | --- | --- |
~ | horizon | 48 | months | [1, 600] |

$ legation params @SRC@/tests/cli/fixtures/good.yaml --json
~ "name": "cli-good",
~ "key": "states.b.openness",
~ "deal": [

$ legation params nosuch
! legation: params: 'nosuch': no such file or built-in scenario (see 'legation scenarios')
? 3
