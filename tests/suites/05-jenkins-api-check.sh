#!/usr/bin/env bash
# The Jenkins API stubs against the real API (Jenkins 2.541.3 and its plugin releases), and the
# packaged artifacts against the stubs:
#  1. ../shared/tools/jenkins-api-check: 0 errors, and no warning that a type the plugin (or its
#     tests) extends or implements leaves out an abstract method or interface of the real type;
#  2. no stub class is inside any jar the build packages (the plugin takes the stubs as provided).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
checker=../shared/tools/jenkins-api-check
[ -x "$checker" ] || { echo "05-jenkins-api-check: $checker is missing (the shared tools beside the project)" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
"$checker" --no-notes jenkins-stubs/src/main/java >"$out" 2>&1 || status=$?
tail -n 1 "$out"
if [ "$status" -ne 0 ] || grep -q '^ERROR' "$out"; then
  grep '^ERROR' "$out" >&2 || cat "$out" >&2
  echo "05-jenkins-api-check: the stubs contradict the real Jenkins API" >&2
  exit 1
fi

# Jenkins types the plugin's classes extend or implement (main and test sources): the names in the
# extends/implements clauses with their type arguments removed, so TransientActionFactory<Job>
# counts TransientActionFactory, not Job (the plugin does not subclass Job).
extended=$(grep -rhoE '(extends|implements)[[:space:]]+[A-Z][A-Za-z0-9_.]*(<[^{]*)?' plugin/src \
  | sed -e ':strip' -e 's/<[^<>]*>//g' -e 't strip' \
  | grep -oE '[A-Z][A-Za-z0-9_]*' | sort -u)
bad=0
while IFS= read -r line; do
  type=$(printf '%s\n' "$line" | sed -nE 's/^WARNING [^ ]+: ([a-zA-Z0-9_.]+)[: ].*/\1/p')
  simple=${type##*.}
  if [ -n "$simple" ] && printf '%s\n' "$extended" | grep -qx "$simple"; then
    echo "$line" >&2
    bad=1
  fi
done < <(grep -E '^WARNING .*(must implement|omits interface)' "$out")
if [ "$bad" -ne 0 ]; then
  echo "05-jenkins-api-check: a stub the plugin extends or implements leaves out part of the real type" >&2
  exit 1
fi
echo "jenkins-api-check: no gap in the types the plugin extends or implements ($(printf '%s\n' "$extended" | wc -l) names checked)"

# No stub class in any packaged artifact.
jars=(cli/target/*.jar plugin/target/*.jar core/target/*.jar)
present=()
for j in "${jars[@]}"; do [ -f "$j" ] && present+=("$j"); done
if [ ${#present[@]} -lt 3 ]; then
  echo "05-jenkins-api-check: packaging the modules to inspect their jars"
  mvn -B -q -ntp -DskipTests package -pl core,cli,plugin -am
  present=()
  for j in cli/target/*.jar plugin/target/*.jar core/target/*.jar; do [ -f "$j" ] && present+=("$j"); done
fi
stubs=$(cd jenkins-stubs/src/main/java && find . -name '*.java' | sed -e 's#^\./##' -e 's#\.java$#.class#')
leaked=0
for j in "${present[@]}"; do
  listing=$(unzip -Z1 "$j")
  while IFS= read -r cls; do
    if printf '%s\n' "$listing" | grep -qxF "$cls"; then
      echo "05-jenkins-api-check: stub class $cls is packaged in $j" >&2
      leaked=1
    fi
  done <<<"$stubs"
done
[ "$leaked" -eq 0 ] || exit 1
echo "packaging: no stub class ($(printf '%s\n' "$stubs" | wc -l) of them) in ${#present[@]} jars: ${present[*]}"
