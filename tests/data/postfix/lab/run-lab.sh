#!/bin/sh
# Runs a private Postfix 3.7 (Debian's package) on loopback and writes real logs for the fixtures beside this
# folder: deferrals, bounces, expiry, a content-filter hop (re-injection on 127.0.0.1:10025), a local forward,
# virtual/local/lmtp/pipe/discard/error/retry deliveries, address-verification probes, `sendmail -bv`,
# postsuper, a second instance named postfix-out, and the stamps of syslog (classic, RFC 3339, RFC 5424 via
# rsyslog, its APP-NAME with the daemon: permitSlashInProgramName) and of Postfix's own maillog_file. Everything listens on 127.0.0.x only; the rest of the internet is
# sink.py on 127.0.0.2 (127.0.0.3 refuses connections: a dead site). Needs root, postfix and rsyslog.
# Usage: sh run-lab.sh OUTDIR   (then trim.py OUTDIR turns the logs into fixtures)
set -eu
OUT=$(realpath "$1"); mkdir -p "$OUT"
HERE=$(dirname "$(realpath "$0")")
LAB=/srv/pfx-lab
rm -rf "$LAB"; mkdir -p "$LAB"
A=$LAB/a; B=$LAB/out
for d in $A $B; do mkdir -p $d/etc $d/spool $d/data; chown postfix $d/data; done
mkdir -p $LAB/vmail $LAB/mbox; chown nobody:nogroup $LAB/vmail; chmod 1777 $LAB/mbox

common() {  # $1 config dir, $2 queue dir, $3 data dir
cat <<CONF
compatibility_level = 3.6
queue_directory = $2
data_directory = $3
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
smtputf8_enable = yes
minimal_backoff_time = 3s
maximal_backoff_time = 6s
queue_run_delay = 3s
smtp_connect_timeout = 3s
CONF
}

# -- instance A: the organisation's mail server ------------------------------------------------------
{ common $A/etc $A/spool $A/data; cat <<CONF
myhostname = mail.dewerf.be
mydomain = dewerf.be
myorigin = mail.dewerf.be
mydestination = mail.dewerf.be, localhost
alias_maps = hash:$A/etc/aliases
alias_database = hash:$A/etc/aliases
virtual_mailbox_domains = dewerf.be
virtual_mailbox_base = $LAB/vmail
virtual_mailbox_maps = hash:$A/etc/vmailbox
virtual_alias_maps = hash:$A/etc/virtual
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
transport_maps = hash:$A/etc/transport
maximal_queue_lifetime = 40s
bounce_queue_lifetime = 40s
allow_mail_to_files = alias
allow_mail_to_commands = alias
default_privs = nobody
CONF
} > $A/etc/main.cf
cp /etc/postfix/master.cf $A/etc/master.cf
sed -i 's/^smtp      inet/#smtp      inet/' $A/etc/master.cf
cat >> $A/etc/master.cf <<'CONF'
127.0.0.1:2525 inet n - n - - smtpd -o content_filter=scan:[127.0.0.1]:10025
127.0.0.1:2587 inet n - n - - smtpd -o syslog_name=postfix/submission -o content_filter=scan:[127.0.0.1]:10025
127.0.0.1:2526 inet n - n - - smtpd -o smtpd_recipient_restrictions=reject_unverified_recipient,permit_mynetworks,reject
scan unix - - n - 10 smtp -o smtp_send_xforward_command=yes -o disable_mime_output_conversion=yes
127.0.0.1:10025 inet n - n - - smtpd -o content_filter= -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks -o smtpd_recipient_restrictions=permit_mynetworks,reject
mypipe unix - n n - - pipe flags=R user=nobody argv=/bin/true
CONF
cat > $A/etc/aliases <<'CONF'
postmaster: root
root: /srv/pfx-lab/mbox/root
fwd.jan: jan.thuis@gmail.example
archief: /srv/pfx-lab/mbox/archief
robot: "|/bin/cat > /dev/null"
CONF
cat > $A/etc/vmailbox <<'CONF'
jan.peeters@dewerf.be jan.peeters/
an.claes@dewerf.be an.claes/
eva.willems@dewerf.be eva.willems/
jörg.müller@dewerf.be joerg.mueller/
CONF
cat > $A/etc/virtual <<'CONF'
verkoop@dewerf.be an.claes@dewerf.be, eva.willems@dewerf.be
jan.thuis@dewerf.be fwd.jan@localhost
CONF
cat > $A/etc/transport <<'CONF'
gmail.example smtp:[127.0.0.2]:2500
partner.example smtp:[127.0.0.2]:2500
dood.example smtp:[127.0.0.3]:2500
trash.example discard:silently dropped
nergens.example error:5.1.2 no such domain here
traag.example retry:4.4.1 try again later
lmtp.example lmtp:[127.0.0.2]:2424
pijp.example mypipe:
buiten.example smtp:[127.0.0.1]:2626
CONF
# -- instance B: a second Postfix, as postmulti would name it -----------------------------------------
{ common $B/etc $B/spool $B/data; cat <<CONF
syslog_name = postfix-out
myhostname = mail.dewerf.be
mydestination =
relayhost = [127.0.0.2]:2500
master_service_disable =
CONF
} > $B/etc/main.cf
cp /etc/postfix/master.cf $B/etc/master.cf
sed -i 's/^smtp      inet/#smtp      inet/; s/^pickup/#pickup/' $B/etc/master.cf
echo '127.0.0.1:2626 inet n - n - - smtpd' >> $B/etc/master.cf
postconf -c $A/etc -F '*/*/chroot = n'; postconf -c $B/etc -F '*/*/chroot = n'
for f in aliases; do postalias $A/etc/$f; done
for f in vmailbox virtual transport; do postmap $A/etc/$f; done
touch $B/etc/aliases; postalias $B/etc/aliases
echo "alias_maps = hash:$B/etc/aliases" >> $B/etc/main.cf
echo "alias_database = hash:$B/etc/aliases" >> $B/etc/main.cf

# -- logging: rsyslog writes the mail facility in three stamp styles ----------------------------------
cat > $LAB/rsyslog.conf <<CONF
module(load="imuxsock" SysSock.Name="/dev/log")
global(parser.permitSlashInProgramName="on")
mail.* -$OUT/mail.log;RSYSLOG_TraditionalFileFormat
mail.* -$OUT/mail-rfc3339.log;RSYSLOG_FileFormat
mail.* -$OUT/mail-rfc5424.log;RSYSLOG_SyslogProtocol23Format
CONF
rsyslogd -f $LAB/rsyslog.conf -i $LAB/rsyslog.pid
python3 "$HERE/sink.py" 127.0.0.2 2500 & SINK=$!
python3 "$HERE/sink.py" 127.0.0.2 2424 lmtp & LMTP=$!
sleep 1
postfix -c $A/etc set-permissions >/dev/null 2>&1 || true
postfix -c $A/etc check; postfix -c $B/etc check
postfix -c $A/etc start; postfix -c $B/etc start
sleep 2
python3 "$HERE/send.py" $A/etc
sleep 60   # retries, expiry (40 s), the dead site's suspension
postqueue -c $A/etc -f; sleep 8
postfix -c $A/etc stop; postfix -c $B/etc stop; sleep 2

# -- the same server once more, logging through Postfix's own maillog_file (postlogd) ---------------
cat >> $A/etc/main.cf <<CONF
maillog_file_prefixes = $OUT
maillog_file = $OUT/maillog_file.log
CONF
postfix -c $A/etc start; sleep 2
python3 "$HERE/send.py" $A/etc short
sleep 10
postfix -c $A/etc stop; sleep 2
kill $SINK $LMTP
kill "$(cat $LAB/rsyslog.pid)"; sleep 1; rm -f /dev/log
echo "logs in $OUT"
