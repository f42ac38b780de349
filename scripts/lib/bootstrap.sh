# Sourced by the scripts: installs what the project needs from Debian 12 and
# builds it. Nothing is downloaded from anywhere else.

# Everything the build, the local run and the tests use. grpc-gateway's
# packages bring google/api/annotations.proto (the REST mapping) and the
# OpenAPI generator.
JIANGAN_PACKAGES=(g++ cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libsqlite3-dev libpq-dev libssl-dev libgtest-dev libgmock-dev redis-server
  libxlsxwriter-dev libh2o-evloop-dev libcurl4-openssl-dev
  golang-github-grpc-ecosystem-grpc-gateway-dev golang-grpc-gateway)
# What the tests need besides: PostgreSQL 15's server (every store and
# system test runs on it too, in a cluster made in a temporary folder), Python (reads back the Excel report, drives
# the browser), headless Chromium with its driver, CJK fonts so that the
# dashboard's screenshots show Chinese, curl (speaks HTTP/2 to the gateway),
# clang with its sanitizer runtimes and libFuzzer for the sanitized run, and
# podman with what it needs to build the images from a Debian base made
# here and play the Kubernetes manifests (the deploy test).
JIANGAN_TEST_PACKAGES=(python3 postgresql-15 chromium chromium-driver fonts-noto-cjk curl
  clang libclang-rt-14-dev libfuzzer-14-dev
  podman runc debootstrap uidmap python3-yaml)

# Installs the named Debian packages that are missing: as root with apt-get,
# otherwise prints the one command to run and exits.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Configures and builds into build/. Warnings are errors in CI.
build_project() {
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S . -B build -G Ninja -DJIANGAN_WERROR="$werror" >/dev/null
  cmake --build build -j "$(nproc)"
}

# Configures and builds into build-sanitize/ with clang under AddressSanitizer
# and UndefinedBehaviorSanitizer, with the libFuzzer targets.
build_sanitized() {
  CC=clang CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DJIANGAN_SANITIZE=ON >/dev/null
  cmake --build build-sanitize -j "$(nproc)"
}
