// pigeon.conf: the one configuration file of pigeon, pigeond and sendmail (man/pigeon.conf.5).
// TOML, read with toml++. With no file at all the ready-made local profile applies: the owner
// is $USER@localhost, the store is in the XDG data folder, pigeond listens on 127.0.0.1:2525.
// Unknown keys and bad values are errors naming the file, line and column.
//
// The file: top-level owner, owner_name, store; [delivery] and [reader] tables with the keys
// of DeliveryConfig and ReaderConfig; a [smtpd] table with the SmtpdConfig keys below (accounts
// as [[smtpd.account]] tables of user and password_hash); remote accounts for `pigeon fetch` as
// [[fetch]] tables; listen addresses as "127.0.0.1:25" / "[::1]:25"; sizes as bytes or "50M";
// timeouts as seconds or "5m"; paths absolute or "~/…". Keys left out keep the defaults of
// DefaultConfig(), except local_users and local_domains, which default to the owner's local
// part (less a +tag) and domain.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::config {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::", "0.0.0.0"
  uint16_t port = 0;
  bool operator==(const ListenAddress&) const = default;
};

// A submission account (AUTH on port 587).
struct Account {
  std::string user;
  std::string password_hash;  // crypt(3) string: "$y$…" (yescrypt), "$7$…" (scrypt), "$6$…"
  bool operator==(const Account&) const = default;
};

struct SmtpdConfig {
  std::vector<ListenAddress> listen = {{"127.0.0.1", 2525}};  // port 25 style: no AUTH, no relay
  std::vector<ListenAddress> submission;                      // port 587 style
  std::string hostname;                     // default: gethostname(), else "localhost"
  std::vector<std::string> local_domains;   // default: {"localhost"}; lower case, IDN as A-label
  std::vector<std::string> local_users;     // default: {owner's local part}
  std::string aliases_file;                 // "" = none; default path if it exists
  uint64_t max_message_size = 50ull << 20;  // "50M" accepted in the file
  size_t max_recipients = 100;
  size_t max_connections = 1000;
  size_t max_connections_per_ip = 20;
  std::chrono::seconds command_timeout{300};  // RFC 5321 §4.5.3.2.7
  std::chrono::seconds data_timeout{600};     // whole DATA phase, and §4.5.3.2.5 per block
  std::string tls_certificate, tls_key;       // PEM paths; both or neither
  std::vector<Account> accounts;
  std::string user;            // system user to drop to when started as root
  std::string log = "stderr";  // "stderr" or "syslog"
  bool operator==(const SmtpdConfig&) const = default;
};

// Outgoing mail: where it goes (MX hosts, or one relay host), how hard pigeond tries, and how
// it talks TLS.
struct DeliveryConfig {
  // "" = each domain's MX hosts; else every message goes to this host: "smtp.example.org:587"
  // (STARTTLS) or "smtp.example.org:465" (TLS from the start), no MX lookup.
  std::string relayhost;
  std::string relay_user;
  std::string relay_password;             // in the file (warned about when others can read it)
  std::string relay_password_command;     // or the first line of this command's output
  std::string tls = "opportunistic";      // none | opportunistic | required | verify
  std::string ca_file;                    // "" = the system's CAs
  uint16_t port = 25;                     // the port of MX hosts
  std::vector<std::string> dns_servers;   // "127.0.0.1:53"; empty = /etc/resolv.conf
  std::string helo_name;                  // default: smtpd.hostname
  std::chrono::seconds retry_first{300};  // first retry of a deferred recipient
  std::chrono::seconds retry_max{3600};   // the longest wait between tries
  std::chrono::seconds max_lifetime{5 * 86400};  // then bounce
  std::chrono::seconds delay_warning{4 * 3600};  // 0 = no delay warnings
  std::chrono::seconds connect_timeout{30};
  size_t max_connections = 20;            // outgoing connections at once
  size_t max_connections_per_domain = 4;  // to one destination at once
  bool prefer_ipv6 = false;
  bool operator==(const DeliveryConfig&) const = default;
};

// The mail reader (pigeon with no command).
// A key binding of the reader, a muttrc "bind" line without the word: "index,pager <Space>
// next-page". The config checks its shape and the screen names; the reader checks the key and
// the function names, which are its own.
struct KeyBinding {
  std::vector<std::string> screens;  // "index", "pager", "attach"
  std::string key;                   // "j", "<Down>", "^L"
  std::string function;              // "next-entry"; "noop" unbinds the key
  std::string text;                  // as written, for error messages
  bool operator==(const KeyBinding&) const = default;
};

struct ReaderConfig {
  // mutt's $mime_forward: `f` attaches the original as message/rfc822 instead of quoting its
  // text in the body.
  bool mime_forward = false;
  std::vector<KeyBinding> bindings;  // [reader] bind = [...], applied in order
  bool new_mail_bell = false;        // ring the terminal's bell when mail arrives
  std::string new_mail_command;      // run with the sender and subject of each new message
  bool sidebar = false;              // the folder sidebar shows at start (B toggles it)
  int sidebar_width = 30;            // its columns, the divider not included
  // muttrc's color lines without the word: "indicator black cyan", "index red default ~D";
  // checked by the reader (mua/ui/color_scheme.h), as the bindings are.
  std::vector<std::string> colors;
  // The index's order: "date", "reverse-date", "threads" or "reverse-threads" (mutt's $sort).
  std::string sort = "date";
  // RFC 1524 mailcap files for the attachments menu and HTML mail, colon-separated, "~/" for
  // the home directory; $MAILCAPS, when set, takes its place (as in mutt).
  std::string mailcap_path = "~/.mailcap:/etc/mailcap";
  // How long a message sent from the reader waits in the queue before any delivery, so that
  // it can still be taken back (undo send); 0 = off.
  std::chrono::seconds undo_send_delay{10};
  // mutt's $index_format (at most 256 bytes) and $date_format (a strftime format, at most 64
  // bytes); "" keeps pigeon's own line and relative dates. Their conversions are checked by
  // the reader (mua/ui/index_layout.h), as the bindings are.
  std::string index_format;
  std::string date_format;
  bool operator==(const ReaderConfig&) const = default;
};

// A remote mailbox `pigeon fetch` copies into the store (IMAP or POP3 over libcurl).
enum class FetchProtocol { kImap, kPop3 };

// Where a remote folder's mail goes in the store. POP3 has one remote folder, INBOX.
struct FolderMapping {
  std::string remote;  // "INBOX", "Lists/dev" (as the server names it)
  std::string local;   // a store folder, created when missing
  bool operator==(const FolderMapping&) const = default;
};

// How a fetch account logs in.
enum class FetchAuth {
  kPassword,  // password or password_command
  kOAuth2,    // a bearer token got from the provider's token endpoint (RFC 6749 section 6)
};

// The SASL mechanism that carries an OAuth2 access token.
enum class OAuth2Mechanism {
  kAuto,         // OAUTHBEARER (RFC 7628) when the server offers it, else XOAUTH2
  kXoauth2,      // Google's and Microsoft's XOAUTH2
  kOauthbearer,  // RFC 7628
};

// auth = "oauth2": pigeon trades the refresh token for an access token at each fetch. The
// refresh token is a long-lived secret and stays out of the file: the first line of a
// command's output. The token endpoint's certificate is always verified, against ca_file here
// (the account's ca_file is the mail server's).
struct OAuth2Settings {
  std::string token_url;              // "https://oauth2.example.org/token"
  std::string client_id;              // the application's id at the provider
  std::string client_secret;          // in the file (most desktop clients' is not secret), or
  std::string client_secret_command;  // the first line of this command's output; or neither
  std::string refresh_token_command;  // prints the refresh token on its first line
  std::string scope;                  // "" = the scope the refresh token was granted
  std::string ca_file;                // "" = the system's CAs
  OAuth2Mechanism mechanism = OAuth2Mechanism::kAuto;
  bool operator==(const OAuth2Settings&) const = default;
};

struct FetchAccount {
  std::string name;  // names the account on the command line, in logs and Received
  std::string url;   // as written: "imaps://imap.example.org", "pop3://host:1110"
  FetchProtocol protocol = FetchProtocol::kImap;
  bool implicit_tls = true;  // imaps://, pop3s://
  std::string host;          // a domain name, an IPv4 address or an IPv6 address (no brackets)
  uint16_t port = 993;       // the scheme's port unless the URL names one
  std::string user;
  std::string password;          // in the file (warned about when others can read it)
  std::string password_command;  // or the first line of this command's output
  FetchAuth auth = FetchAuth::kPassword;
  OAuth2Settings oauth2;  // auth = "oauth2" only
  std::string ca_file;    // "" = the system's CAs
  bool starttls = true;   // imap://, pop3://: STARTTLS/STLS required; false logs in unencrypted
  std::vector<FolderMapping> folders = {{"INBOX", "INBOX"}};
  bool keep = true;  // false: deleted on the server once stored durably
  // Between the fetches pigeond runs; 0 = only when `pigeon fetch` is run by hand.
  std::chrono::seconds interval{300};
  bool operator==(const FetchAccount&) const = default;
};

// A From the owner writes as ([[identity]] tables; mutt's $from with send-hooks): replies
// to mail sent to one of its addresses go out with it, its signature and its Fcc folder.
struct Identity {
  std::string from;                    // "Ada Lovelace <ada@work.example>", as checked
  std::vector<std::string> addresses;  // more addresses that pick it ("*@work.example" too)
  std::string signature;               // the text after "-- ", or
  std::string signature_file;          // a file holding it (read each time mail is written)
  std::string fcc;                     // the folder of its sent copies; "" = the Sent folder
  bool operator==(const Identity&) const = default;
};

struct Config {
  std::string path;        // the file read, "" for the built-in profile
  std::string owner;       // "ada@example.org": identity, default From, postmaster's target
  std::string owner_name;  // "Ada Lovelace" (optional)
  std::string store_path;  // default store::DefaultStorePath()
  std::vector<Identity> identities;  // besides the owner's own, which needs no table
  SmtpdConfig smtpd;
  DeliveryConfig delivery;
  ReaderConfig reader;
  std::vector<FetchAccount> fetch;  // [[fetch]] tables, in file order, names unique
  bool operator==(const Config&) const = default;
};

// $XDG_CONFIG_HOME/pigeon/pigeon.conf, else ~/.config/pigeon/pigeon.conf.
std::string DefaultConfigPath();

// The built-in local profile (what a missing file means), from the environment ($USER, XDG).
Config DefaultConfig();

// Parses `text` (named `path` in errors). Pure apart from DefaultConfig()'s environment reads.
// The error (kParse) is the first problem in the file: "PATH:LINE:COLUMN: message", one line.
// Never throws.
Result<Config> ParseConfig(std::string_view text, std::string_view path);

// Reads `path`; a missing file at the default path gives DefaultConfig(), a missing file that
// was named explicitly (-C, --config) is an error.
Result<Config> LoadConfig(const std::string& path, bool explicitly_named);

}  // namespace pigeon::config
