// `sendmail -bs`: an SMTP session on standard input and output (Postfix's meaning), for mail
// programs that prefer to speak SMTP to a local program. The same session code as pigeond's
// listener, with the local user trusted as a local submission (relay allowed, no AUTH, no
// TLS); each accepted message goes through the one submission path.
#pragma once

#include "common/config/config.h"
#include "mta/policy/recipient_policy.h"
#include "mta/submit/submitter.h"

namespace pigeon::mta::sendmail {

// Returns the exit status: 0 after QUIT or end of input, 74 (EX_IOERR) when writing fails.
// `base` holds what every message shares (origin, submitted_by).
int RunSmtpOnStdio(const config::Config& config, const policy::RecipientPolicy& policy,
                   submit::Submitter& submitter, const submit::Submission& base);

}  // namespace pigeon::mta::sendmail
