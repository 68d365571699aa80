# run: the shape of the output, not its numbers (the model evolves).

$ legation run --no-store --reps 20 --quiet
~ US-Russia 2025
~ 20 replications, seed 1,
~ USA (side A)
~ Russia (side B)
~   intelligence value gained
~   its mission in Russia
~   its mission in USA
~   as host to Russia's mission
~   as host to USA's mission
~     Russia's officers expelled
~     USA's diplomats expelled (collateral)
~     sources recruited
~     USA's sources caught
~     diplomatic function (mean)
~   expulsion spiral (probability)
~   negotiation settles (probability)
~   balance (USA minus Russia)
~ under this scenario: the balance is

$ legation run --no-store @SRC@/tests/cli/fixtures/good.yaml --reps 10 --threads 1
~ CLI test: a more open host (cli-good)
~ 10 replications, seed 1, 1 thread, 36 months

$ legation run --no-store --reps 10 --csv | head -1
output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max

$ legation run --no-store --reps 10 --csv | grep -c '^balance,'
1

$ legation run --no-store --reps 10 --csv | grep '^spiral,' | cut -d, -f3,4
prob,10

$ legation run --no-store --reps 10 --json
~ "legation_version": "0.1.0",
~ "reps": 10,
~ "seed": 1,
~ "outputs": {
~ "balance": {
~ "series": {
~ "verdict": "

# The seed is exact over the full 64-bit range; above INT64_MAX it is a string.
$ legation run --no-store --reps 2 --json --seed 9223372036854775807 | grep '"seed"'
|   "seed": 9223372036854775807,

$ legation run --no-store --reps 2 --json --seed 18446744073709551615 | grep '"seed"'
|   "seed": "18446744073709551615",

$ legation run --no-store --reps 2 --seed 18446744073709551615
~ 2 replications, seed 18446744073709551615,

# --events: a CSV with the events.csv vocabulary, written only on success.
$ legation run --no-store --reps 5 --events ev.csv --quiet > /dev/null && head -1 ev.csv && ls
rep,month,acting_state,target_state,action,persons,officers,reason,chain
ev.csv

$ legation run --no-store --reps 3 --events - --quiet | head -1
rep,month,acting_state,target_state,action,persons,officers,reason,chain

$ legation run --no-store --reps 3 --events nodir/ev.csv
! legation: run: cannot write 'nodir/ev.csv': No such file or directory
? 4

# --report writes the self-contained HTML report; the summary stays on stdout.
$ legation run --no-store --reps 3 --report report.html > stdout.txt && head -c 15 report.html && echo && grep -c "balance (USA minus Russia)" stdout.txt
<!DOCTYPE html>
1
