#!/usr/bin/env bash
# The sample infrastructure: lints examples/infra/appconfig.yaml with cfn-lint (PyPI), and
# checks that the feature-flags document it deploys is examples/checkout/flags.json.
#
#   scripts/test-infra.sh
#
# The first run creates a venv with the pinned cfn-lint at $FF_CFN_LINT_VENV, or else
# ${XDG_CACHE_HOME:-$HOME/.cache}/ff/cfn-lint-$VERSION (reused by later runs and by every
# checkout of ff). Needs python3 (3.9+) with the venv module, and PyPI the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.58.0
VENV="${FF_CFN_LINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ff/cfn-lint-$VERSION}"
PYTHON="${PYTHON:-python3}"
TEMPLATE=examples/infra/appconfig.yaml
DOCUMENT=examples/checkout/flags.json

ready() {
    [[ -x "$VENV/bin/cfn-lint" ]] &&
        "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('cfn-lint') != '$VERSION')" 2>/dev/null
}

if ! ready; then
    mkdir -p "$(dirname "$VENV")"
    (
        # One installer at a time (parallel test runs share the venv).
        if command -v flock >/dev/null; then flock 9; fi
        ready && exit 0
        echo "test-infra: installing cfn-lint==$VERSION into $VENV" >&2
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$VERSION"
    ) 9>"$VENV.lock"
    ready || { echo "test-infra: $VENV does not hold cfn-lint $VERSION after installing" >&2; exit 1; }
fi

echo "== cfn-lint $VERSION $TEMPLATE"
"$VENV/bin/cfn-lint" --format parseable -- "$TEMPLATE"

echo "== the template deploys $DOCUMENT"
# cfn-lint brings PyYAML; CloudFormation's short tags (!Ref, !Sub) are read as plain values.
"$VENV/bin/python" - "$TEMPLATE" "$DOCUMENT" <<'PY'
import json, sys, yaml

class Loader(yaml.SafeLoader):
    pass

Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
with open(sys.argv[1], encoding="utf-8") as f:
    template = yaml.load(f, Loader=Loader)
with open(sys.argv[2], encoding="utf-8") as f:
    expected = json.load(f)

resources = template["Resources"]
versions = [r for r in resources.values() if r["Type"] == "AWS::AppConfig::HostedConfigurationVersion"]
profiles = [r for r in resources.values() if r["Type"] == "AWS::AppConfig::ConfigurationProfile"]
problems = []
if len(versions) != 1:
    problems.append(f"expected one hosted configuration version, found {len(versions)}")
elif json.loads(versions[0]["Properties"]["Content"]) != expected:
    problems.append(f"the hosted configuration version's Content is not {sys.argv[2]}")
elif versions[0]["Properties"].get("ContentType") != "application/json":
    problems.append("the hosted configuration version's ContentType is not application/json")
if len(profiles) != 1 or profiles[0]["Properties"].get("Type") != "AWS.Freeform" \
        or profiles[0]["Properties"].get("LocationUri") != "hosted":
    problems.append("expected one hosted configuration profile of type AWS.Freeform")
for kind in ("Application", "Environment", "DeploymentStrategy", "Deployment"):
    if not any(r["Type"] == f"AWS::AppConfig::{kind}" for r in resources.values()):
        problems.append(f"no AWS::AppConfig::{kind}")
for problem in problems:
    print(f"{sys.argv[1]}: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"{sys.argv[1]}: deploys {sys.argv[2]} ({len(expected)} features) to a hosted freeform profile")
PY
echo "infra: 2 passed, 0 failed"
