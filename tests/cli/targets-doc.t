# docs/TARGETS.md holds the output of 'legation history --stats' between
# <!-- stats:begin --> and <!-- stats:end --> (inside a code fence); this
# fails when the record or the statistics changed and the doc was not
# regenerated (the command is in docs/TARGETS.md).

$ legation history --stats >stats.txt && sed -n '/^<!-- stats:begin -->$/,/^<!-- stats:end -->$/p' @SRC@/docs/TARGETS.md | sed '1,2d;$d' | sed '$d' | cmp - stats.txt && echo same
same
