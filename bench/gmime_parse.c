/* Parse-throughput reference: GMime 3 (what notmuch uses) doing the work parse_bench.cc
 * times for pigeon (bench/README.md): load a bench/gen_corpus.py corpus into memory, then time
 * parsing each message, reading Subject/From/To/Cc/Date/Message-ID, transfer-decoding every
 * leaf part and converting every text leaf to UTF-8 (GMimeFilterCharset). Prints one JSON line
 * in the shared format. The corpus is our own trusted input; nothing here is checked. */
#include <dirent.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  uint64_t messages, failed, leaves, text_leaves, addresses;
  uint64_t decoded_bytes, text_len, checksum;
} Counts;

typedef struct {
  char* name;
  GByteArray* data;
} Entry;

static void add_addresses(InternetAddressList* list, Counts* counts) {
  if (list == NULL) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; i++) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), counts);
      continue;
    }
    const char* name = internet_address_get_name(address);
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    counts->addresses++;
    counts->checksum += (name ? strlen(name) : 0) + (addr ? strlen(addr) : 0);
  }
}

/* Transfer-decodes a leaf into memory and, for text, converts the decoded bytes to UTF-8 once
 * (the charset filter runs over the decoded buffer; nothing is decoded twice). */
static void decode_leaf(GMimeObject* object, Counts* counts) {
  counts->leaves++;
  GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(object));
  if (content == NULL) return;
  GMimeStream* decoded = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, decoded);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(decoded));
  counts->decoded_bytes += bytes->len;
  if (g_mime_content_type_is_type(g_mime_object_get_content_type(object), "text", "*")) {
    counts->text_leaves++;
    GMimeStream* utf8 = g_mime_stream_mem_new();
    GMimeStream* filtered = g_mime_stream_filter_new(utf8);
    const char* charset = g_mime_object_get_content_type_parameter(object, "charset");
    GMimeFilter* filter = charset ? g_mime_filter_charset_new(charset, "utf-8") : NULL;
    if (filter != NULL) { /* NULL: no charset, or one iconv does not know: bytes as they are */
      g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), filter);
      g_object_unref(filter);
    }
    g_mime_stream_write(filtered, (const char*)bytes->data, bytes->len);
    g_mime_stream_flush(filtered);
    counts->text_len += g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(utf8))->len;
    g_object_unref(filtered);
    g_object_unref(utf8);
  }
  g_object_unref(decoded);
}

/* Pre-order walk: multiparts and message/rfc822 parts are descended, GMimePart is a leaf. */
static void walk(GMimeObject* object, Counts* counts) {
  if (object == NULL) return;
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    int n = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < n; i++) walk(g_mime_multipart_get_part(multipart, i), counts);
  } else if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner != NULL) walk(g_mime_message_get_mime_part(inner), counts);
  } else if (GMIME_IS_PART(object)) {
    decode_leaf(object, counts);
  }
}

/* Takes ownership of `data` (the memory stream frees it). */
static void parse_one(GByteArray* data, Counts* counts) {
  GMimeStream* stream = g_mime_stream_mem_new_with_byte_array(data);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_object_unref(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, NULL);
  g_object_unref(parser);
  counts->messages++;
  if (message == NULL) {
    counts->failed++;
    return;
  }
  const char* subject = g_mime_message_get_subject(message);
  if (subject != NULL) counts->checksum += strlen(subject);
  add_addresses(g_mime_message_get_from(message), counts);
  add_addresses(g_mime_message_get_to(message), counts);
  add_addresses(g_mime_message_get_cc(message), counts);
  GDateTime* date = g_mime_message_get_date(message);
  if (date != NULL) counts->checksum += (uint64_t)g_date_time_to_unix(date);
  const char* id = g_mime_message_get_message_id(message);
  if (id != NULL) counts->checksum += strlen(id);
  walk(g_mime_message_get_mime_part(message), counts);
  g_object_unref(message);
}

static int compare_entries(const void* a, const void* b) {
  return strcmp(((const Entry*)a)->name, ((const Entry*)b)->name);
}

/* Every msgs/NAME.eml of the corpus, in name order. Returns the count, or -1. */
static int load_corpus(const char* dir, Entry** entries_out) {
  char* msgs = g_build_filename(dir, "msgs", NULL);
  DIR* d = opendir(msgs);
  if (d == NULL) {
    fprintf(stderr, "gmime_parse: cannot open %s\n", msgs);
    g_free(msgs);
    return -1;
  }
  GArray* entries = g_array_new(FALSE, TRUE, sizeof(Entry));
  struct dirent* de;
  while ((de = readdir(d)) != NULL) {
    if (!g_str_has_suffix(de->d_name, ".eml")) continue;
    Entry entry = {g_strdup(de->d_name), NULL};
    g_array_append_val(entries, entry);
  }
  closedir(d);
  qsort(entries->data, entries->len, sizeof(Entry), compare_entries);
  for (guint i = 0; i < entries->len; i++) {
    Entry* entry = &g_array_index(entries, Entry, i);
    char* path = g_build_filename(msgs, entry->name, NULL);
    gchar* contents = NULL;
    gsize len = 0;
    GError* error = NULL;
    if (!g_file_get_contents(path, &contents, &len, &error)) {
      fprintf(stderr, "gmime_parse: %s\n", error->message);
      return -1;
    }
    entry->data = g_byte_array_new_take((guint8*)contents, len);
    g_free(path);
  }
  g_free(msgs);
  int n = (int)entries->len;
  *entries_out = (Entry*)g_array_free(entries, FALSE);
  if (n == 0) fprintf(stderr, "gmime_parse: no messages in %s/msgs\n", dir);
  return n > 0 ? n : -1;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* what std::chrono::steady_clock uses on Linux */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int usage(const char* argv0) {
  fprintf(stderr, "usage: %s [--warmup N] [--reps N] CORPUS_DIR\n", argv0);
  return 2;
}

int main(int argc, char** argv) {
  const char* corpus = NULL;
  int warmup = 1, reps = 1;
  for (int i = 1; i < argc; i++) {
    if ((!strcmp(argv[i], "--warmup") || !strcmp(argv[i], "--reps")) && i + 1 < argc) {
      int value = atoi(argv[i + 1]);
      if (value < 0 || (!strcmp(argv[i], "--reps") && value < 1)) return usage(argv[0]);
      *(!strcmp(argv[i], "--warmup") ? &warmup : &reps) = value;
      i++;
    } else if (argv[i][0] != '-' && corpus == NULL) {
      corpus = argv[i];
    } else {
      return usage(argv[0]);
    }
  }
  if (corpus == NULL) return usage(argv[0]);

  g_mime_init();
  Entry* entries = NULL;
  int n = load_corpus(corpus, &entries);
  if (n < 0) return 1;
  uint64_t bytes = 0;
  for (int i = 0; i < n; i++) bytes += entries[i].data->len;

  GByteArray** copies = g_new0(GByteArray*, n);
  GString *wall = g_string_new(NULL), *cpu = g_string_new(NULL);
  Counts first;
  memset(&first, 0, sizeof first);
  double best = 0;
  for (int rep = 0; rep < warmup + reps; rep++) {
    for (int i = 0; i < n; i++) { /* the copy is not part of the parse */
      copies[i] = g_byte_array_sized_new(entries[i].data->len);
      g_byte_array_append(copies[i], entries[i].data->data, entries[i].data->len);
    }
    Counts counts;
    memset(&counts, 0, sizeof counts);
    double cpu0 = cpu_seconds(), t0 = wall_seconds();
    for (int i = 0; i < n; i++) parse_one(copies[i], &counts);
    double t1 = wall_seconds(), cpu1 = cpu_seconds();
    if (rep == 0) first = counts;
    if (memcmp(&counts, &first, sizeof counts) != 0) {
      fprintf(stderr, "gmime_parse: repetition %d saw different counts\n", rep);
      return 1;
    }
    if (rep < warmup) continue;
    g_string_append_printf(wall, "%s%.6f", wall->len ? "," : "", t1 - t0);
    g_string_append_printf(cpu, "%s%.6f", cpu->len ? "," : "", cpu1 - cpu0);
    if (best == 0 || t1 - t0 < best) best = t1 - t0;
  }
  if (first.failed != 0)
    fprintf(stderr, "gmime_parse: %llu messages failed to parse\n",
            (unsigned long long)first.failed);
  printf(
      "{\"parser\":\"gmime\",\"messages\":%llu,\"bytes\":%llu,\"reps\":%d,\"seconds\":[%s],"
      "\"cpu_seconds\":[%s],\"mb_per_s\":%.2f,\"msgs_per_s\":%.1f,\"leaves\":%llu,"
      "\"text_leaves\":%llu,\"addresses\":%llu,\"decoded_bytes\":%llu,\"text_len\":%llu,"
      "\"checksum\":%llu,\"failed\":%llu}\n",
      (unsigned long long)first.messages, (unsigned long long)bytes, reps, wall->str, cpu->str,
      (double)bytes / 1e6 / best, (double)first.messages / best, (unsigned long long)first.leaves,
      (unsigned long long)first.text_leaves, (unsigned long long)first.addresses,
      (unsigned long long)first.decoded_bytes, (unsigned long long)first.text_len,
      (unsigned long long)first.checksum, (unsigned long long)first.failed);

  for (int i = 0; i < n; i++) {
    g_free(entries[i].name);
    g_byte_array_unref(entries[i].data);
  }
  g_free(entries);
  g_free(copies);
  g_string_free(wall, TRUE);
  g_string_free(cpu, TRUE);
  g_mime_shutdown();
  return first.failed == 0 ? 0 : 1;
}
