# Output that cannot be written is an I/O error, exit status 4.

$ legation scenarios > /dev/full
! legation: error writing standard output: No space left on device
? 4

$ legation run --no-store --reps 2 --json > /dev/full
! legation: error writing standard output: No space left on device
? 4

$ legation run --no-store --reps 2 --report nodir/r.txt
~ replications
! legation: run: cannot write 'nodir/r.txt': No such file or directory
? 4
