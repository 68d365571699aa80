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

# Posts and their reach (MODEL.md section 3.1): 4 US posts in Russia and 6
# Russian posts in the US in the default scenario, in text and JSON.
$ legation params | sed -n '/^Posts/,/^Deal/p' | grep -c 'missions\.[ab] '
10

$ legation params --json | grep -A3 '"name": "CG Seattle"'
~ "reach": 1.5,
~ "open": false
# round numbers are written out (5000, not 5e+03)
$ legation params --json | grep -A1 '"key": "states.a.pool"'
|       "key": "states.a.pool",
|       "value": "5000",

# posts and their reach are shown, and --set changes them by name or index
$ legation params --set 'missions.russia.posts.cg seattle.open=true' --set 'missions.a.posts[1].reach=2' | grep -E 'CG (Seattle|St Petersburg)'
~ missions.a  CG St Petersburg     2      no
~ missions.b  CG Seattle           1.5    yes

$ legation params --json | grep -c '"mission": "b"'
6

$ legation params --set 'missions.a.posts.nowhere.reach=1'
! legation: --set: missions.a.posts.nowhere.reach: expected missions.a.posts.NAME.reach or .open (or posts[N]) with NAME one of: Embassy Moscow, CG St Petersburg, CG Yekaterinburg, CG Vladivostok
? 3
