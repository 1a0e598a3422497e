#!/usr/bin/env bash
# scripts/dovecot-test.sh start|stop|status|env
#
# A throwaway IMAP server for the email intake tests: Debian's dovecot-imapd on loopback, with its own
# config, a passwd-file user and maildirs in a temporary directory. Nothing of the machine's own dovecot
# (if any) is used or touched.
#
#   scripts/dovecot-test.sh start          # installs dovecot-imapd if missing (apt-get), starts it
#   eval "$(scripts/dovecot-test.sh env)"  # exports TEST_IMAP_URL / TEST_IMAP_USER / TEST_IMAP_PASSWORD
#   scripts/dovecot-test.sh stop
#
# Settings (environment): DOVECOT_PORT (51143), DOVECOT_TEST_DIR (/tmp/rosedesk-dovecot-test).
# Plain-text login without TLS is allowed: loopback only, for tests only.
set -euo pipefail

BASE=${DOVECOT_TEST_DIR:-/tmp/rosedesk-dovecot-test}
PORT=${DOVECOT_PORT:-51143}
USER_NAME=desk
PASSWORD=desk-test-password
CONF=$BASE/dovecot.conf

log() { printf 'dovecot-test: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

dovecot_bin() { command -v dovecot 2>/dev/null || { [ -x /usr/sbin/dovecot ] && echo /usr/sbin/dovecot; } || true; }

install_missing() {
  [ -n "$(dovecot_bin)" ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install dovecot-imapd"
    sudo=(sudo)
  fi
  log "installing dovecot-imapd with apt-get"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null
  [ -n "$(dovecot_bin)" ] || die "dovecot is still missing after apt-get install"
}

listening() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$PORT" 2>/dev/null; }

write_config() {
  local uid gid login_user internal_user
  mkdir -p "$BASE/run" "$BASE/state" "$BASE/mail"
  # Mail is stored as the invoking user (root needs an unprivileged owner: dovecot refuses uid 0 for mail).
  if [ "$(id -u)" -eq 0 ]; then
    uid=$(id -u dovecot 2>/dev/null || id -u nobody); gid=$(id -g dovecot 2>/dev/null || id -g nobody)
    chown -R "$uid:$gid" "$BASE/mail"
  else
    uid=$(id -u); gid=$(id -g)
  fi
  login_user=$(id -un dovenull 2>/dev/null || id -un)
  internal_user=$(id -un dovecot 2>/dev/null || id -un)
  printf '%s:{PLAIN}%s:%s:%s::%s/mail/%s\n' "$USER_NAME" "$PASSWORD" "$uid" "$gid" "$BASE" "$USER_NAME" >"$BASE/passwd"
  cat >"$CONF" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $BASE/run
state_dir = $BASE/state
instance_name = rosedesk-test-$PORT
log_path = $BASE/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $BASE/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $BASE/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
CONF
}

case "${1:-}" in
  start)
    install_missing
    if listening; then log "something already answers on 127.0.0.1:$PORT"; exit 0; fi
    write_config
    # The daemon must not keep our stdout/stderr open (callers wait for them to close).
    "$(dovecot_bin)" -c "$CONF" </dev/null >"$BASE/start.log" 2>&1 \
      || { cat "$BASE/start.log" >&2; tail -n 20 "$BASE/dovecot.log" >&2 || true; die "dovecot did not start"; }
    for _ in $(seq 50); do listening && break; sleep 0.1; done
    listening || { tail -n 20 "$BASE/dovecot.log" >&2 || true; die "dovecot is not listening on $PORT"; }
    log "dovecot $("$(dovecot_bin)" --version | awk '{print $1}') listening on 127.0.0.1:$PORT (user $USER_NAME)"
    ;;
  stop)
    if [ -f "$CONF" ] && [ -n "$(dovecot_bin)" ]; then
      "$(dovecot_bin)" -c "$CONF" stop 2>/dev/null || true
      for _ in $(seq 50); do listening || break; sleep 0.1; done
    fi
    ;;
  status)
    if listening; then echo "dovecot: up on 127.0.0.1:$PORT"; else echo "dovecot: down"; exit 1; fi
    ;;
  env)
    printf 'export TEST_IMAP_URL=imap://127.0.0.1:%s\n' "$PORT"
    printf 'export TEST_IMAP_USER=%s\n' "$USER_NAME"
    printf 'export TEST_IMAP_PASSWORD=%s\n' "$PASSWORD"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
