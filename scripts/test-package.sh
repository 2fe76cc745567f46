#!/usr/bin/env bash
# Checks that the library crates, ff-runtime, ff-build, ff-macros and ff-openfeature, can be published to
# crates.io, and that what would be published works on its own:
#
# 1. their manifests: description, license, readme, keywords (at most 5), categories,
#    rust-version (the workspace's), docs.rs metadata documenting every feature, no
#    placeholder URL, versions on the path dependencies between them; every other crate
#    (ff-cli, tests, examples, docs, bench, fuzz) has `publish = false`;
# 2. `cargo package` of the four (cargo builds each package from its own files, against
#    the others as packaged);
# 3. `cargo test` (unit, integration and doctests) of the packages as packaged, in a
#    workspace outside the repository, so a file included from outside a package (a README
#    doctest, a fixture) fails here instead of for users.
#
#   scripts/test-package.sh
#
# Needs network access to crates.io only (the index, and crates not yet in the local
# cache). Ends with one line counting the crates: `package: 4 passed, 0 failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
crates=(ff-runtime ff-build ff-macros ff-openfeature)

work="$(mktemp -d)"
packages=""
trap 'rm -rf "$work" ${packages:+"$packages"}' EXIT
declare -A failed=()  # library crates that failed a check
others=0              # problems of the other crates
fail() { # crate, reason
    echo "FAILED $1: $2"
    failed[$1]=1
}

echo "== manifests"
cargo metadata --locked --format-version 1 --no-deps >"$work/metadata.json"
cargo metadata --format-version 1 --no-deps --manifest-path fuzz/Cargo.toml >"$work/fuzz.json"
target=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target_directory"])' "$work/metadata.json")
python3 - "$work/metadata.json" "$work/fuzz.json" "${crates[@]}" >"$work/manifests.txt" <<'EOF'
import json, os, sys

workspace, fuzz, libraries = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3:]
packages = {p["name"]: p for p in workspace["packages"] + fuzz["packages"]}
problems = []  # (crate, message)

rust_versions = {packages[c].get("rust_version") for c in libraries}
for name, p in packages.items():
    if name not in libraries:
        if p.get("publish") != []:
            problems.append((name, "not a library crate: needs `publish = false`"))
        continue
    if p.get("publish") is not None:
        problems.append((name, f"publish = {p['publish']}: must be publishable to crates.io"))
    for field in ("description", "license", "readme", "rust_version"):
        if not p.get(field):
            problems.append((name, f"no `{field.replace('_', '-')}`"))
    if len(rust_versions) != 1:
        problems.append((name, f"rust-version {p.get('rust_version')}: the library crates differ ({sorted(map(str, rust_versions))})"))
    readme = p.get("readme")
    crate_dir = os.path.dirname(p["manifest_path"])
    if readme and not os.path.isfile(os.path.join(crate_dir, readme)):
        problems.append((name, f"readme {readme} does not exist"))
    if not 1 <= len(p.get("keywords", [])) <= 5:
        problems.append((name, f"{len(p.get('keywords', []))} keywords: crates.io takes 1 to 5"))
    if not p.get("categories"):
        problems.append((name, "no `categories`"))
    for field in ("repository", "homepage", "documentation"):
        url = p.get(field) or ""
        if "example." in url or ".invalid" in url or "localhost" in url:
            problems.append((name, f"placeholder URL in `{field}`: {url}"))
    docs_rs = ((p.get("metadata") or {}).get("docs") or {}).get("rs")
    features = sorted(set(p["features"]) - {"default"})
    if docs_rs is None:
        problems.append((name, "no [package.metadata.docs.rs]"))
    elif not docs_rs.get("all-features"):
        missing = sorted(set(features) - set(docs_rs.get("features", [])))
        if missing:
            problems.append((name, f"docs.rs does not document the features {missing}"))
    for dep in p["dependencies"]:
        if dep["name"] in libraries and dep["kind"] != "dev" and dep["req"] == "*":
            problems.append((name, f"dependency {dep['name']} has a path but no version"))

for crate, message in problems:
    print(f"{crate}\t{message}")
EOF
while IFS=$'\t' read -r crate message; do
    if [[ " ${crates[*]} " == *" $crate "* ]]; then
        fail "$crate" "$message"
    else
        echo "FAILED $crate: $message"
        others=$((others + 1))
    fi
done <"$work/manifests.txt"

args=()
for crate in "${crates[@]}"; do args+=(-p "$crate"); done
echo "== cargo package ${args[*]}"
packaged=true
# --allow-dirty: the working tree as it is, uncommitted changes included (as the other tests).
# Cargo never unpacks or rebuilds a registry crate of the same version again, and the packages
# are verified as crates of a local registry: clear what an earlier run packaged, verified and
# unpacked (under CARGO_HOME, in a folder named after that registry's path), or its ff-runtime
# 0.1.0 would be reused.
# The verification builds go to a target directory of their own, where every ff crate is a
# registry crate: their fingerprints are dropped, their dependencies kept.
verify="$target/package-verify"
rm -rf "$verify/package" "$verify"/debug/.fingerprint/ff-* "$verify"/debug/deps/libff_* "$verify"/debug/deps/ff_*
for crate in "${crates[@]}"; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/"$crate"-[0-9]*
done
if ! CARGO_TARGET_DIR="$verify" cargo package --locked --allow-dirty "${args[@]}" >"$work/package.log" 2>&1; then
    packaged=false
    grep -v '^ *Compiling ' "$work/package.log" | tail -40 | sed 's/^/    /'
    for crate in "${crates[@]}"; do fail "$crate" "cargo package failed"; done
else
    grep -E '^ *(Packaged|Verifying|warning)' "$work/package.log" || true
fi

# The packages as a user's build sees them: their own files only, depending on each other
# through their published versions (patched to the packages), with the workspace's lock.
if $packaged; then
    echo "== cargo test of the packages"
    # Outside the repository, so that nothing in it can be reached from a package, and at a
    # path that stays the same from run to run: cargo reuses the test binaries from the
    # target directory, and env!("CARGO_MANIFEST_DIR") in them must still be right.
    packages="${TMPDIR:-/tmp}/ff-test-package-$(printf '%s' "$target" | cksum | cut -d' ' -f1)"
    rm -rf "$packages"
    mkdir -p "$packages"
    {
        echo '[workspace]'
        echo 'resolver = "2"'
        echo "members = [$(printf '"%s", ' "${crates[@]}")]"
        echo
        echo '[patch.crates-io]'
    } >"$packages/Cargo.toml"
    for crate in "${crates[@]}"; do
        version=$(python3 -c 'import json,sys; print(next(p["version"] for p in json.load(open(sys.argv[1]))["packages"] if p["name"] == sys.argv[2]))' "$work/metadata.json" "$crate")
        tar -xzf "$verify/package/$crate-$version.crate" -C "$packages"
        mv "$packages/$crate-$version" "$packages/$crate"
        rm "$packages/$crate/Cargo.lock"
        # A package's files keep the times they were packaged with: new times, so that cargo
        # rebuilds the crate instead of reusing the build of an earlier package at this path.
        find "$packages/$crate" -type f -exec touch {} +
        echo "$crate = { path = \"$crate\" }" >>"$packages/Cargo.toml"
    done
    cp Cargo.lock "$packages/Cargo.lock"
    for crate in "${crates[@]}"; do
        # The workspace's target directory, so that later runs reuse the dependencies.
        if (cd "$packages" && CARGO_TARGET_DIR="$target" cargo test -p "$crate") >"$work/test-$crate.log" 2>&1; then
            awk -v crate="$crate" '/^test result: /{p += $4; f += $6} END {printf "%s: %d tests passed, %d failed\n", crate, p, f}' "$work/test-$crate.log"
        else
            grep -vE '^ *(Compiling|Locking|Adding|Removing|Downgrading|Updating) ' "$work/test-$crate.log" | grep -v '^test .* ok$' | tail -30 | sed 's/^/    /'
            fail "$crate" "cargo test of the package failed"
        fi
    done
fi

passed=0
for crate in "${crates[@]}"; do
    [[ -n ${failed[$crate]:-} ]] || passed=$((passed + 1))
done
((others == 0)) || echo "package: $others problems in the crates that are not published"
echo "package: $passed passed, ${#failed[@]} failed"
((${#failed[@]} == 0 && others == 0))
