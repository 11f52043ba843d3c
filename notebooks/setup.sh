#!/usr/bin/env bash
# `npm run notebooks:setup`: installs what the notebooks need, and is safe to run again.
#   1. Jupyter from Debian's packages (jupyter-notebook, jupyter-nbconvert, jupyter-client, python3-ipykernel),
#      when missing. apt-get needs root: run as root, or with sudo available.
#   2. The tslab TypeScript kernel, pinned in notebooks/kernel/package.json, into notebooks/kernel/node_modules.
#   3. The kernel registered with Debian's Jupyter as "tslab" (system-wide as root, else for the user), running
#      this checkout's tslab: run it again after moving or re-cloning the repository.
# Options: --no-register skips step 3 (the notebook test uses a kernel spec of its own).
set -euo pipefail
# ipykernel (imported by tslab's installer) otherwise warns about frozen modules on Python 3.11.
export PYDEVD_DISABLE_FILE_VALIDATION=1
cd "$(dirname "$0")/.."
root="$(pwd)"
register=1
for arg in "$@"; do
  case "$arg" in
    --no-register) register=0 ;;
    *) echo "notebooks/setup.sh: unknown option $arg (expected --no-register)" >&2; exit 2 ;;
  esac
done

packages=(jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "Jupyter is missing (${missing[*]}): installing it needs root. Run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "Jupyter: $(/usr/bin/jupyter nbconvert --version 2>/dev/null | sed 's/^/nbconvert /')"

# tslab's zeromq ships prebuilt addons for linux x64/arm64: its install script (a source build fallback) is not needed.
kernel_dir="$root/notebooks/kernel"
tslab="$kernel_dir/node_modules/.bin/tslab"
installed="$kernel_dir/node_modules/.installed-lock.json" # the lockfile of the last install
if [ ! -x "$tslab" ] || ! cmp -s "$kernel_dir/package-lock.json" "$installed"; then
  echo "Installing tslab into notebooks/kernel"
  npm ci --prefix "$kernel_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
  cp "$kernel_dir/package-lock.json" "$installed"
fi
(cd "$kernel_dir" && node -e "require('zeromq')") || {
  echo "tslab's zeromq addon does not load on this platform ($(node -p 'process.platform + "-" + process.arch'))" >&2
  exit 1
}
echo "tslab: $("$tslab" --version 2>/dev/null || echo '?') at $tslab"

if [ "$register" -eq 1 ]; then
  scope=()
  [ "$(id -u)" -eq 0 ] || scope=(--user)
  "$tslab" install --python=/usr/bin/python3 --binary="$tslab" "${scope[@]}" >/dev/null
  /usr/bin/jupyter kernelspec list | grep -E '^\s+tslab\s' || {
    echo "The tslab kernel did not register with Jupyter" >&2
    exit 1
  }
fi
echo "Notebooks ready: jupyter notebook notebooks/ (kernel: TypeScript)"
