# Sourced by the scripts: makes (once, kept) the credentials of a local
# system in a folder: identity.key, the key the gateway signs identities
# with and the services check; tokens.env, a bearer token per local caller;
# principals.json, the gateway's list of callers with only the tokens'
# SHA-256. Sets ADMIN_TOKEN, HOUSING_EDITOR_TOKEN and VIEWER_TOKEN.
write_credentials() {
  local dir=$1
  mkdir -p "$dir"
  local old_umask
  old_umask=$(umask)
  umask 077
  [ -s "$dir/identity.key" ] || head -c 48 /dev/urandom | base64 -w0 >"$dir/identity.key"
  if [ ! -s "$dir/tokens.env" ]; then
    local name
    for name in ADMIN_TOKEN HOUSING_EDITOR_TOKEN VIEWER_TOKEN; do
      echo "$name=$(head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_')"
    done >"$dir/tokens.env"
  fi
  source "$dir/tokens.env"
  sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
  cat >"$dir/principals.json" <<JSON
{"principals": [
  {"principal": "admin@local", "department": "区人民政府办公室", "role": "ADMIN",
   "tokenSha256": "$(sha "$ADMIN_TOKEN")"},
  {"principal": "editor@housing.local", "department": "区住房和城市更新局", "role": "EDITOR",
   "tokenSha256": "$(sha "$HOUSING_EDITOR_TOKEN")"},
  {"principal": "viewer@local", "department": "区发展和改革局", "role": "VIEWER",
   "tokenSha256": "$(sha "$VIEWER_TOKEN")"}
]}
JSON
  umask "$old_umask"
}
