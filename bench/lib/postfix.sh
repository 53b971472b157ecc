# Shared by the benchmarks that run Postfix side by side with pigeon (source it).
#
# wait_port PORT                      until something accepts on 127.0.0.1:PORT (exits if not)
# start_private_postfix DIR PORT [MAIN_CF_LINES]
#   A private Postfix instance (postfix -c DIR/etc, queue in DIR/spool) listening on
#   127.0.0.1:PORT, delivering mail for example.test with local(8) to the Maildir
#   DIR/Maildir as nobody (user@example.test); MAIN_CF_LINES are appended to main.cf.
# stop_private_postfix DIR

wait_port() {
  for _ in $(seq 200); do
    /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench: nothing listens on port $1" >&2
  exit 1
}

start_private_postfix() {
  local dir=$1 port=$2 extra=${3:-}
  rm -rf "$dir" && mkdir -p "$dir/etc" "$dir/spool" "$dir/lib" "$dir/Maildir"/{cur,new,tmp}
  chown -R nobody:nogroup "$dir/Maildir"
  chown postfix "$dir/lib"
  cat > "$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/lib
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.example.test
mydomain = example.test
myorigin = example.test
mydestination = example.test
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
alias_maps = hash:$dir/etc/aliases
alias_database = hash:$dir/etc/aliases
local_recipient_maps = \$alias_maps
default_privs = nobody
mailbox_size_limit = 0
message_size_limit = 0
biff = no
append_dot_mydomain = no
maillog_file = $dir/maillog
$extra
CONF
  cat > "$dir/etc/master.cf" <<CONF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
  echo "user: $dir/Maildir/" > "$dir/etc/aliases"
  postalias -c "$dir/etc" "$dir/etc/aliases"
  postfix -c "$dir/etc" check
  postfix -c "$dir/etc" start >/dev/null 2>&1
  wait_port "$port"
}

stop_private_postfix() {
  [ -d "$1/etc" ] && postfix -c "$1/etc" stop >/dev/null 2>&1
  sleep 1
}
