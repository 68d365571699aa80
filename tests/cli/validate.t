# validate: "FILE: ok" on stdout for good files, the library's messages
# (file:line:col: key: expected ..., found ...) on stderr for bad ones;
# exit 0 only if all are good, else 3.

$ legation validate @SRC@/tests/cli/fixtures/good.yaml
@SRC@/tests/cli/fixtures/good.yaml: ok

# A built-in name is accepted where no such file exists.
$ legation validate us-russia-2025
us-russia-2025: ok

$ cp @SRC@/tests/cli/fixtures/bad.yaml . && legation validate bad.yaml
! legation: bad.yaml:6:10: horizon: expected an integer in [1, 600], found "12x"
! legation: bad.yaml:9:15: states.a.openness: expected a number in [0, 1], found 1.5
! legation: bad.yaml:10:5: states.a.opennes: unknown key; did you mean "openness"?
? 3

$ cp @SRC@/tests/cli/fixtures/syntax.yaml . && legation validate syntax.yaml
!~ syntax.yaml:2:1: syntax error:
? 3

# Good and bad together: each is reported, the status is 3.
$ cp @SRC@/tests/cli/fixtures/good.yaml . && legation validate good.yaml missing.yaml bad.yaml
good.yaml: ok
! legation: validate: 'missing.yaml': no such file or built-in scenario (see 'legation scenarios')
! legation: bad.yaml:6:10: horizon: expected an integer in [1, 600], found "12x"
! legation: bad.yaml:9:15: states.a.openness: expected a number in [0, 1], found 1.5
! legation: bad.yaml:10:5: states.a.opennes: unknown key; did you mean "openness"?
? 3

$ mkdir adir && legation validate adir
!~ adir: cannot read:
? 3
