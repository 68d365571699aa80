# docs/GUIDE.md section 5.6: scenario discovery (PRIM) for readmit-150
# favouring the USA, over every uncertain parameter and over nine, generated
# by scripts/guide-block.sh; fails (with a diff) when the guide is stale
# (scripts/regen-docs.sh rewrites it).  Label "heavy": left out of
# `make test-asan`.

$ sh @SRC@/scripts/guide-block.sh discover-readmit-150 legation >discover-readmit-150.md && sed -n '/^<!-- discover-readmit-150:begin -->$/,/^<!-- discover-readmit-150:end -->$/p' @SRC@/docs/GUIDE.md | sed '1d;$d' | diff -u - discover-readmit-150.md && echo same
same

$ sh @SRC@/scripts/guide-block.sh discover-readmit-150-params legation >discover-readmit-150-params.md && sed -n '/^<!-- discover-readmit-150-params:begin -->$/,/^<!-- discover-readmit-150-params:end -->$/p' @SRC@/docs/GUIDE.md | sed '1d;$d' | diff -u - discover-readmit-150-params.md && echo same
same
