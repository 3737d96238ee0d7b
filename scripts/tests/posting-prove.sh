#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/tests/posting-prove.sh [TEST...]
# Shows that each posting test can fail: for each test of
# scripts/tests/posting.sh, a copy of the project's scripts
# (build/posting-prove/<test>/, with kernel-tree/ and build/tools of this
# project) gets one defect planted in the script that test is about, and
# the test alone is run there, first unplanted (the control: it must
# pass, else ENV: the environment fails it, and the defect proves
# nothing), then with the defect. CAUGHT: it failed; MISSED: it passed
# anyway (the test does not see the defect it is there for); NOPLANT: the
# defect's text was not found (the script changed: update the plant).
# A TEST+NAME entry is a further defect for TEST (run as part of all).
# Not part of make test (two runs of one posting test each, a minute or
# so apiece on a loaded machine). Ends with "N caught, N missed, N failed
# unplanted".
. "$(dirname "$0")/../lib.sh"

need_ktree
need_b4
PROVE=$BUILD/posting-prove
mkdir -p "$PROVE"

# plant FILE OLD NEW: replace the one occurrence of OLD in FILE (of the copy)
plant() {
	/usr/bin/python3 - "$D/$1" "$2" "$3" <<'PYEOF'
import sys
p, old, new = sys.argv[1:4]
s = open(p).read()
if s.count(old) != 1:
    sys.exit("%s: %d occurrences of the text to plant over" % (p, s.count(old)))
open(p, "w").write(s.replace(old, new))
PYEOF
}

# mutant TEST: plant TEST's defect in the copy $D
mutant() {
	case $1 in
	t_enroll_with_b4_prep) # every topic forks from the base
		plant scripts/enroll.sh 'basebr=$(base_branch_of "$t")' 'basebr=${BRANCH_PREFIX}base' ;;
	t_enroll_leaves_a_base_branch_of_its_own) # a branch "base" of someone's own is moved to the base tag
		plant scripts/enroll.sh '[ -z "$cur" ] || [ -n "$(kgit tag --points-at "$cur" -l '"'base/*'"')" ] ||' 'true ||' ;;
	t_enroll_keeps_a_cover_letter_edited_in_b4) # the branch's description is overwritten from cover-letters/
		plant scripts/enroll.sh '[ $fresh -eq 1 ] || cover_from_b4 "$t"' 'true' ;;
	t_enroll_rebuilds_a_tag_from_a_record_without_info) # sed on a missing info file stops enroll.sh
		plant scripts/enroll.sh '[ ! -f "$rec/info" ] || tag=$(sed' 'tag=$(sed' ;;
	t_enroll_refuses_a_record_row_without_a_message_id) # b4's tracking data is set to what tracking_json printed, failed or not
		plant scripts/enroll.sh '"$basebr" "${reqs[@]}") ||' '"$basebr" "${reqs[@]}") || true ||' ;;
	t_check_deps_passes_then_fails_when_a_lower_topic_changed) # no dependency check
		plant scripts/send.sh '|| check_deps "$t"' '|| true' ;;
	t_send_dry_run_writes_the_mails) # the base-commit note is lost
		plant scripts/lib.sh 'The base-commit is not an upstream commit' 'The base-commit is an upstream commit' ;;
	t_send_dry_run_of_a_series_has_a_cover_letter) # the cover letter is not written out
		plant scripts/send.sh 'cp "$work"/mails/* "$OUT/"' 'cp "$work"/mails/* "$OUT/"; rm -f $(grep -l "^Subject: \[PATCH[^]]* 0/" "$OUT"/*.eml)' ;;
	t_send_mails_apply_and_build) # VERIFY builds nothing
		plant scripts/send.sh 'small_build "$src" "$BUILD/send-x86_64"' 'true "$src" "$BUILD/send-x86_64"' ;;
	t_send_verify_catches_a_build_break) # VERIFY looks at no C file
		plant scripts/send.sh 'rev-parse "HEAD~$n")" HEAD)' 'rev-parse HEAD)" HEAD)' ;;
	t_send_long_identity_still_reads_in_b4) # From: cut at a fixed width
		plant scripts/send.sh 'cp "$work"/mails/* "$OUT/"' 'cp "$work"/mails/* "$OUT/"; sed -i "s/^From: \(.\{20\}\).*/From: \1/" "$OUT"/*.eml' ;;
	t_send_long_subject_still_reads_in_b4) # a folded Subject: loses its continuation
		plant scripts/send.sh 'cp "$work"/mails/* "$OUT/"' 'cp "$work"/mails/* "$OUT/"; sed -i "/^Subject: /{n;/^[ \t]/d}" "$OUT"/*.eml' ;;
	t_send_body_line_from_stays_in_its_mail) # the mbox is not escaped: b4 am splits a mail at a "From " line
		plant scripts/lib.sh "sed -E 's/^(>*From )/>\\1/' \"\$f\"" 'cat "$f"' ;;
	t_send_bad_input) # a branch that differs from series/ is sent
		plant scripts/send.sh '[ "$(series_pids "$t")" = "$ids_branch" ] ||' 'true ||' ;;
	t_send_refuses_an_invalid_identity) # MAINTAINERS is not looked at
		plant scripts/lib.sh 'kgit show "refs/heads/$br:MAINTAINERS" 2>/dev/null' 'true 2>/dev/null' ;;
	t_send_refuses_a_long_invalid_identity) # a folded From: is read by its first line only
		plant scripts/lib.sh 'git mailinfo /dev/null /dev/null <"$p" 2>/dev/null |' 'grep -v "^ " "$p" | git mailinfo /dev/null /dev/null 2>/dev/null |' ;;
	t_send_refuses_a_sender_who_is_not_the_poster) # b4's sender is not looked at
		plant scripts/send.sh '[ -z "$s" ] || die "topic $t: $s"' 'true' ;;
	t_send_refuses_a_prerequisite_never_posted) # a real send serves unsent prerequisites, as a dry run does
		plant scripts/send.sh 'if [ $DRY -eq 0 ]; then
	for p in' 'if false; then
	for p in' ;;
	t_send_real_needs_config_and_consent) # without a terminal, it sends anyway
		plant scripts/send.sh '|| die "no terminal to ask on: run again with --yes (YES=1) to send"' '|| exec 3< <(printf "\n\n\n")' ;;
	t_send_yes_sends_nothing_when_b4_checks_fail) # --yes answers "send anyway" too
		plant scripts/send.sh "exec 3< <(printf '\\n')" "exec 3< <(printf '\\n\\n')" ;;
	t_send_real_sends_and_records) # the record loses the Message-IDs
		plant scripts/send.sh '"${pid:--}" "$mid" "$subj"' '"${pid:--}" "" "$subj"' ;;
	t_send_real_sends_and_records+sender) # b4 sends as somebody else than the poster, past the check
		plant scripts/send.sh 'if ! on_branch "$branch" kb4 send <&3' 'if ! GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_1=sendemail.from GIT_CONFIG_VALUE_1="Other <other@example.org>" on_branch "$branch" kb4 send <&3' ;;
	t_send_real_sends_and_records+reflect) # b4 delivers to the sender alone (its --reflect)
		plant scripts/send.sh 'if ! on_branch "$branch" kb4 send <&3' 'if ! on_branch "$branch" kb4 send --reflect <&3' ;;
	t_send_real_sends_and_records+lists) # the miniature MAINTAINERS names a list outside the test domains
		plant scripts/tests/fixture-lib.sh 'L:	linux-kernel@lists.fixture.invalid' 'L:	linux-kernel@lists.fixture.example' ;;
	t_send_refuses_a_version_sent_but_not_recorded) # a version b4 sent without a record is enrolled (and sent) again
		plant scripts/enroll.sh '! sent_unrecorded "$t" ||' 'true ||' ;;
	t_reroll_records_range_diff) # a second reroll adds a second range-diff
		plant scripts/reroll.sh '    body = body[:body.index(mark)]' '    pass' ;;
	t_reroll_after_a_fresh_apply) # b4's sent tag is not rebuilt from sent/
		plant scripts/enroll.sh '	restore_sent "$t"' '	HIST=""' ;;
	t_reroll_a_stacked_topic) # the topics below are recorded at the version b4 started, not the one sent
		plant scripts/enroll.sh 'pv=$(sent_as_now "$d")' 'pv=""' ;;
	t_reroll_a_stacked_topic_after_a_fresh_apply) # a rebuilt tag stands on the topic below as it is now, not as it was sent
		plant scripts/enroll.sh '				m=$SENT/$d/v$pv/series.mbox' '				m=""' ;;
	t_reroll_a_stacked_topic+rangediff) # vN's range starts at the base, as b4 prep --compare-to's
		plant scripts/reroll.sh 'kgit range-diff "$(kgit rev-parse "refs/tags/$tag^{commit}~$k")' 'kgit range-diff "$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")' ;;
	t_reroll_bad_input) # a version never sent is rerolled
		plant scripts/reroll.sh 'die "topic $t: v$v was never sent' 'true "topic $t: v$v was never sent' ;;
	t_trailers_from_a_fixture_thread) # the topics above are not restacked
		plant scripts/trailers.sh 'restack "$old" "$new" "$t"' 'true "$old" "$new" "$t"' ;;
	t_trailers_refuse_when_series_differs_from_a_branch) # series/ is not compared with the branches
		plant scripts/trailers.sh 'series_current "$d" ||' 'true ||' ;;
	t_trailers_bad_input) # a missing MBOX is not named
		plant scripts/trailers.sh '[ -f "$MBOX" ] || die' '[ -f "$MBOX" ] || true' ;;
	t_adopt_rewrites_authorship_only) # MAINTAINERS' M: line is not rewritten
		plant scripts/adopt.sh 'elif re.match(r"^[-+ ]M:\t", l) and l[4:] == old:' 'elif False:' ;;
	t_adopt_reads_a_folded_encoded_from) # a From: is compared as format-patch wrote it, not as git am reads it
		plant scripts/adopt.sh '        v = str(email.header.make_header(email.header.decode_header(v)))' '        pass' ;;
	t_adopt_bad_input) # a .invalid poster is adopted
		plant scripts/adopt.sh '[[ $new != *.invalid\> ]] || die' '[[ $new != *.invalid\> ]] || true' ;;
	t_status_reports_each_patch) # a changed patch counts as merged as it is
		plant scripts/status.sh 'state="merged with changes" at=$c' 'state="merged" at=$c' ;;
	t_status_without_link_is_not_merged) # the subject alone makes it merged
		plant scripts/status.sh '[ "$usubj" = "$subj" ] || continue' '[ "$usubj" = "$subj" ] && { state="merged with changes" at=$c; break; }; continue' ;;
	t_status_updates_only_the_roadmap_state_column) # ROADMAP says "posted" without the version
		plant scripts/status.sh 'new="posted v$last"' 'new="posted"' ;;
	t_status_bad_input) # an UPSTREAM of no mail is taken
		plant scripts/status.sh '[ ${#boxes[@]} -gt 0 ] || die' '[ ${#boxes[@]} -gt 0 ] || true' ;;
	t_status_on_an_empty_series) # an empty series prints nothing
		plant scripts/status.sh "[ -s \"\$work/ours\" ] || printf '(no patches in %s)\\n' \"\$SERIES\"" 'true' ;;
	t_bisect_names_the_first_bad_patch) # the patch number is wrong
		plant scripts/bisect.sh 'k=$(kgit rev-list --count "$par..$first")' 'k=1' ;;
	t_bisect_with_a_test) # TEST is not run
		plant scripts/bisect.sh 'if [ -n "${BISECT_TEST:-}" ]; then' 'if false; then' ;;
	t_bisect_bad_input) # GOOD after BAD is bisected
		plant scripts/bisect.sh '|| die "GOOD=$1 is not an ancestor of BAD=$2"' '|| true' ;;
	*) return 2 ;;
	esac
}

# (TEST+NAME: a further defect for TEST, run only when named or here)
ALL="$(grep -o '^t_[a-z0-9_]*' "$TOP/scripts/tests/posting.sh") t_send_real_sends_and_records+sender t_send_real_sends_and_records+reflect
	t_send_real_sends_and_records+lists t_reroll_a_stacked_topic+rangediff"
[ $# -eq 0 ] || ALL="$*"
caught=0 missed=0 env=0
for t in $ALL; do
	D=$PROVE/${t#t_}
	rm -rf "$D"
	mkdir -p "$D/build"
	cp -a "$TOP/scripts" "$TOP/BASE" "$TOP/ci" "$D/"
	start=$(date +%s)
	# the control: the test, unplanted, passes in this copy (a failure of
	# the environment, e.g. a fresh build/, must not count as caught)
	if ! KTREE=$KTREE TOOLS=$TOOLS "$D/scripts/tests/posting.sh" "${t%%+*}" >"$D/control.log" 2>&1; then
		printf 'ENV %s (%d s): it fails without a defect: %s (%s)\n' "${t#t_}" $(($(date +%s) - start)) \
			"$(grep -m1 'FAIL' "$D/control.log")" "$D/control.log"
		env=$((env + 1))
		continue
	fi
	# the defect's run starts from a build folder of its own: what the
	# control left there (a VERIFY's objects) must not pass it
	rm -rf "$D/build"
	mkdir -p "$D/build"
	if ! mutant "$t" 2>"$D/plant.log"; then
		printf 'NOPLANT %s: %s\n' "${t#t_}" "$(head -n 1 "$D/plant.log")"
		missed=$((missed + 1))
		continue
	fi
	if KTREE=$KTREE TOOLS=$TOOLS "$D/scripts/tests/posting.sh" "${t%%+*}" >"$D/run.log" 2>&1; then
		printf 'MISSED %s (%d s): it passed with its defect planted (%s)\n' "${t#t_}" $(($(date +%s) - start)) "$D"
		missed=$((missed + 1))
	else
		printf 'CAUGHT %s (%d s): %s\n' "${t#t_}" $(($(date +%s) - start)) "$(grep -m1 'FAIL' "$D/run.log")"
		caught=$((caught + 1))
	fi
done
printf '%d caught, %d missed, %d failed unplanted\n' "$caught" "$missed" "$env"
[ "$missed" -eq 0 ] && [ "$env" -eq 0 ]
