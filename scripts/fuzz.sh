#!/usr/bin/env bash
# fuzz.sh: a coverage-guided fuzzing campaign (Jazzer) on every decoder of outside bytes.
#
#   scripts/fuzz.sh                      # every target, 120 s each
#   scripts/fuzz.sh 600                  # every target, 600 s each
#   scripts/fuzz.sh 60 xmlrpc-call bag   # the named targets only
#
# Targets: xmlrpc-call, xmlrpc-response, tcpros-header, messages (ros1: every message type),
# model-file (model: the .dmm reader), csv, bag (trainer: the demonstration readers). Each runs
# the target's fuzzerTestOneInput (the same code as the test suite's @FuzzTest, which replays the
# committed corpus) under the Jazzer driver, starting from the committed corpus
# (src/test/resources/.../<Class>Inputs/<method>/) and growing a working corpus in
# out/fuzz/corpus/<target>/. A finding (an exception other than the decoder's declared one, an
# error, a hang over 10 s, more than 2 GB of memory) is written to out/fuzz/findings/<target>/
# and makes the script exit 1. A table of executions, exec/s and corpus growth per target goes
# to stdout at the end (and to out/fuzz/summary.md). Environment: JAVA, MAVEN_ARGS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-120}
shift || true
out="$root/out/fuzz"
mkdir -p "$out/corpus" "$out/findings" "$out/logs"

declare -A module class method
add() { module[$1]=$2; class[$1]=$3; method[$1]=$4; }
add xmlrpc-call     ros1    org.diffeomotion.ros1.fuzz.RosDecodersFuzzTest     xmlRpcCall:XmlRpcCall
add xmlrpc-response ros1    org.diffeomotion.ros1.fuzz.RosDecodersFuzzTest     xmlRpcResponse:XmlRpcResponse
add tcpros-header   ros1    org.diffeomotion.ros1.fuzz.RosDecodersFuzzTest     connectionHeader:TcprosHeader
add messages        ros1    org.diffeomotion.ros1.fuzz.RosDecodersFuzzTest     messages:Messages
add model-file      model   org.diffeomotion.model.fuzz.ModelFileFuzzTest      modelFile:ModelFile
add csv             trainer org.diffeomotion.trainer.fuzz.DemoReadersFuzzTest  csv:Csv
add bag             trainer org.diffeomotion.trainer.fuzz.DemoReadersFuzzTest  bag:Bag
all=(xmlrpc-call xmlrpc-response tcpros-header messages model-file csv bag)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
  [ -n "${module[$t]:-}" ] || { echo "fuzz: unknown target '$t'; known: ${all[*]}" >&2; exit 2; }
done

echo "fuzz: building test classes (mvn test-compile) ..." >&2
# shellcheck disable=SC2086
(cd "$root" && mvn -B -q -ntp ${MAVEN_ARGS:-} -pl model,ros1,trainer -am test-compile) >&2
declare -A cp
for m in model ros1 trainer; do
  # With -am every module of the reactor writes the file in turn; the last one is $m, and its
  # class path names the other modules' class folders (no installed SNAPSHOT jars needed; the
  # reactor resolves them only in a build that compiles them, hence test-compile here).
  # shellcheck disable=SC2086
  (cd "$root" && mvn -B -q -ntp ${MAVEN_ARGS:-} -pl "$m" -am test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$out/logs/$m.classpath") >&2
  cp[$m]="$root/$m/target/test-classes:$root/$m/target/classes:$(cat "$out/logs/$m.classpath")"
done

summary="$out/summary.md"
{
  echo "| target | seconds | executions | exec/s | corpus (seed -> end) | findings |"
  echo "|---|---:|---:|---:|---|---:|"
} > "$summary"
failed=0
for t in "${targets[@]}"; do
  m=${module[$t]}
  meth=${method[$t]%%:*}
  nested=${method[$t]##*:}
  res="$root/$m/src/test/resources/$(echo "${class[$t]}" | tr . /)Inputs/$meth"
  corpus="$out/corpus/$t"
  findings="$out/findings/$t"
  mkdir -p "$corpus" "$findings"
  cp -n "$res"/* "$corpus"/ 2>/dev/null || true
  seed_count=$(find "$res" -type f | wc -l)
  log="$out/logs/$t.log"
  echo "fuzz: $t for ${seconds} s ($m, ${class[$t]}\$$nested) ..." >&2
  set +e
  # Logging off: the bag library logs every malformed definition with a stack trace, which
  # would cost more than the parsing.
  (cd "$out" && "${JAVA:-java}" --add-modules jdk.incubator.vector -Xmx2g \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=off -cp "${cp[$m]}" \
      com.code_intelligence.jazzer.Jazzer --target_class="${class[$t]}\$$nested" \
      --instrumentation_includes='org.diffeomotion.**' \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
      -artifact_prefix="$findings/" "$corpus") > "$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  n_find=$(find "$findings" -type f | wc -l)
  end_count=$(find "$corpus" -type f | wc -l)
  echo "| $t | $seconds | ${runs:-?} | ${speed:-?} | $seed_count -> $end_count | $n_find |" >> "$summary"
  if [ "$rc" != 0 ] || [ "$n_find" != 0 ]; then
    failed=1
    echo "fuzz: $t: FINDING (exit $rc), see $log and $findings/" >&2
    grep -m1 -A12 "== Java Exception\|FuzzerSecurityIssue\|ERROR: libFuzzer" "$log" >&2 || tail -20 "$log" >&2
  fi
done
cat "$summary"
exit $failed
