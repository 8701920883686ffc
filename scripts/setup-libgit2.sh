#!/usr/bin/env bash
# Makes sure libgit2's development files, and pkg-config which finds them, are installed:
# rectrack's build needs both. Installs them with apt-get when missing (with sudo when not run
# as root); says plainly what to do when that is impossible. Used by scripts/tour.sh and .ci/run.
# Usage: bash scripts/setup-libgit2.sh        (exit 0 when ready, 2 when it could not be done)
set -euo pipefail

ready() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2 2>/dev/null; }
cannot() {
  echo "rectrack needs libgit2 (1.5 or later) and pkg-config to build, and $1." >&2
  echo "Install them yourself (Debian or Ubuntu: sudo apt-get install libgit2-dev pkg-config;" >&2
  echo "Fedora: sudo dnf install libgit2-devel pkgconf; macOS: brew install libgit2 pkg-config)," >&2
  echo "then run this command again." >&2
  exit 2
}

ready && exit 0
command -v apt-get >/dev/null 2>&1 || cannot "this machine has no apt-get to install them with"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || cannot "installing them needs root, but you are not root and sudo is missing"
  # sudo may ask for a password only when someone can type it.
  if ! sudo -n true 2>/dev/null && ! [ -t 0 ]; then
    cannot "installing them needs sudo, which wants a password, and there is no terminal to type it in"
  fi
  sudo=(sudo)
fi
echo "== Installing libgit2-dev and pkg-config with apt-get (${sudo[*]:-as root})"
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get update -qq || ! "${sudo[@]}" apt-get install -y -qq libgit2-dev pkg-config >/dev/null
then
  cannot "apt-get could not install them (messages above)"
fi
ready || cannot "pkg-config still finds no libgit2 after installing libgit2-dev"
