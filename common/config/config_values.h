// The value syntaxes of pigeon.conf that TOML does not have: listen addresses, sizes, durations
// and paths. Pure; the errors say what was wrong with the value, and config.cc prefixes them
// with the file position and key.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/config.h"
#include "common/message/address.h"
#include "common/util/result.h"

namespace pigeon::config {

// "127.0.0.1:25", "0.0.0.0:587", "[::1]:25", "[::]:25": a numeric address (a name would need a
// resolver at start-up) and a port from 1 to 65535.
Result<ListenAddress> ParseListenAddress(std::string_view text);
// "HOST:PORT" where HOST is a domain name or an address ("[::1]:25"): a relay host.
Result<ListenAddress> ParseHostPort(std::string_view text);

// The server of a fetch account: "imaps://HOST[:PORT][/]", "imap://…", "pop3s://…",
// "pop3://…". HOST is a domain name, an IPv4 address or "[IPv6]". No user, path or query: those
// have keys of their own. Fills protocol, implicit_tls, host and port of `account`.
Result<void> ParseFetchUrl(std::string_view url, FetchAccount* account);

// An OAuth2 token endpoint: "https://HOST[:PORT][/PATH][?QUERY]", nothing but visible ASCII, no
// user part and no fragment (RFC 6749 section 3.2). Checked, not changed.
Result<void> CheckHttpsUrl(std::string_view url);

// "1048576", "10k", "50M", "1G" (powers of 1024, suffix in either case); more than zero.
Result<uint64_t> ParseSize(std::string_view text);

// "300", "30s", "5m", "1h"; more than zero and at most a day.
Result<std::chrono::seconds> ParseDuration(std::string_view text);
// Like ParseDuration with a "d" (days) suffix too, 0 allowed, up to a year: queue lifetimes.
Result<std::chrono::seconds> ParseLongDuration(std::string_view text);
inline constexpr std::chrono::seconds kMaxDuration{24 * 3600};

// "~/x" and "~" expand to `home`; absolute paths stay. A relative path is an error: pigeond
// does not run from the directory the file was written in.
Result<std::string> ExpandPath(std::string_view path, std::string_view home);

// A name of local_users: a dot-atom local part (UTF-8 allowed) without the plus-addressing
// separator '+'. Returns it unchanged.
Result<std::string> CheckLocalUser(std::string_view name);

// The owner: exactly one addr-spec with a domain that is a host name; the domain comes back
// normalized (NormalizeDomainName).
Result<message::Mailbox> ParseOwner(std::string_view text);

// `text` in double quotes for an error message: quotes and backslashes escaped, control
// characters written as \n or \xNN (a message is one line), cut after 100 octets.
std::string QuoteValue(std::string_view text);

// $HOME, else the home directory of the password database, else "/".
std::string HomeDirectory();

}  // namespace pigeon::config
