#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/adopt.sh 'Name <address>'
# Adopt the series for a real poster: every patch of series/ authored and
# signed off by the current poster (cover-letters/poster) becomes authored
# and signed off by the new one, and MAINTAINERS lines naming the current
# poster name the new one. Nothing else changes (code, other people's
# trailers, copyright lines); a patch where the current poster's address
# appears anywhere else stops it, naming the patch and the line. Then
# cover-letters/poster names the new poster. Run make apply and make export
# afterwards (the patches' index lines follow), and commit series/ and
# cover-letters/. A real posting also needs the DCO: the new poster must be
# entitled to sign off every patch.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/adopt.sh 'Name <address>'"
new=$1
[[ $new =~ ^[^\<\>@]+\ \<[^\<\>@[:space:]]+@[^\<\>@[:space:]]+\>$ ]] ||
	die "ID='$new' is not 'Name <address>'"
[[ $new != *.invalid\> ]] || die "ID='$new': an address ending in .invalid cannot be posted"
[ -s "$POSTER_FILE" ] || die "$POSTER_FILE: nobody is recorded as the poster: write the current one there"
old=$(grep -m1 . "$POSTER_FILE")
[ "$old" != "$new" ] || die "$POSTER_FILE already names $new"
oldaddr=${old##*<}
oldaddr=${oldaddr%>}

mapfile -t PATCHES < <(for t in $(topics); do patches_of "$t"; done)
[ ${#PATCHES[@]} -gt 0 ] || die "$SERIES has no patches to adopt"
# Check everything first: the old address only in the lines adopt rewrites.
# (the From: header with its continuation lines: format-patch folds a long
# one; the message's Signed-off-by: lines; the diff's M: lines)
for p in "${PATCHES[@]}"; do
	stray=$(awk -v a="$oldaddr" '
		!body && NR > 1 && $0 == "" { body = 1; next }
		!body && /^[^ \t]/ { field = $0 }
		index($0, a) {
			if (!body && field ~ /^From: /) next
			if (body && ($0 ~ /^Signed-off-by: / || $0 ~ /^[-+ ]M:\t/ || $0 ~ /^@@ .* @@ M:\t/)) next
			printf "%d:%s\n", NR, $0
			exit
		}' "$p") || die "$p: awk cannot read it"
	[ -z "$stray" ] || die "$p: line ${stray%%:*} names $oldaddr outside From:, Signed-off-by: and MAINTAINERS' M: (${stray#*:}): change it by hand first"
done
# Every rewrite into PATCH.adopt first, moved in place only when all are
# made: a failure leaves series/ as it was, not half adopted.
TMPS=()
trap 'rm -f "${TMPS[@]}"' EXIT
for p in "${PATCHES[@]}"; do
	TMPS+=("$p.adopt")
	/usr/bin/python3 - "$p" "$p.adopt" "$old" "$new" <<'PYEOF' || die "$p: cannot rewrite it (series/ left as it was)"
import email.header, email.utils, re, sys
path, dst, old, new = sys.argv[1:5]
lines = open(path).read().split("\n")


def person(v):
    # a From: as git am reads it: unfolded, RFC 2047 decoded (format-patch
    # folds a long one and encodes a name that is not ASCII)
    v = re.sub(r"\n[ \t]+", " ", v)
    try:
        v = str(email.header.make_header(email.header.decode_header(v)))
    except Exception:
        pass
    name, addr = email.utils.parseaddr(v)
    return name, addr.lower()


want = person(old)
end = lines.index("") if "" in lines else len(lines)
out, i = [], 0
while i < end:
    # one header field and its continuation lines
    j = i + 1
    while j < end and lines[j][:1] in (" ", "\t"):
        j += 1
    field = "\n".join(lines[i:j])
    if field.startswith("From: ") and person(field[6:]) == want:
        out.append("From: " + new)
    else:
        out += lines[i:j]
    i = j
for l in lines[end:]:
    if l == "Signed-off-by: " + old:
        l = "Signed-off-by: " + new
    elif re.match(r"^[-+ ]M:\t", l) and l[4:] == old:
        l = l[:4] + new
    elif re.match(r"^@@ .* @@ M:\t", l) and l.endswith("M:\t" + old):
        l = l[: len(l) - len(old)] + new
    out.append(l)
open(dst, "w").write("\n".join(out))
PYEOF
done
n=0
for p in "${PATCHES[@]}"; do
	mv "$p.adopt" "$p"
	n=$((n + 1))
done
printf '%s\n' "$new" >"$POSTER_FILE"
info "$n patch(es) of $SERIES adopted by $new (was $old), recorded in $POSTER_FILE; now: make apply && make export, check, and commit series/ and cover-letters/"
