# docs/legation.1 is generated from the command table by 'legation help
# --man'; this fails when the table changed and the page was not
# regenerated (build/legation help --man > docs/legation.1).

$ legation help --man | cmp - @SRC@/docs/legation.1 && echo same
same

# the environment variable the store honours is documented
$ legation help --man | grep -A2 '^.SH ENVIRONMENT' | tail -1
.B LEGATION_DB
