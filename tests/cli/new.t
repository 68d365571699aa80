# legation new: a commented template for a new pair, generated from the
# parameter table; validate and run name the behavioural parameters a
# scenario without a base leaves at the table's generic defaults.

# The template loads cleanly; what it leaves undecided is named.
$ legation new germany-russia > de-ru.yaml && legation validate de-ru.yaml
de-ru.yaml: ok
! legation: warning: de-ru.yaml: 18 behavioural parameters left at the table's generic defaults; set them for this pair ('legation new' writes a template): relations.initial, relations.baseline, states.a.doctrine, states.a.retaliation_delay, states.a.forgiveness, states.a.noise, states.a.noise_size, states.a.expel_policy, states.a.turn_prob, states.a.cut_cap, states.b.doctrine, states.b.retaliation_delay, states.b.forgiveness, states.b.noise, states.b.noise_size, states.b.expel_policy, states.b.turn_prob, states.b.cut_cap

# Every parameter of the table is in it, with a reason (one "table default"
# comment each; the names and short names have none).
$ legation params de-ru.yaml --json | grep -c '"key"'
124
$ grep -c '#   table default' de-ru.yaml
120

# It names the states and uses their names for the missions.
$ grep -E '^  (a|b|germany|russia):' de-ru.yaml
~   a:   # Germany: as host to Russia's mission, and how it decides
~   b:   # Russia: as host to Germany's mission, and how it decides
~   germany:   # missions.a: Germany's mission in Russia
~   russia:   # missions.b: Russia's mission in Germany

# Deciding a parameter (uncommenting it, or --set) removes it from the list.
$ sed 's/^  # initial: /  initial: /' de-ru.yaml > d2.yaml && legation validate d2.yaml 2>&1 >/dev/null | grep -q 'relations.initial' || echo decided
decided
$ legation run de-ru.yaml --reps 1 --quiet --no-store --set states.germany.forgiveness=0.3 2>&1 >/dev/null | grep -o '17 behavioural'
17 behavioural

# The neutral defaults are not a trap: a pair written from the table no
# longer spirals in nearly every replication (it did in 100% of 2000 under
# the old defaults: forgiveness 0.1, policy batch, R0 -0.5 vs baseline -0.3).
# Under the neutral ones the spiral comes only from mistaken moves (noise
# 0.005 a month per side): about 12%; the check allows far more.
$ legation run de-ru.yaml --reps 1000 --quiet --no-store --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["outputs"]["spiral"]; print("below 30%" if s["mean"] < 0.3 else s["mean"])'
below 30%

# two operands, short names upper-cased
$ legation new us china | grep -E '^    name:'
    name: "US"
    name: "China"

$ legation new germany
! legation: new: expected a pair A-B (e.g. germany-russia) or two names, found 'germany'
? 2

$ legation new de-DE
! legation: new: expected two different states, found 'DE' twice
? 2

# Built-in scenarios set every behavioural parameter that takes effect.
$ for n in $(legation scenarios | cut -d' ' -f1); do legation validate $n; done 2>&1 | grep -q warning || echo none
none
