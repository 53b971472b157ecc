// Page latency of a 1M-message folder (bench/README.md, "Pages of a 1M-message folder"): what
// the reader waits for when it opens INBOX, scrolls far down, switches to threads or searches.
// Builds the store on first use (synthetic, well-formed messages through Store::BeginBatch and
// Batch::Add, cached at the given path), then times Store::Page calls with a steady clock:
// the first page and page 10,000 (keyset cursor from a walk over the pages before it) sorted by
// date and by thread, and the first page of searches within the folder. No peer is measured:
// notmuch has no folders nor keyset pages, so the figures stand against the target alone.
// A measurement, not a test; the messages are our own trusted input.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/sys/clock.h"

namespace {

using pigeon::store::CursorAfter;
using pigeon::store::MessageSummary;
using pigeon::store::PageCursor;
using pigeon::store::PageRequest;
using pigeon::store::SortOrder;
using pigeon::store::Store;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string store_path;
  int64_t messages = 1'000'000;
  int batch = 2000;
  int reps = 200;
  int warmup = 10;
  int limit = 50;
  int64_t deep_page = 10'000;  // 1-based page number of the deep page
};

constexpr std::string_view kFirst[] = {
    "Alice", "Bob",   "Carol", "Dave",   "Erin",  "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Liam",  "Emma",  "Noah",  "Olivia", "Peggy", "Trent", "Wei",   "Mei",   "Olga", "Omar",
    "Lars",  "Priya", "Arjun", "Sofia",  "Mateo", "Chloe", "Marco", "Zoe",   "Ava",  "Lucas"};
constexpr std::string_view kLast[] = {
    "Smith",  "Jones",  "Brown",  "Taylor", "Wilson", "Davies", "Evans", "Thomas",
    "Walker", "Wright", "Hughes", "Green",  "Hall",   "Wood",   "Clark", "Turner",
    "Hill",   "Scott",  "Cooper", "Morris", "Ward",   "Moore",  "King",  "Baker",
    "Patel",  "Young",  "Allen",  "Novak",  "Garcia", "Rossi",  "Larsen"};
constexpr std::string_view kDomains[] = {"example.org", "example.net", "mail.example.com",
                                         "corp.example.net", "dev.example.io"};
constexpr std::string_view kTopics[] = {
    "Quarterly report", "Release planning",  "Build failure on main", "Lunch on Friday",
    "Design review",    "Budget update",     "Conference travel",     "Server migration",
    "Weekly sync",      "Security advisory", "Patch series v3",       "Holiday schedule",
    "Hiring pipeline",  "Database backup",   "Roadmap draft",         "Meeting notes"};
// Body words, most frequent first (drawn with Zipf-like weights).
constexpr std::string_view kWords[] = {
    "the",      "and",      "to",       "of",       "we",       "for",      "on",     "with",
    "release",  "build",    "server",   "meeting",  "report",   "update",   "review", "change",
    "team",     "plan",     "schedule", "budget",   "design",   "test",     "deploy", "backup",
    "database", "network",  "storage",  "memory",   "latency",  "version",  "branch", "commit",
    "patch",    "merge",    "ticket",   "customer", "invoice",  "contract", "travel", "agenda",
    "minutes",  "deadline", "draft",    "proposal", "feedback", "question", "answer", "problem",
    "solution", "config",   "option",   "feature",  "support",  "document", "manual", "quarter"};
// In about one message in a thousand, for the rare-word search.
constexpr std::string_view kRareWord = "zeppelin";

struct Recent {
  std::string message_id, subject, references;
};

// Deterministic synthetic mail: ~1-2 KB, CRLF, RFC 5322 with a text/plain body. About one
// message in three replies to a recent one (In-Reply-To, References, "Re:" subject).
class Generator {
 public:
  Generator() : random_(20261129), word_weights_(std::size(kWords)) {
    for (size_t i = 0; i < std::size(kWords); ++i) word_weights_[i] = 1.0 / std::pow(i + 1.0, 0.9);
    words_ = std::discrete_distribution<size_t>(word_weights_.begin(), word_weights_.end());
    for (std::string_view first : kFirst) {
      for (std::string_view last : kLast) {
        people_.push_back(
            fmt::format("{} {}", first, last));  // "<name> <first.last@domain>" built on use
      }
    }
  }

  // The next message and its date.
  std::string Next(int64_t index, int64_t* date) {
    ts_ += Uniform(1, 693);  // ~347 s apart on average: 1M messages span ~11 years
    *date = ts_;
    const std::string from = Person();
    std::string to = Person();
    if (Uniform(0, 3) == 0) to += ",\r\n\t" + Person();
    std::string subject;
    std::string reply_fields;
    std::string references;
    if (!recent_.empty() && Uniform(0, 2) == 0) {
      const Recent& parent = recent_[static_cast<size_t>(
          Uniform(0, static_cast<int64_t>(std::min<size_t>(recent_.size(), 200)) - 1))];
      subject = parent.subject.starts_with("Re: ") ? parent.subject : "Re: " + parent.subject;
      references = parent.references.empty()
                       ? "<" + parent.message_id + ">"
                       : parent.references + "\r\n\t<" + parent.message_id + ">";
      // Keep References short: the last 8 ids.
      size_t ids = std::count(references.begin(), references.end(), '<');
      while (ids > 8) {
        references.erase(0, references.find("\r\n\t<") + 3);
        --ids;
      }
      reply_fields =
          fmt::format("In-Reply-To: <{}>\r\nReferences: {}\r\n", parent.message_id, references);
    } else {
      subject = std::string(kTopics[Uniform(0, std::ssize(kTopics) - 1)]);
      if (Uniform(0, 2) == 0) subject += fmt::format(" #{}", Uniform(1, 9999));
    }
    const std::string domain(kDomains[Uniform(0, std::ssize(kDomains) - 1)]);
    const std::string message_id = fmt::format("{}.{:08x}@{}", index, random_() >> 32, domain);
    std::string raw = fmt::format(
        "Return-Path: <{0}>\r\n"
        "Received: from mx1.{1} (mx1.{1} [198.51.100.{2}])\r\n"
        "\tby mx.example.test (Postfix) with ESMTPS id {3:010X}\r\n"
        "\tfor <user@example.test>; {4}\r\n"
        "From: {5}\r\n"
        "To: {6}\r\n"
        "Subject: {7}\r\n"
        "Date: {4}\r\n"
        "Message-ID: <{8}>\r\n"
        "{9}"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "X-Mailer: pigeon store_page_bench\r\n"
        "\r\n",
        Address(from), domain, Uniform(1, 254), random_() >> 24, Rfc5322Date(ts_), from, to,
        subject, message_id, reply_fields);
    raw += Body(Uniform(300, 900));
    recent_.push_back(Recent{message_id, subject, references});
    if (recent_.size() > 400) recent_.erase(recent_.begin(), recent_.begin() + 200);
    return raw;
  }

 private:
  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }

  // "First Last <first.last@domain>"
  std::string Person() {
    const std::string& name = people_[static_cast<size_t>(Uniform(0, std::ssize(people_) - 1))];
    std::string local = name;
    std::transform(local.begin(), local.end(), local.begin(),
                   [](char c) { return c == ' ' ? '.' : static_cast<char>(std::tolower(c)); });
    return fmt::format("{} <{}@{}>", name, local, kDomains[Uniform(0, std::ssize(kDomains) - 1)]);
  }

  static std::string Address(const std::string& person) {
    return person.substr(person.find('<') + 1, person.find('>') - person.find('<') - 1);
  }

  static std::string Rfc5322Date(int64_t ts) {
    static constexpr std::string_view kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    const int64_t days = ts / 86400, secs = ts % 86400;
    int64_t z = days + 719468;
    const int64_t era = z / 146097, doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const int64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yoe + era * 400 + (month <= 2);
    return fmt::format("{}, {} {} {} {:02}:{:02}:{:02} +0000", kDays[days % 7], day,
                       kMonths[month - 1], year, secs / 3600, secs / 60 % 60, secs % 60);
  }

  std::string Body(int64_t target) {
    std::string body = "Hi,\r\n\r\n";
    size_t line_start = body.size();
    bool rare = Uniform(0, 999) == 0;
    while (static_cast<int64_t>(body.size()) < target) {
      std::string_view word = kWords[words_(random_)];
      if (rare) {
        word = kRareWord;
        rare = false;
      }
      if (body.size() - line_start + word.size() > 70) {
        body += "\r\n";
        line_start = body.size();
      } else if (body.size() > line_start) {
        body += ' ';
      }
      body += word;
    }
    return body + ".\r\n\r\n-- \r\nSent from a benchmark\r\n";
  }

  std::mt19937_64 random_;
  std::vector<double> word_weights_;
  std::discrete_distribution<size_t> words_;
  std::vector<std::string> people_;
  std::vector<Recent> recent_;
  int64_t ts_ = 1388534400;  // 2014-01-01
};

[[noreturn]] void Die(std::string_view what) {
  fmt::print(stderr, "store_page_bench: {}\n", what);
  std::exit(1);
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Builds the store at `path` (a complete one is marked by `path`.complete).
void Build(const Options& options, const pigeon::sys::Clock& clock) {
  const std::filesystem::path path(options.store_path);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(options.store_path + suffix);
  }
  auto store = Store::Open(options.store_path, clock);
  if (!store) Die(store.error().message);
  auto inbox = (*store)->FindFolder("INBOX");
  if (!inbox) Die(inbox.error().message);
  Generator generator;
  const Clock::time_point start = Clock::now();
  int64_t bytes = 0;
  for (int64_t done = 0; done < options.messages;) {
    auto batch = (*store)->BeginBatch(/*durable=*/false);
    if (!batch) Die(batch.error().message);
    const int64_t end = std::min(options.messages, done + options.batch);
    for (; done < end; ++done) {
      pigeon::store::InsertOptions insert;
      int64_t date = 0;
      const std::string raw = generator.Next(done, &date);
      bytes += static_cast<int64_t>(raw.size());
      insert.arrived = date;
      insert.flags = done % 10 == 0 ? 0 : pigeon::store::kFlagSeen;
      if (auto added = batch->Add(inbox->id, raw, insert); !added) Die(added.error().message);
    }
    if (auto committed = batch->Commit(); !committed) Die(committed.error().message);
    const double elapsed = Seconds(Clock::now() - start);
    fmt::print(stderr, "\rbuilding {}: {}/{} messages, {:.0f} msgs/s, {:.0f} s   ",
               options.store_path, done, options.messages, done / std::max(elapsed, 1e-3), elapsed);
  }
  fmt::print(stderr, "\nbuilt: {} messages, {:.1f} MB of mail (mean {:.0f} bytes) in {:.0f} s\n",
             options.messages, bytes / 1e6, static_cast<double>(bytes) / options.messages,
             Seconds(Clock::now() - start));
  if (FILE* mark = std::fopen((options.store_path + ".complete").c_str(), "w")) {
    fmt::print(mark, "messages={}\n", options.messages);
    std::fclose(mark);
  }
}

struct Stats {
  double p50 = 0, p95 = 0, max = 0;  // milliseconds
};

Stats Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {  // nearest rank
    size_t k = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(ms.size())));
    return ms[std::clamp<size_t>(k, 1, ms.size()) - 1];
  };
  return Stats{rank(50), rank(95), ms.back()};
}

std::vector<MessageSummary> PageOrDie(Store& store, const PageRequest& request) {
  auto page = store.Page(request);
  if (!page) Die(page.error().message);
  return std::move(*page);
}

// Times `request` reps times after warmup; checks it returns a full page.
Stats Time(Store& store, const PageRequest& request, const Options& options,
           size_t* rows = nullptr) {
  for (int i = 0; i < options.warmup; ++i) PageOrDie(store, request);
  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(options.reps));
  size_t got = 0;
  for (int i = 0; i < options.reps; ++i) {
    const Clock::time_point start = Clock::now();
    got = PageOrDie(store, request).size();
    ms.push_back(Seconds(Clock::now() - start) * 1e3);
  }
  if (rows != nullptr) *rows = got;
  return Summarize(std::move(ms));
}

// Walks pages 1 .. deep_page - 1 and returns the cursor for page deep_page. Checks the keyset
// order as it goes (each page continues the previous one, no message twice).
PageCursor Walk(Store& store, PageRequest request, const Options& options, double* seconds) {
  const Clock::time_point start = Clock::now();
  request.after.reset();
  for (int64_t page = 1; page < options.deep_page; ++page) {
    std::vector<MessageSummary> rows = PageOrDie(store, request);
    if (rows.size() != static_cast<size_t>(options.limit)) {
      Die(fmt::format("page {} has {} rows; the folder is too small for page {}", page, rows.size(),
                      options.deep_page));
    }
    if (request.after && request.order == SortOrder::kDateDescending) {
      const MessageSummary& first = rows.front();
      if (std::pair(first.date, first.id) >= std::pair(request.after->date, request.after->id)) {
        Die(fmt::format("page {} does not continue page {}", page, page - 1));
      }
    }
    request.after = CursorAfter(rows.back());
  }
  *seconds = Seconds(Clock::now() - start);
  return *request.after;
}

void Report(std::string_view name, const Stats& s, std::string_view note) {
  fmt::print("  {:<34} {:8.2f} {:8.2f} {:8.2f}  {}\n", name, s.p50, s.p95, s.max, note);
}

std::string FirstPageVerdict(const Stats& s) {
  return fmt::format("target < 10 ms: {}", s.p50 < 10 && s.p95 < 10 ? "met (p50 and p95)"
                                           : s.p50 < 10             ? "met at p50, NOT at p95"
                                                                    : "NOT met");
}

std::string DeepVerdict(const Stats& deep, const Stats& first) {
  const double ratio = deep.p50 / first.p50;
  return fmt::format("{:.2f}x page 1 at p50: {}", ratio,
                     ratio <= 1.5 ? "within 1.5x" : "NOT within 1.5x");
}

int Usage() {
  fmt::print(stderr,
             "usage: store_page_bench [--messages N] [--reps N] [--warmup N] [--deep-page N] "
             "STORE_PATH\n"
             "Builds STORE_PATH with N synthetic messages in INBOX when STORE_PATH.complete is "
             "missing (default 1000000), then times pages.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> int64_t {
      if (i + 1 >= argc) std::exit(Usage());
      return std::strtoll(argv[++i], nullptr, 10);
    };
    if (arg == "--messages") {
      options.messages = value();
    } else if (arg == "--reps") {
      options.reps = static_cast<int>(value());
    } else if (arg == "--warmup") {
      options.warmup = static_cast<int>(value());
    } else if (arg == "--deep-page") {
      options.deep_page = value();
    } else if (!arg.starts_with("-") && options.store_path.empty()) {
      options.store_path = std::string(arg);
    } else {
      return Usage();
    }
  }
  if (options.store_path.empty() || options.messages < 1 || options.reps < 1 ||
      options.deep_page < 2) {
    return Usage();
  }

  pigeon::sys::SystemClock clock;
  if (!std::filesystem::exists(options.store_path + ".complete")) Build(options, clock);
  auto opened = Store::Open(options.store_path, clock);
  if (!opened) Die(opened.error().message);
  Store& store = **opened;
  auto inbox = store.FindFolder("INBOX");
  if (!inbox) Die(inbox.error().message);

  fmt::print(
      "store pages, INBOX of {} messages ({}), limit {}; each figure: {} timed calls of "
      "Store::Page after {} warm-ups, steady_clock, in ms\n",
      inbox->total, options.store_path, options.limit, options.reps, options.warmup);
  fmt::print(
      "  no peer: notmuch (the peer of the other store benchmarks) has no folders nor "
      "keyset pages; the target stands alone (first page < 10 ms)\n");
  fmt::print("  {:<34} {:>8} {:>8} {:>8}\n", "", "p50", "p95", "max");

  PageRequest by_date{.folder_id = inbox->id, .limit = options.limit};
  PageRequest by_thread{
      .folder_id = inbox->id, .order = SortOrder::kThreads, .limit = options.limit};

  std::vector<std::string> walks;
  for (const auto& [label, request] :
       {std::pair<std::string_view, PageRequest>{"date descending", by_date},
        std::pair<std::string_view, PageRequest>{"threads", by_thread}}) {
    const Stats first = Time(store, request, options);
    Report(fmt::format("page 1, {}", label), first, FirstPageVerdict(first));
    double walk_seconds = 0;
    PageRequest deep = request;
    deep.after = Walk(store, request, options, &walk_seconds);
    size_t rows = 0;
    const Stats deep_stats = Time(store, deep, options, &rows);
    Report(
        fmt::format("page {}, {}", options.deep_page, label), deep_stats,
        DeepVerdict(deep_stats, first) +
            (rows == static_cast<size_t>(options.limit) ? "" : fmt::format(" ({} rows!)", rows)));
    walks.push_back(fmt::format("walk to page {}, {}: {} pages in {:.1f} s ({:.2f} ms/page)",
                                options.deep_page, label, options.deep_page - 1, walk_seconds,
                                walk_seconds * 1e3 / static_cast<double>(options.deep_page - 1)));
  }

  for (const std::string& query :
       {std::string("release"), std::string(kRareWord), std::string("from:olga")}) {
    PageRequest search = by_date;
    search.query = query;
    auto count = store.Count(search);
    if (!count) Die(count.error().message);
    size_t rows = 0;
    const Stats stats = Time(store, search, options, &rows);
    Report(fmt::format("page 1, search '{}'", query), stats,
           fmt::format("{} matches; {}", *count, FirstPageVerdict(stats)));
  }
  {  // the same common-word search shown as threads (the reader's threaded search results)
    PageRequest search = by_thread;
    search.query = "release";
    const Stats stats = Time(store, search, options);
    Report("page 1, threads, search 'release'", stats, FirstPageVerdict(stats));
  }
  for (const std::string& walk : walks) fmt::print("  {}\n", walk);
  return 0;
}
