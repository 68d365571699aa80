# legation history: the record compiled into the library (data/events.csv).

# The 1986 spiral between the US and the USSR: 25, 5, 55, 5, in order.
$ legation history --pair US-RU --from 1986 --to 1986 --action expel
ID       DATE        ACTOR -> TARGET  ACTION  PERSONS  STATED REASON
1986-02  1986-09-17  USA -> USSR      expel        25  Named as intelligence officers; enforcement of first-stag...
1986-03  1986-10-19  USSR -> USA      expel         5  'Impermissible activities' (espionage formula); linked by...
1986-04  1986-10-21  USA -> USSR      expel        55  5 declared PNG in direct retaliation; 50 to bring Soviet ...
1986-06  1986-10-22  USSR -> USA      expel         5  Retaliation for 'anti-Soviet actions' (the 55 expulsions)

# USSR counts as Russia; names and codes, any case, either order, give the
# same selection.
$ legation history --pair USA-USSR > a && legation history --pair ru-us > b && legation history --pair 'Russia,United States' > c && cmp a b && cmp a c && echo same
same

# All 142 events (plus the header line); 53 of them between the US and Russia.
$ legation history | wc -l
143

$ legation history --pair US-RU | wc -l
54

$ legation history --json | grep -c '"source_url": "http'
142

# Bilateral rows (both states act) belong to the pair; a blank count is '-'
# in text and null in JSON.
$ legation history --pair RU-US --from 2025 --action agreement
ID       DATE        ACTOR -> TARGET             ACTION     PERSONS  STATED REASON
2025-01  2025-02-18  USA; Russia -> (bilateral)  agreement        -  Riyadh meeting (Rubio, Waltz, Witkoff / Lavrov, Ushakov):...
2025-04  2025-04-10  USA; Russia -> (bilateral)  agreement        -  Istanbul round 2 (Russian CG, ~5.5 hours): diplomatic not...

$ legation history --pair US-RU --from 2025 --action agreement --json
~ "id": "2025-04",
~ "persons": null,
~ "responds_to": "2025-02",
~ "source_url": "https://tass.com/politics/1941799 ; https://bignewsnetwork.com

# Other pairs: the Czech-Russian exchange of 2021.
$ legation history --pair 'Czech Republic-Russia' --from 2021 --to 2021 --action expel
ID       DATE        ACTOR -> TARGET           ACTION  PERSONS  STATED REASON
2021-04  2021-04-17  Czech Republic -> Russia  expel        18  Identified as SVR/GRU officers; Czech services link GRU t...
2021-05  2021-04-18  Russia -> Czech Republic  expel        20  Retaliation for 18 expulsions

# Nothing selected: a note on standard error, success.
$ legation history --from 2030
! legation: history: no event matches the selection

$ legation history --from 2030 --json
[]

# Usage errors.
$ legation history --pair US-XX
! legation: history: --pair: expected a country code or name (US, RU, UK, CZ, CN, DE, FR, PL, ...), found 'XX' (see 'legation history --help')
? 2

$ legation history --pair US
! legation: history: --pair: expected two countries as A-B (e.g. US-RU), found 'US' (see 'legation history --help')
? 2

$ legation history --pair USSR-Russia
! legation: history: --pair: expected two different countries, found 'USSR-Russia' (see 'legation history --help')
? 2

$ legation history --action expell
! legation: history: --action: expected one of agreement, ban_local_staff, cap_staff, close_post, expel, readmit, talks, travel_restriction, found 'expell' (see 'legation history --help')
? 2

$ legation history --from 1990 --to 1980
! legation: history: --from 1990 is after --to 1980 (see 'legation history --help')
? 2

$ legation history --to 20x5
! legation: history: --to: expected a year from 1 to 9999, found '20x5' (see 'legation history --help')
? 2

$ legation history --pair=
! legation: history: --pair: expected A-B, found '' (see 'legation history --help')
? 2

$ legation history extra
! legation: history: unexpected argument 'extra' (see 'legation history --help')
? 2

$ legation history --help
~ --pair A-B
~ --action ACTION

# --stats: the record's summary statistics (docs/TARGETS.md).  The US moved
# in 9 months of 2016-2024 and expelled 202 persons (counted by hand in
# tests/test_history.c).
$ legation history --stats --era 2016:2024 | grep -E 'US +(moves|persons)_per_year'
2016-2024  US    moves_per_year                     1  0.5217-1.745            9  moves/year
2016-2024  US    persons_per_year               22.44  5.417-39.47            10  persons/year

# The targets file calibration reads: YAML, only statistics with an sd.
$ legation history --stats --era 1986-2015 --format targets > t.yaml && head -4 t.yaml && grep -c '^  - {name: ' t.yaml && ! grep -q persons_per_move_max t.yaml && echo no max
| # Targets from the record (data/events.csv, data/FACTS.md), pair US-RU.
| # Regenerate: legation history --stats --pair US-RU --era 1986:2015 --format targets
| # Each statistic, its interval (90%) and sd: docs/TARGETS.md.
targets:
18
no max

$ legation history --stats --json --era 2014:2024 | grep -c '"name"'
20

# Usage errors.
$ legation history --stats --era 2015:2014
! legation: history: --era: expected two years FROM:TO with FROM <= TO (e.g. 1986:2015), found '2015:2014' (see 'legation history --help')
? 2

$ legation history --era 1986:2015
! legation: history: --era needs --stats (see 'legation history --help')
? 2

$ legation history --stats --from 1990
! legation: history: --stats selects by --pair and --era, not by --from (see 'legation history --help')
? 2

$ legation history --stats --format csv
! legation: history: --format: expected text|json|targets, found 'csv' (see 'legation history --help')
? 2
