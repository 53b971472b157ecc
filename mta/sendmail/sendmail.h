// The sendmail-compatible entry point (sendmail, mailq, newaliases, pigeon-sendmail): what
// scripts, cron, git send-email and mail programs run. Every mode works without pigeond: a
// message is durably queued in the store and goes out when pigeond runs.
#pragma once

namespace pigeon::mta::sendmail {

// Exit status per sysexits.h (see sendmail_options.h); every failure also prints one line on
// standard error, "sendmail: …".
int RunSendmail(int argc, char** argv);

}  // namespace pigeon::mta::sendmail
