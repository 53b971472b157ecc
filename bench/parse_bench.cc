// Parse-throughput benchmark of pigeon::message (bench/README.md): loads a corpus written by
// bench/gen_corpus.py into memory, then times full parses: the usual header fields, the MIME
// tree, every leaf's transfer decoding and every text leaf's conversion to UTF-8. Prints one
// JSON line in the format gmime_parse.c and python_parse.py share. The corpus is our own
// generated, trusted input; this is a measurement, not a test: it checks no parsed values.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/message/message.h"
#include "common/sys/file.h"

namespace {

using pigeon::message::Mailbox;
using pigeon::message::Message;
using pigeon::message::Part;

struct Options {
  std::string corpus;  // directory holding msgs/*.eml
  int warmup = 1;      // untimed repetitions first (allocator, caches)
  int reps = 1;
};

// What one repetition saw; the sums keep the compiler from discarding the work.
struct Counts {
  uint64_t messages = 0;
  uint64_t leaves = 0;
  uint64_t text_leaves = 0;
  uint64_t addresses = 0;
  uint64_t decoded_bytes = 0;  // sum of DecodedBody() sizes
  uint64_t text_len = 0;       // sum of TextUtf8() sizes (bytes of UTF-8)
  uint64_t checksum = 0;       // header field sizes, date seconds
  bool operator==(const Counts&) const = default;
};

void AddMailboxes(const std::vector<Mailbox>& mailboxes, Counts* counts) {
  for (const Mailbox& mailbox : mailboxes) {
    ++counts->addresses;
    counts->checksum += mailbox.name.size() + mailbox.local_part.size() + mailbox.domain.size();
  }
}

// Pre-order walk: containers (multipart, message/rfc822) are descended, everything else is a
// leaf — the same definition GMime (GMimePart) and Python (not is_multipart()) use.
void WalkPart(const Part& part, Counts* counts) {
  if (!part.children.empty()) {
    for (const Part& child : part.children) WalkPart(child, counts);
    return;
  }
  if (part.IsMultipart()) return;  // an empty multipart has no leaves
  ++counts->leaves;
  counts->decoded_bytes += part.DecodedBody(nullptr).size();
  if (part.IsText()) {
    ++counts->text_leaves;
    counts->text_len += part.TextUtf8(nullptr).size();
  }
}

void ParseOne(std::string raw, Counts* counts) {
  Message message(std::move(raw));
  ++counts->messages;
  if (auto subject = message.Subject()) counts->checksum += subject->size();
  AddMailboxes(message.From(), counts);
  AddMailboxes(message.AddressesOf("To"), counts);
  AddMailboxes(message.AddressesOf("Cc"), counts);
  if (auto date = message.Date()) counts->checksum += static_cast<uint64_t>(date->utc_seconds);
  if (auto id = message.MessageId()) counts->checksum += id->size();
  WalkPart(message.Mime(), counts);
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int Usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--warmup N] [--reps N] CORPUS_DIR\n", argv0);
  return 2;
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if ((arg == "--warmup" || arg == "--reps") && i + 1 < argc) {
      int value = std::atoi(argv[++i]);
      if (value < 0 || (arg == "--reps" && value < 1)) return false;
      (arg == "--warmup" ? options->warmup : options->reps) = value;
    } else if (!arg.starts_with("-") && options->corpus.empty()) {
      options->corpus = std::string(arg);
    } else {
      return false;
    }
  }
  return !options->corpus.empty();
}

// Every msgs/*.eml of the corpus, in name order.
bool LoadCorpus(const std::string& dir, std::vector<std::string>* messages) {
  std::vector<std::filesystem::path> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/msgs", error)) {
    if (entry.path().extension() == ".eml") paths.push_back(entry.path());
  }
  if (error) {
    std::fprintf(stderr, "parse_bench: %s/msgs: %s\n", dir.c_str(), error.message().c_str());
    return false;
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    auto data = pigeon::sys::ReadWholeFile(path.string());
    if (!data) {
      std::fprintf(stderr, "parse_bench: %s\n", data.error().message.c_str());
      return false;
    }
    messages->push_back(std::move(*data));
  }
  if (messages->empty()) std::fprintf(stderr, "parse_bench: no messages in %s/msgs\n", dir.c_str());
  return !messages->empty();
}

std::string JoinSeconds(const std::vector<double>& values) {
  std::string out;
  for (double value : values) out += fmt::format("{}{:.6f}", out.empty() ? "" : ",", value);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, &options)) return Usage(argv[0]);
  std::vector<std::string> corpus;
  if (!LoadCorpus(options.corpus, &corpus)) return 1;
  uint64_t bytes = 0;
  for (const std::string& message : corpus) bytes += message.size();

  std::vector<double> wall, cpu;
  Counts first;
  for (int rep = 0; rep < options.warmup + options.reps; ++rep) {
    std::vector<std::string> copies = corpus;  // the copy is not part of the parse
    Counts counts;
    double cpu0 = CpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    for (std::string& raw : copies) ParseOne(std::move(raw), &counts);
    auto t1 = std::chrono::steady_clock::now();
    double cpu1 = CpuSeconds();
    if (rep == 0) first = counts;
    if (!(counts == first)) {
      std::fprintf(stderr, "parse_bench: repetition %d saw different counts\n", rep);
      return 1;
    }
    if (rep < options.warmup) continue;
    wall.push_back(std::chrono::duration<double>(t1 - t0).count());
    cpu.push_back(cpu1 - cpu0);
  }
  double best = *std::min_element(wall.begin(), wall.end());
  fmt::print(
      "{{\"parser\":\"pigeon\",\"messages\":{},\"bytes\":{},\"reps\":{},\"seconds\":[{}],"
      "\"cpu_seconds\":[{}],\"mb_per_s\":{:.2f},\"msgs_per_s\":{:.1f},\"leaves\":{},"
      "\"text_leaves\":{},\"addresses\":{},\"decoded_bytes\":{},\"text_len\":{},"
      "\"checksum\":{}}}\n",
      first.messages, bytes, options.reps, JoinSeconds(wall), JoinSeconds(cpu),
      static_cast<double>(bytes) / 1e6 / best, static_cast<double>(first.messages) / best,
      first.leaves, first.text_leaves, first.addresses, first.decoded_bytes, first.text_len,
      first.checksum);
  return 0;
}
