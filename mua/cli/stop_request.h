// SIGINT and SIGTERM as a request to stop: long commands stop after the current message, the
// reader returns and restores the terminal. The flag a signal handler sets is the process's
// one mutable global; it lives here and is lent to commands as a const reference.
#pragma once

#include <atomic>

namespace pigeon::mua {

// For commands: the first Ctrl-C asks for a clean stop, and the handler is then reset so a
// second one kills. SA_RESTART: reads and writes in progress go on rather than fail (EINTR).
const std::atomic<bool>& InstallStopHandler();

// For the mail reader: the signals set the flag and interrupt the key wait (no SA_RESTART).
const std::atomic<bool>& InstallUiStopHandler();

// The flag both handlers set (false until a signal arrives).
const std::atomic<bool>& StopRequested();

}  // namespace pigeon::mua
