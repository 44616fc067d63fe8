#!/usr/bin/env bash
# The project's own acceptance test: the README's main job, end to end, on this machine.
# Runs `vault pipeline run examples/demo/pipeline.yaml` twice in a scratch working directory that
# links to the repository's examples/, policies/ and scripts/ (so vault-runs/ and vault-images/ land
# there, not in the checkout): real Packer and Ansible, the recorded stand-in GPU evidence, the
# gate, and the promotion, which the second run must leave unchanged. Then a pipeline file with an
# unknown stage must be refused before anything runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in examples policies scripts; do ln -s "$root/$d" "$work/$d"; done
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" "$1" || { tail -n 40 "$1" >&2; fail "$1 lacks: $2"; }; }

"$root/vault" pipeline run examples/demo/pipeline.yaml >run1.log 2>&1 || { tail -n 60 run1.log >&2; fail "first run exited $?"; }
expect run1.log "== [1/9] packer (packer-build)"
expect run1.log "== packer: SUCCEEDED"
expect run1.log "== ansible: SUCCEEDED"
expect run1.log "== inventory: SUCCEEDED"
expect run1.log "made a DEMO signing key"
expect run1.log "== gpu: RECORDED"
expect run1.log "evidence read from examples/evidence/demo-box-stand-in/stress, not measured now"
expect run1.log "Recorded evidence, not measured in this run: stage stress"
expect run1.log "== gate: SUCCESS"
expect run1.log "== promote: PROMOTED"
expect run1.log "verdict: SUCCESS"
expect run1.log "note: stage(s) gpu, bench-ddp, bench-vllm, stress read RECORDED evidence"
expect run1.log "image (promote): PROMOTED"

version=vault-images/vault-cube-demo/0.1.0-demo
[ -f "$version/vault-cube-demo.img" ] || fail "no promoted image in $version"
[ "$(readlink vault-images/vault-cube-demo/channels/candidate 2>/dev/null || true)" != "" ] \
  || [ -e vault-images/vault-cube-demo/channels/candidate ] || fail "no candidate channel"
(cd "$version" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c rejects the promoted SHA256SUMS"
# The version carries an SBOM and a signed provenance statement that OpenSSH alone verifies.
for f in sbom.cdx.json provenance.intoto.json provenance.intoto.json.sig SHA256SUMS.sig; do
  [ -s "$version/$f" ] || fail "the promoted version has no $f"
done
grep -q '"bomFormat" : "CycloneDX"' "$version/sbom.cdx.json" || fail "sbom.cdx.json is not CycloneDX"
grep -q '"name" : "dpkg"' "$version/sbom.cdx.json" || fail "the SBOM does not list the demo host's dpkg package"
signers=vault-demo-signing/allowed_signers
for f in provenance.intoto.json SHA256SUMS; do
  ssh-keygen -Y verify -f "$signers" -I vault-demo@example.invalid -n vault-image -s "$version/$f.sig" <"$version/$f" >/dev/null \
    || fail "ssh-keygen -Y verify rejects $f"
done
evidence=$(sed -n 's/^evidence: //p' run1.log)
for f in inventory/dpkg-query.txt inventory/metrics.json gate/report.html gate/report.css gate/report.json gate/junit.xml ansible/metrics.json packer/packer-build.log stress/telemetry.csv; do
  [ -s "$evidence/$f" ] || fail "missing $evidence/$f"
done
grep -q '"verdict" *: *"SUCCESS"' "$evidence/gate/report.json" || fail "the JSON report does not say SUCCESS"

"$root/vault" pipeline run examples/demo/pipeline.yaml >run2.log 2>&1 || { tail -n 40 run2.log >&2; fail "second run exited $?"; }
expect run2.log "== promote: UNCHANGED"
expect run2.log "already promoted with the same files"
"$root/vault" images verify --repo vault-images --allowed-signers "$signers" >verify.log 2>&1 \
  || { cat verify.log >&2; fail "vault images verify --allowed-signers"; }
expect verify.log "SIGNED  vault-cube-demo/0.1.0-demo"

# A pipeline file with an unknown stage kind is refused, with file and line, before anything runs.
sed 's/run: provision/run: provisoin/' examples/demo/pipeline.yaml >broken.yaml
runs_before=$(find vault-runs -maxdepth 1 -mindepth 1 | wc -l)
set +e
"$root/vault" pipeline run broken.yaml >broken.log 2>&1
code=$?
set -e
[ "$code" -eq 2 ] || { cat broken.log >&2; fail "a broken pipeline file exited $code, not 2"; }
expect broken.log "broken.yaml:"
expect broken.log "unknown stage kind 'provisoin' (did you mean 'provision'?)"
[ "$(find vault-runs -maxdepth 1 -mindepth 1 | wc -l)" -eq "$runs_before" ] || fail "the broken pipeline started a run"
echo "demo pipeline: two runs (promoted, then unchanged) and a refused file, as expected"
